import type { AdminRouter } from '../../admin.js';
import { json } from '../../http.js';
import { createAddon } from '../api/addon-provision.js';
import { addonJson } from '../api/addons.js';
import { applyConfigChanges, parseConfigPatch } from '../api/config-vars.js';
import { createRelease, releaseJson } from '../api/releases.js';
import { findPlan, serviceOf } from '../model/addon-catalog.js';
import { lookup, STACKS } from '../model/catalog.js';
import { findApp } from '../model/lookup.js';
import type { SlugRecord } from '../model/state.js';
import { type Body, objectBody, optionalString } from '../model/validate.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { baseUrlOf } from '../protocol/headers.js';
import { capabilityKey } from '../storage/blobs.js';
import { advance } from '../timed/clock.js';
import { registerHerokuAsyncAdmin } from './async.js';

/**
 * Out-of-band Heroku helpers for tests and demos, under `/__sandbox/apps/{app}/…`. They change the
 * world the way something other than the API client would (a teammate in the dashboard, a build
 * pipeline, an add-on provider), so drift and ordering can be exercised. Timed work that has come
 * due is applied first, as for API requests. Controls over asynchronous work: async.ts.
 */
export function registerHerokuAdmin(router: AdminRouter): void {
  registerHerokuAsyncAdmin(router);
  /** Sets/removes config vars directly: no release, no add-on protection. Answers the whole map. */
  router.add('PATCH', '/__sandbox/apps/:app/config-vars', (ctx) => {
    advance(ctx.world);
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    applyConfigChanges(ctx.world, app, parseConfigPatch(ctx.body ?? {}), { release: false, protectAddonKeys: false });
    return json(200, { ...app.config });
  });

  /**
   * Releases a slug declaring `process_types` (what a build of a Procfile produces), so formation
   * can be scaled before builds exist. Body: `{process_types, commit?, description?, stack?}`.
   * Answers the new release (201).
   */
  router.add('POST', '/__sandbox/apps/:app/process-types', (ctx) => {
    advance(ctx.world);
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    const body = objectBody(ctx.body);
    const processTypes = parseProcessTypes(body);
    const commit = optionalString(body, 'commit') ?? null;
    const stackRef = optionalString(body, 'stack') ?? app.buildStack;
    const stack = lookup(STACKS, stackRef);
    if (stack === undefined) throw notFound('stack');
    const now = ctx.world.now();
    const slug: SlugRecord = {
      id: ctx.world.ids.uuid(),
      processTypes,
      stack: stack.name,
      commit,
      commitDescription: optionalString(body, 'commit_description') ?? null,
      checksum: null,
      buildpackProvidedDescription: optionalString(body, 'buildpack_provided_description') ?? 'Node.js',
      size: null,
      blobKey: capabilityKey(),
      sourceKey: null,
      createdAt: now,
      updatedAt: now,
    };
    app.slugs.push(slug);
    const description =
      optionalString(body, 'description') ?? (commit === null ? 'Deploy' : `Deploy ${commit.slice(0, 8)}`);
    const release = createRelease(ctx.world, app, { description, slugId: slug.id });
    return json(201, releaseJson(app, release, baseUrlOf(ctx.request.headers)));
  });

  /**
   * Attaches an add-on out of band, provisioned unless `state` says otherwise: `{plan, as?, name?,
   * config_vars?, state?, price_cents?}`. Any `service:plan` is accepted (catalogue plans carry
   * their ids and price). Its config vars land on the app (owned by the add-on) with a release;
   * one left `provisioning` completes only through `…/addons/{addon}/provision`.
   */
  router.add('POST', '/__sandbox/apps/:app/addons', (ctx) => {
    advance(ctx.world);
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    const body = objectBody(ctx.body);
    const plan = optionalString(body, 'plan');
    if (plan === undefined) throw invalidParams('plan is required, e.g. heroku-postgresql:essential-0.');
    const configVars = body['config_vars'];
    const state = optionalString(body, 'state');
    if (state !== undefined && state !== 'provisioning' && state !== 'provisioned')
      throw invalidParams('state must be provisioning or provisioned.');
    const price = body['price_cents'];
    if (price !== undefined && (typeof price !== 'number' || !Number.isInteger(price) || price < 0))
      throw invalidParams('price_cents must be an integer >= 0.');
    const as = optionalString(body, 'as');
    const name = optionalString(body, 'name');
    const catalogued = findPlan(plan);
    const addon = createAddon(ctx.world, app, {
      planName: plan,
      ...(catalogued === undefined ? {} : { plan: catalogued, service: serviceOf(catalogued) }),
      state: state ?? 'provisioned',
      ...(as === undefined ? {} : { as }),
      ...(name === undefined ? {} : { name }),
      ...(configVars === undefined ? {} : { configVars: stringMap(configVars, 'config_vars') }),
      ...(price === undefined ? {} : { priceCents: price }),
    });
    return json(201, addonJson(app, addon));
  });
}

function parseProcessTypes(body: Body): Record<string, string> {
  const raw = body['process_types'];
  const types = stringMap(raw, 'process_types');
  for (const type of Object.keys(types)) {
    if (!/^[-\w]{1,128}$/.test(type)) throw invalidParams(`Invalid process type name ${JSON.stringify(type)}.`);
  }
  return types;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  ) {
    throw invalidParams(`${field} must be an object of strings.`);
  }
  return { ...(value as Record<string, string>) };
}
