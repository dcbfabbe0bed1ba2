import type { ServerResponse } from 'node:http';
import type { World } from '../../world.js';
import { formatLogLine, type LogLine } from './app-logs.js';

/**
 * Serves a session's lines (404 for an unknown or expired key): as text/plain, or, when the client
 * asks for `text/event-stream`, as server-sent events, one `data:` event per line — what the
 * official CLI's `heroku logs` reads (heroku/cli `src/lib/run/log-displayer.ts` opens the
 * `logplex_url` with an EventSource, which insists on that content type).
 */
export function serveLogSession(world: World, res: ServerResponse, key: string, eventStream = false): Promise<void> {
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
  const contentType = eventStream ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8';
  const frame = (line: LogLine) => (eventStream ? `data: ${formatLogLine(line)}\n\n` : `${formatLogLine(line)}\n`);
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
  for (const line of world.heroku.logs.recent(session.appId, session.lines, matches)) res.write(frame(line));
  if (!session.tail) {
    res.end();
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const stop = world.heroku.logs.follow(session.appId, (line) => {
      if (matches(line)) res.write(frame(line));
    });
    res.on('close', () => {
      stop();
      resolve();
    });
  });
}
