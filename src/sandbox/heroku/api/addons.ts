import type { IncomingHttpHeaders } from 'node:http';
import { header, json } from '../../http.js';
import { type AddonPlan, findPlan, findService, serviceOf } from '../model/addon-catalog.js';
import { appRef, findAddon, findApp } from '../model/lookup.js';
import type { AddonRecord, AppRecord } from '../model/state.js';
import { type Body, objectBody, optionalObject, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { ADDON_NAME, createAddon, destroyAddon } from './addon-provision.js';
import { addonServiceJson, planJson } from './addon-services.js';

/**
 * Add-ons billed to an app (provisioning rules in addon-provision.ts; timed/addon-provisioning.ts
 * completes the asynchronous ones). `Accept-Expansion: plan` (or `addon_service,plan`, as `heroku
 * addons` sends) replaces the `{id, name}` references with the full plan / service objects, as
 * Heroku does.
 */
export function addonJson(
  app: AppRecord,
  addon: AddonRecord,
  expand: ReadonlySet<string> = NONE,
): Record<string, unknown> {
  const plan = findPlan(addon.plan.name);
  const service = findService(addon.service.name);
  return {
    actions: [],
    addon_service:
      expand.has('addon_service') && service !== undefined ? addonServiceJson(service) : { ...addon.service },
    app: appRef(app),
    billed_price: addon.billedPrice === null ? null : { ...addon.billedPrice },
    billing_entity: { id: app.id, name: app.name, type: 'app' },
    config_vars: [...addon.configVars],
    created_at: addon.createdAt,
    id: addon.id,
    name: addon.name,
    plan: expand.has('plan') && plan !== undefined ? planJson(plan) : { ...addon.plan },
    provider_id: addon.providerId,
    provision_message: addon.provisionMessage,
    state: addon.state,
    updated_at: addon.updatedAt,
    web_url: addon.webUrl,
  };
}

const NONE: ReadonlySet<string> = new Set();

/** The expansions asked for with `Accept-Expansion` (comma-separated). */
export function expansions(headers: IncomingHttpHeaders): Set<string> {
  const value = header(headers, 'accept-expansion') ?? '';
  return new Set(
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  );
}

const ADDON_RANGES: readonly RangeKey<{ app: AppRecord; addon: AddonRecord }>[] = [
  { name: 'id', value: (x) => x.addon.id },
  { name: 'name', value: (x) => x.addon.name },
];

export function registerAddons(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/addons', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return listAddons(
        ctx,
        app.addons.map((addon) => ({ app, addon })),
      );
    },
  });
  router.add('GET', '/addons', {
    handler: (ctx) =>
      listAddons(
        ctx,
        ctx.world.state.heroku.apps.flatMap((app) => app.addons.map((addon) => ({ app, addon }))),
      ),
  });
  router.add('GET', '/apps/:app/addons/:addon', {
    handler: (ctx) => {
      const { app, addon } = addonOfApp(ctx);
      return json(200, addonJson(app, addon, expansions(ctx.headers)));
    },
  });
  router.add('GET', '/addons/:addon', {
    handler: (ctx) => {
      const found = findAddon(ctx.world.state.heroku, ctx.params['addon'] as string);
      return json(200, addonJson(found.app, found.addon, expansions(ctx.headers)));
    },
  });
  router.add('POST', '/apps/:app/addons', { handler: create });
  router.add('PATCH', '/apps/:app/addons/:addon', { handler: changePlan });
  router.add('DELETE', '/apps/:app/addons/:addon', {
    handler: (ctx) => {
      const { app, addon } = addonOfApp(ctx);
      destroyAddon(ctx.world, app, addon);
      return json(200, addonJson(app, addon, expansions(ctx.headers)));
    },
  });
}

function listAddons(ctx: HerokuContext, items: readonly { app: AppRecord; addon: AddonRecord }[]) {
  const expand = expansions(ctx.headers);
  return paginate(items, ADDON_RANGES, ctx.range, (x) => addonJson(x.app, x.addon, expand));
}

/** An add-on by id or name that belongs to the app in the path (there are no cross-app attachments). */
function addonOfApp(ctx: HerokuContext): { app: AppRecord; addon: AddonRecord } {
  const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
  const found = findAddon(ctx.world.state.heroku, ctx.params['addon'] as string);
  if (found.app.id !== app.id) throw notFound('add-on');
  return found;
}

