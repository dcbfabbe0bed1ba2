import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import { appRef, findApp } from '../model/lookup.js';
import type { AppRecord, LogDrainRecord } from '../model/state.js';
import { objectBody, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * Log drains: where Logplex forwards an app's logs. A drain is a syslog (`syslog://`,
 * `syslog+tls://`) or HTTP(S) URL, unique per app, with a token `d.<uuid>`; it is addressed by
 * id, URL or token. The sandbox produces no logs, so nothing is ever sent to a drain. Add-on
 * drains (`/addons/{addon}/log-drains`) are not emulated.
 */
function drainJson(app: AppRecord, drain: LogDrainRecord): Record<string, unknown> {
  return {
    addon: null,
    app: appRef(app),
    created_at: drain.createdAt,
    id: drain.id,
    token: drain.token,
    updated_at: drain.updatedAt,
    url: drain.url,
  };
}

const MAX_DRAINS = 5;

const DRAIN_PROTOCOLS = new Set(['syslog:', 'syslog+tls:', 'https:', 'http:']);

const DRAIN_RANGES: readonly RangeKey<LogDrainRecord>[] = [
  { name: 'id', value: (d) => d.id },
  { name: 'url', value: (d) => d.url },
];

export function registerLogDrains(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/log-drains', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return paginate(app.logDrains, DRAIN_RANGES, ctx.range, (d) => drainJson(app, d));
    },
  });
  router.add('GET', '/apps/:app/log-drains/:drain', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return json(200, drainJson(app, findDrain(app, ctx.params['drain'] as string)));
    },
  });
  router.add('POST', '/apps/:app/log-drains', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const url = optionalString(objectBody(ctx.body), 'url');
      if (url === undefined) throw invalidParams('Invalid params: url is required.');
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !DRAIN_PROTOCOLS.has(parsed.protocol) || parsed.hostname === '')
        throw invalidParams(`Url ${url} is invalid: use syslog://, syslog+tls://, http:// or https://.`);
      if (app.logDrains.some((d) => d.url === url)) throw invalidParams('Url has already been taken.');
      // Logplex's cap and wording (heroku/logplex logplex_api.erl; Dev Center "Limits": 5 per app).
      if (app.logDrains.length >= MAX_DRAINS)
        throw invalidParams('You have already added the maximum number of drains allowed');
      const now = ctx.world.now();
      const drain: LogDrainRecord = {
        id: ctx.world.ids.uuid(),
        url,
        token: `d.${ctx.world.ids.uuid()}`,
        createdAt: now,
        updatedAt: now,
      };
      app.logDrains.push(drain);
      return json(201, drainJson(app, drain));
    },
  });
  router.add('DELETE', '/apps/:app/log-drains/:drain', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const drain = findDrain(app, ctx.params['drain'] as string);
      app.logDrains = app.logDrains.filter((d) => d !== drain);
      return json(200, drainJson(app, drain));
    },
  });
}

function appOf(ctx: HerokuContext): AppRecord {
  return findApp(ctx.world.state.heroku, ctx.params['app'] as string);
}

/** By id, URL or token. */
function findDrain(app: AppRecord, identity: string): LogDrainRecord {
  const drain = app.logDrains.find((d) =>
    UUID_PATTERN.test(identity) ? d.id === identity.toLowerCase() : d.url === identity || d.token === identity,
  );
  if (drain === undefined) throw notFound('log drain');
  return drain;
}
