import type { ServerResponse } from 'node:http';
import { json } from '../../http.js';
import type { World } from '../../world.js';
import { formatLogLine, LOG_LINES_KEPT, type LogLine } from '../runner/app-logs.js';
import { capabilityKey } from '../storage/blobs.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';
import { findApp } from '../model/lookup.js';
import { LOGS_PREFIX } from '../storage/signed-urls.js';
import { objectBody, optionalString } from '../model/validate.js';

/**
 * Log sessions, as `heroku logs` uses them: `POST /apps/{app}/log-sessions {lines?, tail?,
 * dyno_name?, source?, type?}` answers a `logplex_url`; a plain GET of it returns the app's
 * newest `lines` lines (default 100, at most 1,500) matching the filters and, with `tail`, keeps
 * streaming new ones until the client disconnects. What the sandbox logs: its processes' output
 * (`app[web.1]`), their state changes and slug compilation (`heroku[web.1]`, `app[build]`) and one
 * `heroku[router]` line per routed request — only when it runs processes. Sessions live in memory
 * for an hour, like Logplex's.
 */
export interface LogSession {
  readonly appId: string;
  readonly lines: number;
  readonly tail: boolean;
  readonly dyno: string | undefined;
  readonly source: string | undefined;
  readonly type: string | undefined;
  readonly expiresMs: number;
}

const SESSION_MS = 60 * 60 * 1000;

export function registerLogSessions(router: HerokuRouter): void {
  router.add('POST', '/apps/:app/log-sessions', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const body = ctx.body === undefined ? {} : objectBody(ctx.body);
      const lines = body['lines'] ?? 100;
      if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0)
        throw invalidParams('Invalid params: lines must be a whole number.');
      const tail = body['tail'] ?? false;
      if (typeof tail !== 'boolean') throw invalidParams('Invalid params: tail must be true or false.');
      const key = capabilityKey();
      const now = ctx.world.clock().getTime();
      ctx.world.heroku.logSessions.set(key, {
        appId: app.id,
        lines: Math.min(lines, LOG_LINES_KEPT),
        tail,
        dyno: optionalString(body, 'dyno_name'),
        source: optionalString(body, 'source'),
        type: optionalString(body, 'type'),
        expiresMs: now + SESSION_MS,
      });
      const created = ctx.world.now();
      return json(201, {
        created_at: created,
        id: ctx.world.ids.uuid(),
        logplex_url: `${ctx.baseUrl}${LOGS_PREFIX}${key}`,
        updated_at: created,
      });
    },
  });
}

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
