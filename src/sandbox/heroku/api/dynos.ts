import { json } from '../../http.js';
import { stableUuid } from '../../ids.js';
import { appRef, findApp } from '../model/lookup.js';
import type { AppRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import type { HerokuRuntime } from '../runtime.js';
import { currentRelease } from './releases.js';

/**
 * Dynos as `heroku ps` and `heroku apps:info` list them: `type.N` for every unit of the formation,
 * running the current release. Read-only here (restarts and one-off dynos are not emulated).
 * A dyno's `state` is `up` whenever the formation asks for it and a release has code, except
 * `web.1` when the sandbox runs processes: then it is that process's (`starting`, `up`, `crashed`).
 */
interface Dyno {
  readonly type: string;
  readonly index: number;
  readonly command: string;
  readonly size: string;
}

function dynosOf(app: AppRecord): Dyno[] {
  const release = currentRelease(app);
  if (release?.slugId === null || release === undefined) return [];
  return app.formation.flatMap((f) =>
    Array.from({ length: f.quantity }, (_, i) => ({ type: f.type, index: i + 1, command: f.command, size: f.size })),
  );
}

/**
 * `state` is the local process's when the sandbox runs `web.1` (see runner/dyno-runner.ts), else
 * `up`; so is `release`: until the process of a new release has replaced the old one, `web.1` runs
 * the old release, as a Heroku dyno does while it restarts.
 */
function dynoJson(app: AppRecord, dyno: Dyno, runtime: HerokuRuntime): Record<string, unknown> {
  const web1 = dyno.type === 'web' && dyno.index === 1;
  const runningId = web1 ? runtime.dynoRelease?.(app.id) : undefined;
  const release = app.releases.find((r) => r.id === runningId) ?? currentRelease(app);
  const running = runtime.dynoState;
  const name = `${dyno.type}.${dyno.index}`;
  return {
    app: appRef(app),
    attach_url: null,
    command: dyno.command,
    created_at: release?.createdAt ?? app.createdAt,
    id: stableUuid('dyno', `${app.id}/${name}`),
    name,
    release: { id: release?.id ?? null, version: release?.version ?? null },
    size: dyno.size,
    state: (web1 ? running?.(app.id) : undefined) ?? 'up',
    type: dyno.type,
    updated_at: release?.updatedAt ?? app.updatedAt,
  };
}

const DYNO_RANGES: readonly RangeKey<Dyno>[] = [
  { name: 'id', value: (d) => `${d.type}.${d.index}` },
  { name: 'name', value: (d) => `${d.type}.${d.index}` },
];

/** Collaborators: the sandbox's single account owns every personal app. */
function collaboratorJson(app: AppRecord, account: { id: string; email: string }): Record<string, unknown> {
  return {
    app: appRef(app),
    created_at: app.createdAt,
    id: stableUuid('collaborator', `${app.id}/${account.id}`),
    permissions: [],
    role: app.teamId === null ? 'owner' : 'admin',
    updated_at: app.updatedAt,
    user: { email: account.email, federated: false, id: account.id },
  };
}

export function registerDynos(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/dynos', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return paginate(dynosOf(app), DYNO_RANGES, ctx.range, (d) => dynoJson(app, d, ctx.world.heroku));
    },
  });
  router.add('GET', '/apps/:app/dynos/:dyno', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const wanted = ctx.params['dyno'] as string;
      const dyno = dynosOf(app).find((d) => `${d.type}.${d.index}` === wanted || stableUuid('dyno', `${app.id}/${d.type}.${d.index}`) === wanted);
      if (dyno === undefined) throw notFound('dyno');
      return json(200, dynoJson(app, dyno, ctx.world.heroku));
    },
  });
  router.add('GET', '/apps/:app/collaborators', {
    handler: (ctx) => {
      const heroku = ctx.world.state.heroku;
      const app = findApp(heroku, ctx.params['app'] as string);
      return json(200, [collaboratorJson(app, heroku.account)]);
    },
  });
}
