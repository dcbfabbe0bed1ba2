import { json } from '../../http.js';
import { CEDAR, DEFAULT_REGION, DEFAULT_STACK, entry, lookup, REGIONS, STACKS } from '../model/catalog.js';
import { findApp, findTeam } from '../model/lookup.js';
import { appName } from '../model/names.js';
import type { AppRecord, HerokuState, TeamRecord } from '../model/state.js';
import {
  type Body,
  objectBody,
  optionalBoolean,
  optionalIdentity,
  optionalString,
  optionalStringArray,
} from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { HerokuError, invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { accountOf } from './account.js';
import { findFeature, setFeature } from './features.js';
import { createRelease } from './releases.js';

/** The schema's app name rule: 3–30 chars, lowercase letters, digits and dashes, starting with a letter. */
const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

export function appJson(heroku: HerokuState, app: AppRecord): Record<string, unknown> {
  const team = app.teamId === null ? null : (heroku.teams.find((t) => t.id === app.teamId) ?? null);
  const teamRef = team === null ? null : { id: team.id, name: team.name };
  const owner =
    team === null
      ? { id: heroku.account.id, email: heroku.account.email }
      : { id: team.id, email: `${team.name}@herokumanager.com` };
  const stack = entry(STACKS, app.stack);
  const buildStack = entry(STACKS, app.buildStack);
  const region = entry(REGIONS, app.region);
  return {
    acm: app.acm,
    archived_at: null,
    build_stack: { id: buildStack.id, name: buildStack.name },
    buildpack_provided_description: app.buildpackProvidedDescription,
    created_at: app.createdAt,
    generation: { id: CEDAR.id, name: CEDAR.name },
    git_url: `https://git.heroku.com/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: app.maintenance,
    name: app.name,
    organization: teamRef,
    owner,
    region: { id: region.id, name: region.name },
    released_at: app.releasedAt,
    repo_size: app.repoSize,
    slug_size: app.slugSize,
    space: null,
    stack: { id: stack.id, name: stack.name },
    team: teamRef,
    updated_at: app.updatedAt,
    web_url: `https://${app.name}-${app.webSuffix}.herokuapp.com/`,
  };
}

/** The `team-app` shape: the app plus `joined` and `locked`. */
export function teamAppJson(heroku: HerokuState, app: AppRecord): Record<string, unknown> {
  return { ...appJson(heroku, app), joined: false, locked: app.locked };
}

const APP_RANGES: readonly RangeKey<AppRecord>[] = [
  { name: 'id', value: (a) => a.id },
  { name: 'name', value: (a) => a.name },
  { name: 'updated_at', value: (a) => a.updatedAt },
];

export function registerApps(router: HerokuRouter): void {
  router.add('POST', '/apps', {
    handler: (ctx) => json(201, appJson(heroku(ctx), createApp(ctx, objectBody(ctx.body), null))),
  });
  router.add('POST', '/teams/apps', { handler: createTeamApp });
  router.add('GET', '/apps', { handler: (ctx) => listApps(ctx, heroku(ctx).apps) });
  router.add('GET', '/users/:account/apps', {
    handler: (ctx) => {
      accountOf(ctx);
      return listApps(ctx, heroku(ctx).apps);
    },
  });
  router.add('GET', '/teams/:team/apps', {
    handler: (ctx) => {
      const team = findTeam(heroku(ctx), ctx.params['team'] as string);
      if (team === undefined) throw notFound('team');
      return paginate(
        heroku(ctx).apps.filter((a) => a.teamId === team.id),
        APP_RANGES,
        ctx.range,
        (a) => teamAppJson(heroku(ctx), a),
      );
    },
  });
  router.add('GET', '/apps/:app', {
    handler: (ctx) => json(200, appJson(heroku(ctx), findApp(heroku(ctx), ctx.params['app'] as string))),
  });
  router.add('PATCH', '/apps/:app', { handler: updateApp });
  router.add('DELETE', '/apps/:app', {
    handler: (ctx) => {
      const app = findApp(heroku(ctx), ctx.params['app'] as string);
      const body = appJson(heroku(ctx), app);
      // The app's own add-ons, domains, drains and builds go with it (nested in the app); so
      // does its pipeline coupling.
      heroku(ctx).apps = heroku(ctx).apps.filter((a) => a.id !== app.id);
      heroku(ctx).couplings = heroku(ctx).couplings.filter((c) => c.appId !== app.id);
      return json(200, body);
    },
  });
}

function heroku(ctx: HerokuContext): HerokuState {
  return ctx.world.state.heroku;
}

function listApps(ctx: HerokuContext, apps: readonly AppRecord[]) {
  return paginate(apps, APP_RANGES, ctx.range, (a) => appJson(heroku(ctx), a));
}

/**
 * `POST /teams/apps`. Teams are created on first use: the sandbox has no team administration, and
 * refusing an unknown team would make `team:` in app.yaml unusable against it.
 */
function createTeamApp(ctx: HerokuContext) {
  const body = objectBody(ctx.body);
  const state = heroku(ctx);
  if (optionalString(body, 'space') !== undefined) throw notFound('space');
  const teamName = optionalString(body, 'team');
  const personal = optionalBoolean(body, 'personal') ?? false;
  let team: TeamRecord | null = null;
  if (teamName !== undefined && !personal) {
    team = findTeam(state, teamName) ?? null;
    if (team === null) {
      if (!/^[a-z][a-z0-9-]{1,29}$/.test(teamName)) throw notFound('team');
      team = { id: ctx.world.ids.uuid(), name: teamName, createdAt: ctx.world.now() };
      state.teams.push(team);
    }
  }
  const app = createApp(ctx, body, team);
  app.locked = optionalBoolean(body, 'locked') ?? false;
  return json(201, teamAppJson(state, app));
}

function createApp(ctx: HerokuContext, body: Body, team: TeamRecord | null): AppRecord {
  const { world } = ctx;
  const state = heroku(ctx);
  const requested = optionalString(body, 'name');
  if (requested !== undefined) checkName(state, requested);
  const regionRef = optionalIdentity(body, 'region') ?? DEFAULT_REGION;
  const region = lookup(REGIONS, regionRef);
  if (region === undefined) throw notFound('region');
  const stackRef = optionalIdentity(body, 'stack') ?? DEFAULT_STACK;
  const stack = lookup(STACKS, stackRef);
  if (stack === undefined) throw notFound('stack');
  const flags = optionalStringArray(body, 'feature_flags') ?? [];
  const unknownFlags = flags.filter((f) => findFeature(f) === undefined);
  if (unknownFlags.length > 0) throw invalidParams(`Unknown feature flags: ${unknownFlags.join(', ')}.`);
  optionalBoolean(body, 'internal_routing');

  const now = world.now();
  const app: AppRecord = {
    id: world.ids.uuid(),
    name: requested ?? appName(world.ids, (n) => state.apps.some((a) => a.name === n)),
    teamId: team?.id ?? null,
    locked: false,
    region: region.name,
    stack: stack.name,
    buildStack: stack.name,
    maintenance: false,
    acm: false,
    webSuffix: world.ids.hex(12),
    buildpackProvidedDescription: null,
    slugSize: null,
    repoSize: null,
    createdAt: now,
    updatedAt: now,
    releasedAt: null,
    config: {},
    releases: [],
    slugs: [],
    formation: [],
    addons: [],
    buildpacks: [],
    features: [],
    domains: [],
    logDrains: [],
    webhooks: [],
    builds: [],
    failNext: {},
  };
  for (const flag of flags)
    setFeature(app, findFeature(flag) as NonNullable<ReturnType<typeof findFeature>>, true, now);
  state.apps.push(app);
  createRelease(world, app, { description: 'Initial release' });
  createRelease(world, app, { description: 'Enable Logplex' });
  return app;
}

function checkName(state: HerokuState, name: string, self?: AppRecord): void {
  if (name.length > 30) throw invalidParams('Name is too long (maximum is 30 characters)');
  if (name.length < 3) throw invalidParams('Name is too short (minimum is 3 characters)');
  if (!APP_NAME.test(name)) {
    throw invalidParams(
      'Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.',
    );
  }
  if (state.apps.some((a) => a.name === name && a !== self)) throw invalidParams('Name is already taken');
}

function updateApp(ctx: HerokuContext) {
  const state = heroku(ctx);
  const app = findApp(state, ctx.params['app'] as string);
  const body = objectBody(ctx.body);
  const name = optionalString(body, 'name');
  const maintenance = optionalBoolean(body, 'maintenance');
  const buildStackRef = optionalIdentity(body, 'build_stack');
  if (name !== undefined) checkName(state, name, app);
  const buildStack = buildStackRef === undefined ? undefined : lookup(STACKS, buildStackRef);
  if (buildStackRef !== undefined && buildStack === undefined) throw notFound('stack');
  if (body['region'] !== undefined) throw new HerokuError(422, 'invalid_params', "An app's region cannot be changed.");

  let changed = false;
  if (name !== undefined && name !== app.name) {
    app.name = name;
    changed = true;
  }
  if (maintenance !== undefined && maintenance !== app.maintenance) {
    app.maintenance = maintenance;
    changed = true;
  }
  if (buildStack !== undefined && buildStack.name !== app.buildStack) {
    app.buildStack = buildStack.name;
    changed = true;
  }
  if (changed) app.updatedAt = ctx.world.now();
  return json(200, appJson(state, app));
}
