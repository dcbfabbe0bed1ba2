import { UUID_PATTERN } from '../ids.js';
import { json } from '../http.js';
import type { World } from '../world.js';
import { notFound } from './errors.js';
import type { HerokuRouter } from './context.js';
import { syncFormation } from './formation.js';
import { appRef, findApp } from './lookup.js';
import type { AppRecord, ReleaseRecord } from './model.js';
import { paginate, type RangeKey } from './range.js';

/**
 * Releases. Every config-var change, add-on attachment and deploy appends one, numbered from 1;
 * apps start with v1 "Initial release" and v2 "Enable Logplex", as real apps do (visible in any
 * new app's `heroku releases` and logs). All releases succeed at once (there is no release phase).
 */
export function createRelease(
  world: World,
  app: AppRecord,
  change: { description: string; slugId?: string },
): ReleaseRecord {
  const now = world.now();
  const account = world.state.heroku.account;
  const previous = currentRelease(app);
  const slugId = change.slugId ?? previous?.slugId ?? null;
  const release: ReleaseRecord = {
    id: world.ids.uuid(),
    version: (app.releases[app.releases.length - 1]?.version ?? 0) + 1,
    status: 'succeeded',
    description: change.description,
    slugId,
    user: { id: account.id, email: account.email },
    config: { ...app.config },
    addonPlanNames: app.addons.map((a) => a.plan.name),
    outputStreamUrl: null,
    createdAt: now,
    updatedAt: now,
  };
  app.releases.push(release);
  app.releasedAt = now;
  app.updatedAt = now;
  const slug = change.slugId === undefined ? undefined : app.slugs.find((s) => s.id === change.slugId);
  if (slug !== undefined) {
    app.stack = slug.stack;
    app.slugSize = slug.size;
    app.buildpackProvidedDescription = slug.buildpackProvidedDescription;
    syncFormation(world, app, slug);
  }
  return release;
}

/** The latest succeeded release (Heroku's `current: true`). */
export function currentRelease(app: AppRecord): ReleaseRecord | undefined {
  for (let i = app.releases.length - 1; i >= 0; i--) {
    const release = app.releases[i] as ReleaseRecord;
    if (release.status === 'succeeded') return release;
  }
  return undefined;
}

/** By UUID or by version number; 404 `Couldn't find that release.` otherwise. */
export function findRelease(app: AppRecord, identity: string): ReleaseRecord {
  const release = UUID_PATTERN.test(identity)
    ? app.releases.find((r) => r.id === identity.toLowerCase())
    : /^\d+$/.test(identity)
      ? app.releases.find((r) => r.version === Number(identity))
      : undefined;
  if (release === undefined) throw notFound('release');
  return release;
}

export function releaseJson(app: AppRecord, release: ReleaseRecord): Record<string, unknown> {
  return {
    addon_plan_names: [...release.addonPlanNames],
    app: appRef(app),
    artifacts: release.slugId === null ? [] : [{ type: 'slug', id: release.slugId }],
    created_at: release.createdAt,
    current: currentRelease(app)?.id === release.id,
    description: release.description,
    eligible_for_rollback: release.status === 'succeeded',
    id: release.id,
    output_stream_url: release.outputStreamUrl,
    slug: release.slugId === null ? null : { id: release.slugId },
    status: release.status,
    updated_at: release.updatedAt,
    user: { ...release.user },
    version: release.version,
  };
}

const RELEASE_RANGES: readonly RangeKey<ReleaseRecord>[] = [
  { name: 'id', value: (r) => r.id },
  { name: 'version', value: (r) => r.version, numeric: true },
];

export function registerReleases(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/releases', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return paginate(app.releases, RELEASE_RANGES, ctx.range, (r) => releaseJson(app, r));
    },
  });
  router.add('GET', '/apps/:app/releases/:release', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, releaseJson(app, findRelease(app, ctx.params['release'] as string)));
    },
  });
}
