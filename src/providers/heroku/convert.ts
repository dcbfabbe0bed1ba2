import { makeAddress, type Resource } from '../../model/resource.js';
import { isSecretName } from '../../model/sensitive.js';
import type { Value } from '../../model/value.js';
import type { ApiApp, ApiConfigVars, ApiFormation } from './api-types.js';

/** `heroku.app[env]` as read: the attributes app.yaml can declare, in their app.yaml form. */
export function fromApiApp(environment: string, app: ApiApp): Resource {
  const attributes: Record<string, Value> = {
    name: app.name,
    region: app.region.name,
    // `stack` in app.yaml is the stack the next build uses; Heroku calls that `build_stack`.
    stack: app.build_stack.name,
    maintenance: app.maintenance,
    acm: app.acm,
  };
  if (app.team !== null) attributes['team'] = app.team.name;
  return {
    address: makeAddress('heroku.app', environment),
    provider: 'heroku',
    kind: 'heroku.app',
    scope: environment,
    attributes,
    sensitive: [],
    protect: true,
  };
}

/**
 * `heroku.config[env]` as read, without add-on-owned vars (those are never diffed or written).
 * Values are sensitive when the name looks secret, when app.yaml marks them so, or when app.yaml
 * does not declare them (an undeclared value could be anything).
 */
export function fromApiConfigVars(
  environment: string,
  vars: ApiConfigVars,
  addonOwned: ReadonlySet<string>,
  desired: Resource | undefined,
): Resource {
  const attributes: Record<string, Value> = {};
  const sensitive: string[] = [];
  for (const key of Object.keys(vars).sort()) {
    const value = vars[key];
    if (addonOwned.has(key) || value === null || value === undefined) continue;
    attributes[key] = value;
    const declared = desired !== undefined && Object.hasOwn(desired.attributes, key);
    if (!declared || isSecretName(key) || desired.sensitive.includes(key)) sensitive.push(key);
  }
  return {
    address: makeAddress('heroku.config', environment),
    provider: 'heroku',
    kind: 'heroku.config',
    scope: environment,
    attributes,
    sensitive,
  };
}

export function fromApiFormation(environment: string, formation: ApiFormation): Resource {
  return {
    address: makeAddress('heroku.formation', environment, formation.type),
    provider: 'heroku',
    kind: 'heroku.formation',
    scope: environment,
    attributes: { quantity: formation.quantity, size: normalizeDynoSize(formation.dyno_size?.name ?? formation.size) },
    sensitive: [],
  };
}

/** Heroku echoes sizes display-cased (`Standard-1X`); app.yaml uses lower case. */
export function normalizeDynoSize(size: string): string {
  return size.toLowerCase();
}

/** Body of `POST /apps` (personal) or `POST /teams/apps` (team) for a desired app. */
export function toApiAppCreate(app: Resource): { path: string; body: Record<string, unknown> } {
  const a = app.attributes;
  const body: Record<string, unknown> = { name: a['name'], region: a['region'], stack: a['stack'] };
  if (typeof a['team'] === 'string') return { path: '/teams/apps', body: { ...body, team: a['team'] } };
  return { path: '/apps', body };
}

/** Body of `PATCH /apps/{app}` for the attributes that can change in place. */
export function toApiAppUpdate(changed: readonly string[], app: Resource): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (changed.includes('maintenance')) body['maintenance'] = app.attributes['maintenance'];
  if (changed.includes('stack')) body['build_stack'] = app.attributes['stack'];
  return body;
}
