import { json } from '../http.js';
import { stableUuid } from '../ids.js';
import type { World } from '../world.js';
import type { HerokuContext, HerokuRouter } from './context.js';
import { invalidParams, notFound } from './errors.js';
import { appRef, findAddon, findApp } from './lookup.js';
import type { AddonRecord, AppRecord } from './model.js';
import { addonName } from './names.js';
import { paginate, type RangeKey } from './range.js';
import { createRelease } from './releases.js';

/**
 * Add-ons billed to an app. The config vars an add-on sets are listed in its `config_vars` and are
 * owned by it: the config-var endpoints refuse to change them. This slice serves the read
 * endpoints; add-ons are attached out of band (`attachAddon`, behind an admin route) until the
 * provisioning endpoints land.
 */
export function addonJson(app: AppRecord, addon: AddonRecord): Record<string, unknown> {
  return {
    actions: [],
    addon_service: { ...addon.service },
    app: appRef(app),
    billed_price: addon.billedPrice === null ? null : { ...addon.billedPrice },
    billing_entity: { id: app.id, name: app.name, type: 'app' },
    config_vars: [...addon.configVars],
    created_at: addon.createdAt,
    id: addon.id,
    name: addon.name,
    plan: { ...addon.plan },
    provider_id: addon.providerId,
    provision_message: addon.provisionMessage,
    state: addon.state,
    updated_at: addon.updatedAt,
    web_url: addon.webUrl,
  };
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
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const found = findAddon(ctx.world.state.heroku, ctx.params['addon'] as string);
      // Attachments to other apps do not exist yet, so an add-on is only visible on its own app.
      if (found.app.id !== app.id) throw notFound('add-on');
      return json(200, addonJson(app, found.addon));
    },
  });
  router.add('GET', '/addons/:addon', {
    handler: (ctx) => {
      const found = findAddon(ctx.world.state.heroku, ctx.params['addon'] as string);
      return json(200, addonJson(found.app, found.addon));
    },
  });
}

function listAddons(ctx: HerokuContext, items: readonly { app: AppRecord; addon: AddonRecord }[]) {
  return paginate(items, ADDON_RANGES, ctx.range, (x) => addonJson(x.app, x.addon));
}

export interface AttachSpec {
  /** `service:plan`, e.g. `heroku-postgresql:essential-0`. */
  readonly plan: string;
  /** Attachment name (config var prefix), e.g. `DATABASE` → `DATABASE_URL`. */
  readonly as?: string;
  readonly name?: string;
  /** The vars the add-on sets; default `{<AS>_URL: <generated URL>}`. */
  readonly configVars?: Readonly<Record<string, string>>;
  readonly state?: AddonRecord['state'];
  readonly priceCents?: number;
}

const PLAN = /^([a-z0-9][a-z0-9-]*):([a-z0-9][a-z0-9-]*)$/;
const ADDON_NAME = /^[a-zA-Z][A-Za-z0-9_-]+$/;

/**
 * Creates an add-on on `app` as provisioning would end: its config vars set on the app and a
 * release "Attach DATABASE (@ref:postgresql-flexible-35202)". Throws 422 on a bad spec.
 */
export function attachAddon(world: World, app: AppRecord, spec: AttachSpec): AddonRecord {
  const match = PLAN.exec(spec.plan);
  if (match === null) throw invalidParams('plan must be "service:plan", e.g. heroku-postgresql:essential-0.');
  const service = match[1] as string;
  const heroku = world.state.heroku;
  const nameTaken = (n: string) => heroku.apps.some((a) => a.addons.some((x) => x.name === n));
  if (spec.name !== undefined && (!ADDON_NAME.test(spec.name) || nameTaken(spec.name))) {
    throw invalidParams(`Add-on name ${spec.name} is invalid or already taken.`);
  }
  const as = spec.as ?? defaultAttachmentName(app, service);
  if (!/^[A-Z][A-Z0-9_]*$/.test(as))
    throw invalidParams('Attachment name must be uppercase letters, digits and underscores.');
  const configVars = spec.configVars ?? { [`${as}_URL`]: generatedUrl(world, service) };
  const owned = new Set(app.addons.flatMap((a) => a.configVars));
  for (const key of Object.keys(configVars)) {
    if (!/^\w+$/.test(key)) throw invalidParams(`Invalid config var name ${JSON.stringify(key)}.`);
    if (owned.has(key)) throw invalidParams(`Cannot overwrite attachment values ${key}.`);
  }

  const now = world.now();
  const addon: AddonRecord = {
    id: world.ids.uuid(),
    name: spec.name ?? addonName(world.ids, service, nameTaken),
    service: { id: stableUuid('addon-service', service), name: service },
    plan: { id: stableUuid('plan', spec.plan), name: spec.plan },
    state: spec.state ?? 'provisioned',
    configVars: Object.keys(configVars),
    providerId: world.ids.hex(8),
    provisionMessage: '',
    webUrl: `https://addons-sso.heroku.com/apps/${app.id}/addons/${world.ids.uuid()}`,
    billedPrice: { cents: spec.priceCents ?? 0, contract: false, unit: 'month' },
    createdAt: now,
    updatedAt: now,
  };
  app.addons.push(addon);
  Object.assign(app.config, configVars);
  createRelease(world, app, { description: `Attach ${as} (@ref:${addon.name})` });
  return addon;
}

/** First Postgres is DATABASE, later ones HEROKU_POSTGRESQL_<COLOR>; Redis is REDIS; else the service. */
function defaultAttachmentName(app: AppRecord, service: string): string {
  const taken = (prefix: string) =>
    `${prefix}_URL` in app.config || app.addons.some((a) => a.configVars.includes(`${prefix}_URL`));
  if (service === 'heroku-postgresql') {
    if (!taken('DATABASE')) return 'DATABASE';
    const color = COLORS.find((c) => !taken(`HEROKU_POSTGRESQL_${c}`)) ?? 'GRAY';
    return `HEROKU_POSTGRESQL_${color}`;
  }
  if (service === 'heroku-redis') return 'REDIS';
  return service.toUpperCase().replace(/-/g, '_');
}

const COLORS = [
  'AMBER',
  'BLUE',
  'BRONZE',
  'COBALT',
  'CRIMSON',
  'GOLD',
  'GREEN',
  'MAUVE',
  'OLIVE',
  'ONYX',
  'PINK',
  'PURPLE',
  'RED',
  'SILVER',
  'TEAL',
  'WHITE',
  'YELLOW',
];

function generatedUrl(world: World, service: string): string {
  const ids = world.ids;
  if (service === 'heroku-postgresql') {
    return `postgres://u${ids.hex(14)}:p${ids.hex(64)}@c${ids.hex(12)}.cluster-czrs8kj4isg7.us-east-1.rds.amazonaws.com:5432/d${ids.hex(13)}`;
  }
  if (service === 'heroku-redis')
    return `rediss://:p${ids.hex(64)}@ec2-${ids.int(256)}-${ids.int(256)}-${ids.int(256)}-${ids.int(256)}.compute-1.amazonaws.com:${10000 + ids.int(20000)}`;
  return `https://${service}.example.com/${ids.hex(24)}`;
}
