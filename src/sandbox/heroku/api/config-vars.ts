import { json } from '../../http.js';
import type { World } from '../../world.js';
import { addonOwnedKeys, findApp } from '../model/lookup.js';
import type { AppRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';
import { createRelease, findRelease } from './releases.js';

/**
 * Config vars: a flat `{KEY: "value"}` map per app. PATCH merges (a `null` value removes the key),
 * answers with the whole resulting map, and cuts a release only when something actually changed,
 * described like Heroku's: "Set FOO, BAR config vars" / "Remove FOO config vars". Keys owned by
 * add-ons cannot be set or removed (422 "Cannot overwrite attachment values …").
 */
const KEY = /^\w+$/;

/** The changes a PATCH body asks for, checked as the API does; throws 422 on a bad body. */
export function parseConfigPatch(body: unknown): Map<string, string | null> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidParams('Config vars must be a JSON object.');
  const changes = new Map<string, string | null>();
  const badKeys: string[] = [];
  const badValues: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (!KEY.test(key)) badKeys.push(key);
    else if (value !== null && typeof value !== 'string') badValues.push(key);
    else changes.set(key, value);
  }
  if (badKeys.length > 0) {
    throw invalidParams(
      `Invalid config var names: ${badKeys.map((k) => JSON.stringify(k)).join(', ')}. Names may only contain letters, digits and underscores.`,
    );
  }
  if (badValues.length > 0) throw invalidParams(`Config var values must be strings or null: ${badValues.join(', ')}.`);
  return changes;
}

/**
 * Applies changes to the map and returns what changed (keys in request order). With `release`,
 * a change cuts a release; out-of-band edits (admin routes) pass `release: false`.
 */
export function applyConfigChanges(
  world: World,
  app: AppRecord,
  changes: ReadonlyMap<string, string | null>,
  options: { release: boolean; protectAddonKeys: boolean },
): { set: string[]; removed: string[] } {
  if (options.protectAddonKeys) {
    const owned = addonOwnedKeys(app);
    const clashes = [...changes.keys()].filter((k) => owned.has(k));
    if (clashes.length > 0) throw invalidParams(`Cannot overwrite attachment values ${clashes.join(', ')}.`);
  }
  const set: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of changes) {
    if (value === null) {
      if (key in app.config) {
        delete app.config[key];
        removed.push(key);
      }
    } else if (app.config[key] !== value) {
      app.config[key] = value;
      set.push(key);
    }
  }
  if (set.length + removed.length > 0) {
    app.updatedAt = world.now();
    if (options.release) createRelease(world, app, { description: describeConfigChange(set, removed) });
  }
  return { set, removed };
}

export function describeConfigChange(set: readonly string[], removed: readonly string[]): string {
  if (removed.length === 0) return `Set ${set.join(', ')} config vars`;
  if (set.length === 0) return `Remove ${removed.join(', ')} config vars`;
  return `Set ${set.join(', ')} and remove ${removed.join(', ')} config vars`;
}

export function registerConfigVars(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/config-vars', {
    handler: (ctx) => json(200, { ...findApp(ctx.world.state.heroku, ctx.params['app'] as string).config }),
  });
  router.add('PATCH', '/apps/:app/config-vars', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      applyConfigChanges(ctx.world, app, parseConfigPatch(ctx.body ?? {}), { release: true, protectAddonKeys: true });
      return json(200, { ...app.config });
    },
  });
  router.add('GET', '/apps/:app/releases/:release/config-vars', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, { ...findRelease(app, ctx.params['release'] as string).config });
    },
  });
}
