import { json } from '../../http.js';
import { findApp } from '../model/lookup.js';
import { objectBody, optionalString } from '../model/validate.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';
import { LOG_LINES_KEPT } from '../runner/app-logs.js';
import { capabilityKey } from '../storage/blobs.js';
import { LOGS_PREFIX } from '../storage/signed-urls.js';

/**
 * Log sessions, as `heroku logs` uses them: `POST /apps/{app}/log-sessions {lines?, tail?,
 * dyno_name?, source?, type?}` answers a `logplex_url`; a plain GET of it returns the app's
 * newest `lines` lines (default 100, at most 1,500) matching the filters and, with `tail`, keeps
 * streaming new ones until the client disconnects. What the sandbox logs: its processes' output
 * (`app[web.1]`), their state changes and slug compilation (`heroku[web.1]`, `app[build]`) and one
 * `heroku[router]` line per routed request — only when it runs processes. Sessions live in memory
 * for an hour, like Logplex's; runner/log-sessions.ts serves them.
 */

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