/**
 * `POST /apps/{app}/addons`: `plan` as `service:plan`, a bare service (its default plan), a plan
 * id, or `{name}` / `{id}` as the official CLI sends; `attachment: {name}` (upper-cased, as the
 * config var prefix); `config` (strings); `name` (globally unique). `confirm` is accepted and
 * ignored: the sandbox never asks for billing confirmation.
 */
function create(ctx: HerokuContext) {
  const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
  const body = objectBody(ctx.body);
  const plan = planFrom(body);
  const attachment = optionalObject(body, 'attachment');
  const as = attachment === undefined ? undefined : optionalString(attachment, 'name')?.toUpperCase();
  const name = optionalString(body, 'name');
  optionalString(body, 'confirm');
  const addon = createAddon(ctx.world, app, {
    planName: plan.name,
    plan,
    service: serviceOf(plan),
    config: stringConfig(body),
    ...(as === undefined ? {} : { as }),
    ...(name === undefined ? {} : { name }),
  });
  return json(201, addonJson(app, addon, expansions(ctx.headers)));
}

/**
 * `PATCH /apps/{app}/addons/{addon}`: a plan change within the same service keeps the add-on, its
 * attachment and its config vars (no release); `name` renames it.
 */
function changePlan(ctx: HerokuContext) {
  const { app, addon } = addonOfApp(ctx);
  const body = objectBody(ctx.body);
  const plan = planFrom(body);
  const name = optionalString(body, 'name');
  if (plan.serviceName !== addon.service.name) {
    throw invalidParams(
      `Cannot change ${addon.name} from ${addon.plan.name} to ${plan.name}: plans can only change within the same add-on service.`,
    );
  }
  if (addon.state !== 'provisioned')
    throw invalidParams(`${addon.name} is still ${addon.state}; try again when it is provisioned.`);
  if (name !== undefined && name !== addon.name) {
    if (!ADDON_NAME.test(name))
      throw invalidParams('Name must start with a letter and contain only letters, digits, dashes and underscores.');
    if (ctx.world.state.heroku.apps.some((a) => a.addons.some((x) => x.name === name)))
      throw invalidParams(`The add-on name ${name} is already taken.`);
    addon.name = name;
    addon.updatedAt = ctx.world.now();
  }
  if (plan.name !== addon.plan.name) {
    refuseAcrossEssential(addon.plan.name, plan.name);
    addon.plan = { id: plan.id, name: plan.name };
    addon.billedPrice = { cents: plan.cents, contract: false, unit: 'month' };
    addon.updatedAt = ctx.world.now();
  }
  return json(200, addonJson(app, addon, expansions(ctx.headers)));
}

/**
 * Heroku Postgres changes a plan in place within the Essential tier, or among the other tiers;
 * into or out of Essential it needs `pg:copy` (Dev Center "Changing the Plan or Infrastructure of
 * a Heroku Postgres Database"). The real refusal's wording is not published; this one says why.
 */
function refuseAcrossEssential(from: string, to: string): void {
  const essential = (plan: string) => /^heroku-postgresql:(essential|mini|basic)(-|$)/.test(plan);
  if (!from.startsWith('heroku-postgresql:') || essential(from) === essential(to)) return;
  throw invalidParams(
    `Cannot change ${from} to ${to} in place: Essential-tier databases change only to other Essential plans. Use pg:copy to a new database.`,
  );
}

function planFrom(body: Body): AddonPlan {
  const raw = body['plan'];
  let identity: unknown = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw))
    identity = (raw as Body)['id'] ?? (raw as Body)['name'];
  if (typeof identity !== 'string' || identity === '')
    throw invalidParams('Invalid params: plan is required (e.g. heroku-postgresql:essential-0).');
  const plan = findPlan(identity);
  // Heroku's status and wording (422 invalid_params, as heroku/cli's addons:create tests record
  // it); the sandbox's catalogue is what `GET /addon-services` lists.
  if (plan === undefined)
    throw invalidParams(`Couldn't find either the add-on service or the add-on plan of "${identity}".`);
  return plan;
}

function stringConfig(body: Body): Record<string, string> {
  const config = optionalObject(body, 'config') ?? {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') throw invalidParams(`Invalid params: config.${key} must be a string.`);
  }
  return { ...(config as Record<string, string>) };
}
