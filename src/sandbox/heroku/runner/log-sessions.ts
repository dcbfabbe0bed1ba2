import type { ServerResponse } from 'node:http';
import type { World } from '../../world.js';
import { formatLogLine, type LogLine } from './app-logs.js';

/** Serves a session's lines as text/plain (404 for an unknown or expired key). */
export function serveLogSession(world: World, res: ServerResponse, key: string): Promise<void> {
  const session = world.heroku.logSessions.get(key);
  if (session === undefined || session.expiresMs < world.clock().getTime()) {
    world.heroku.logSessions.delete(key);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Log session not found or expired.\n');
    return Promise.resolve();
  }
  const matches = (line: LogLine) =>
    (session.source === undefined || line.source === session.source) &&
    (session.dyno === undefined || line.dyno === session.dyno) &&
    (session.type === undefined || line.dyno.split('.')[0] === session.type);
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  for (const line of world.heroku.logs.recent(session.appId, session.lines, matches)) res.write(`${formatLogLine(line)}\n`);
  if (!session.tail) {
    res.end();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const stop = world.heroku.logs.follow(session.appId, (line) => {
      if (matches(line)) res.write(`${formatLogLine(line)}\n`);
    });
    res.on('close', () => {
      stop();
      resolve();
    });
  });
}
