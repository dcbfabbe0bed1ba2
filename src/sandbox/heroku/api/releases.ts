import { json } from '../../http.js';
import { isoSeconds, UUID_PATTERN } from '../../ids.js';
import type { World } from '../../world.js';
import { addonOwnedKeys, appRef, findApp } from '../model/lookup.js';
import type { AppRecord, ReleaseRecord, SlugRecord } from '../model/state.js';
import { objectBody, optionalString } from '../model/validate.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { syncFormation } from './formation.js';
import { finishReleasePhase, type ReleasePhaseResult, startReleasePhase } from './release-phase.js';

/**
 * Releases. Every config-var change, add-on change, deploy, rollback and promotion appends one,
 * numbered from 1; apps start with v1 "Initial release" and v2 "Enable Logplex", as real apps do.
 * A release whose slug declares a `release` process runs a release phase first (release-phase.ts);
 * any other release succeeds at once. The current release is the latest succeeded one.
 */
export interface ReleaseChange {
  readonly description: string;
  /** The slug to release: `undefined` keeps the current release's, `null` releases none. */
  readonly slugId?: string | null;
  /** When it happens (epoch ms on the injected clock), default now; timed work passes its due time. */
  readonly atMs?: number;
  /** Who releases: default the account (add-on providers release as `<service>@addons.heroku.com`). */
  readonly user?: { id: string; email: string };
}

export function createRelease(world: World, app: AppRecord, change: ReleaseChange): ReleaseRecord {
  const atMs = change.atMs ?? world.clock().getTime();
  const now = isoSeconds(new Date(atMs));
  const account = world.state.heroku.account;
  const slugId = change.slugId === undefined ? (currentRelease(app)?.slugId ?? null) : change.slugId;
  const release: ReleaseRecord = {
    id: world.ids.uuid(),
    version: (app.releases[app.releases.length - 1]?.version ?? 0) + 1,
    status: 'succeeded',
    description: change.description,
    slugId,
    user: change.user ?? { id: account.id, email: account.email },
    config: { ...app.config },
    addonPlanNames: app.addons.map((a) => a.plan.name),
    outputStreamUrl: null,
    phase: null,
    createdAt: now,
    updatedAt: now,
  };
  app.releases.push(release);
  app.releasedAt = now;
  app.updatedAt = now;
  const slug = slugId === null ? undefined : app.slugs.find((s) => s.id === slugId);
  const command = slug?.processTypes['release'];
  if (command !== undefined) startReleasePhase(world, app, release, command, atMs);
  else if (slug !== undefined) applySlug(world, app, slug);
  return release;
}

/** Ends a release phase: when it is due (timed/release-phase.ts) or its process exits (runner/release-phases.ts). */
export function settleReleasePhase(world: World, app: AppRecord, release: ReleaseRecord, result: ReleasePhaseResult, atMs: number): void {
  finishReleasePhase(app, release, result, atMs, () => {
    const slug = app.slugs.find((s) => s.id === release.slugId);
    if (slug !== undefined) applySlug(world, app, slug);
  });
}

/** Makes a slug live: the app's stack and sizes follow it, the formation gains/loses process types. */
function applySlug(world: World, app: AppRecord, slug: SlugRecord): void {
  app.stack = slug.stack;
  app.slugSize = slug.size;
  app.buildpackProvidedDescription = slug.buildpackProvidedDescription;
  syncFormation(world, app, slug);
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

/** `base` is the origin the client used; the stored stream URL is a path. */
export function releaseJson(app: AppRecord, release: ReleaseRecord, base: string): Record<string, unknown> {
  return {
    addon_plan_names: [...release.addonPlanNames],
    app: appRef(app),
    artifacts: release.slugId === null ? [] : [{ type: 'slug', id: release.slugId }],
    created_at: release.createdAt,
    current: currentRelease(app)?.id === release.id,
    description: release.description,
    eligible_for_rollback: release.status === 'succeeded',
    id: release.id,
    output_stream_url: release.outputStreamUrl === null ? null : `${base}${release.outputStreamUrl}`,
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
      return paginate(app.releases, RELEASE_RANGES, ctx.range, (r) => releaseJson(app, r, ctx.baseUrl));
    },
  });
  router.add('GET', '/apps/:app/releases/:release', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, releaseJson(app, findRelease(app, ctx.params['release'] as string), ctx.baseUrl));
    },
  });
  // One path, two links in the schema: `{release}` rolls back, `{slug}` deploys a slug.
  router.add('POST', '/apps/:app/releases', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const body = objectBody(ctx.body);
      const rollbackTo = optionalString(body, 'release');
      const slugId = optionalString(body, 'slug');
      if (body['oci_image'] !== undefined && body['oci_image'] !== null)
        throw invalidParams('OCI images are for Fir-generation apps; sandbox apps are Cedar. Release a slug instead.');
      let release: ReleaseRecord;
      if (rollbackTo !== undefined) release = rollback(ctx.world, app, rollbackTo);
      else if (slugId !== undefined) release = deploySlug(ctx.world, app, slugId, optionalString(body, 'description'));
      else throw invalidParams('Invalid params: slug is required (or release, to roll back).');
      return json(201, releaseJson(app, release, ctx.baseUrl));
    },
  });
}

/**
 * A rollback: a new release with the old release's slug and config vars. Add-ons are not rolled
 * back, so the vars they own keep their current values (and vars of since-removed add-ons stay gone).
 */
function rollback(world: World, app: AppRecord, identity: string): ReleaseRecord {
  if (!UUID_PATTERN.test(identity)) throw invalidParams('Invalid params: release must be a release id.');
  const target = findRelease(app, identity);
  if (target.status !== 'succeeded') throw invalidParams(`Release v${target.version} is not eligible for rollback.`);
  const owned = addonOwnedKeys(app);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(target.config)) if (!owned.has(key)) config[key] = value;
  for (const key of owned) if (key in app.config) config[key] = app.config[key] as string;
  app.config = config;
  return createRelease(world, app, { description: `Rollback to v${target.version}`, slugId: target.slugId });
}

/** Releases a slug of this app or, as Heroku allows, one copied from another app. */
function deploySlug(world: World, app: AppRecord, slugId: string, description: string | undefined): ReleaseRecord {
  const slug = findSlugAnywhere(world, slugId);
  if (!app.slugs.some((s) => s.id === slug.id)) app.slugs.push({ ...slug, processTypes: { ...slug.processTypes } });
  const commit = slug.commit === null ? '' : ` ${slug.commit.slice(0, 8)}`;
  return createRelease(world, app, { description: description ?? `Deploy${commit}`, slugId: slug.id });
}

export function findSlugAnywhere(world: World, identity: string): SlugRecord {
  const id = identity.toLowerCase();
  for (const app of world.state.heroku.apps) {
    const slug = app.slugs.find((s) => s.id === id);
    if (slug !== undefined) return slug;
  }
  throw notFound('slug');
}
