import { json } from '../../http.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord } from '../model/state.js';
import { objectBody } from '../model/validate.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';

/**
 * Buildpack installations: the app's ordered buildpack list. `PUT` replaces the whole list (an
 * empty list clears it) and never cuts a release; the next build uses it. A buildpack is given as
 * a Buildpack Registry name (`heroku/nodejs`), a `urn:buildpack:` URN, or an http(s) URL; `url`
 * echoes what was given and `name` is the registry name when there is one, else the URL.
 */
export function buildpackJson(app: AppRecord): Record<string, unknown>[] {
  return app.buildpacks.map((b, ordinal) => ({ buildpack: { name: b.name, url: b.url }, ordinal }));
}

const REGISTRY_NAME = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*$/i;
const OFFICIAL_REPO = /^https:\/\/github\.com\/heroku\/heroku-buildpack-([a-z0-9-]+?)(\.git)?\/?$/i;

/** `{url, name}` for a buildpack reference, or undefined when it is none of the accepted forms. */
export function parseBuildpack(ref: string): { url: string; name: string } | undefined {
  const url = ref.trim();
  if (REGISTRY_NAME.test(url)) return { url, name: url.toLowerCase() };
  if (url.startsWith('urn:buildpack:')) {
    const name = url.slice('urn:buildpack:'.length);
    return REGISTRY_NAME.test(name) ? { url, name: name.toLowerCase() } : undefined;
  }
  const official = OFFICIAL_REPO.exec(url);
  if (official !== null) return { url, name: `heroku/${(official[1] as string).toLowerCase()}` };
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? { url, name: url } : undefined;
  } catch {
    return undefined;
  }
}

export function registerBuildpacks(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/buildpack-installations', {
    handler: (ctx) => json(200, buildpackJson(findApp(ctx.world.state.heroku, ctx.params['app'] as string))),
  });
  router.add('PUT', '/apps/:app/buildpack-installations', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const updates = objectBody(ctx.body)['updates'];
      if (!Array.isArray(updates)) throw invalidParams('Invalid params: updates must be an array.');
      const parsed = updates.map((u: unknown, i) => {
        const ref = typeof u === 'object' && u !== null ? (u as Record<string, unknown>)['buildpack'] : undefined;
        if (typeof ref !== 'string') throw invalidParams(`Invalid params: updates[${i}].buildpack must be a string.`);
        const buildpack = parseBuildpack(ref);
        if (buildpack === undefined)
          throw invalidParams(`${ref} is not a buildpack: use a registry name (heroku/nodejs) or an http(s) URL.`);
        return buildpack;
      });
      const names = parsed.map((b) => b.name);
      const duplicate = names.find((n, i) => names.indexOf(n) !== i);
      if (duplicate !== undefined) throw invalidParams(`The buildpack ${duplicate} is listed more than once.`);
      app.buildpacks = parsed;
      app.updatedAt = ctx.world.now();
      return json(200, buildpackJson(app));
    },
  });
}
