import { isoSeconds, stableUuid } from '../../ids.js';
import type { World } from '../../world.js';
import type { AddonPlan, AddonService } from '../model/addon-catalog.js';
import { addonOwnedKeys } from '../model/lookup.js';
import { addonName } from '../model/names.js';
import type { AddonRecord, AppRecord } from '../model/state.js';
import { invalidParams } from '../protocol/errors.js';
import { createRelease } from './releases.js';

/**
 * The life of an add-on on its app. Creating one attaches it at once (attachment name = config
 * var prefix; release "Attach DATABASE (@ref:postgresql-…)") and reserves the config vars it will
 * own. Synchronous services (newrelic, scheduler) set those vars in that same release. Data
 * services (heroku-postgresql, heroku-redis) stay `provisioning` for `addonProvisionMs`; then the
 * provider sets the vars in its own release "Update DATABASE by heroku-postgresql", made by
 * `heroku-postgresql@addons.heroku.com`, exactly as on Heroku. Removing one deletes its vars in a
 * "Detach …" release.
 */
export interface AddonSpec {
  /** `service:plan`; a catalogue plan carries its ids and price. */
  readonly planName: string;
  readonly plan?: AddonPlan;
  readonly service?: AddonService;
  /** Attachment name; default per service (DATABASE, then HEROKU_POSTGRESQL_<COLOR>; REDIS; …). */
  readonly as?: string;
  readonly name?: string;
  readonly config?: Readonly<Record<string, string>>;
  /** Explicit var values (admin helper); default: generated from the attachment name. */
  readonly configVars?: Readonly<Record<string, string>>;
  /** Force a state (admin helper); default from the service (async → provisioning). */
  readonly state?: 'provisioning' | 'provisioned';
  readonly priceCents?: number;
}

const POSTGRES = 'heroku-postgresql';
const PLAN = /^([a-z0-9][a-z0-9-]*):([a-z0-9][a-z0-9-]*)$/;
export const ADDON_NAME = /^[a-zA-Z][A-Za-z0-9_-]+$/;
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/;

export function createAddon(world: World, app: AppRecord, spec: AddonSpec): AddonRecord {
  const match = PLAN.exec(spec.planName);
  if (match === null) throw invalidParams('plan must be "service:plan", e.g. heroku-postgresql:essential-0.');
  const serviceName = match[1] as string;
  const heroku = world.state.heroku;
  const nameTaken = (n: string) => heroku.apps.some((a) => a.addons.some((x) => x.name === n));
  if (spec.name !== undefined && !ADDON_NAME.test(spec.name))
    throw invalidParams('Name must start with a letter and contain only letters, digits, dashes and underscores.');
  if (spec.name !== undefined && nameTaken(spec.name))
    throw invalidParams(`The add-on name ${spec.name} is already taken.`);
  if (spec.service?.supportsMultipleInstallations === false && app.addons.some((a) => a.service.name === serviceName))
    throw invalidParams(`${spec.service.humanName} can only be installed once per app.`);
  const as = spec.as ?? defaultAttachmentName(app, serviceName);
  if (!ATTACHMENT_NAME.test(as))
    throw invalidParams('Attachment name must be uppercase letters, digits and underscores, starting with a letter.');
  if (app.addons.some((a) => a.attachment.name === as))
    throw invalidParams(`An add-on is already attached to ${app.name} as ${as}.`);
  const varNames = spec.configVars === undefined ? varNamesFor(serviceName, as) : Object.keys(spec.configVars);
  const owned = addonOwnedKeys(app);
  for (const key of varNames) {
    if (!/^\w+$/.test(key)) throw invalidParams(`Invalid config var name ${JSON.stringify(key)}.`);
    if (owned.has(key)) throw invalidParams(`Cannot overwrite attachment values ${key}.`);
    if (spec.as !== undefined && spec.configVars === undefined && key in app.config)
      throw invalidParams(`${key} is already set on ${app.name}; remove it or attach as another name.`);
  }

  const atMs = world.clock().getTime();
  const now = isoSeconds(new Date(atMs));
  const state = spec.state ?? (spec.service?.async === true ? 'provisioning' : 'provisioned');
  const addon: AddonRecord = {
    id: world.ids.uuid(),
    name: spec.name ?? addonName(world.ids.keyed(`addon:${app.name}:${as}`), serviceName, nameTaken),
    service: { id: spec.service?.id ?? stableUuid('addon-service', serviceName), name: serviceName },
    plan: { id: spec.plan?.id ?? stableUuid('plan', spec.planName), name: spec.planName },
    state,
    configVars: varNames,
    providerId: world.ids.hex(8),
    provisionMessage: state === 'provisioning' ? provisioningMessage(serviceName) : '',
    webUrl: `https://addons-sso.heroku.com/apps/${app.id}/addons/${world.ids.uuid()}`,
    billedPrice: { cents: spec.priceCents ?? spec.plan?.cents ?? 0, contract: false, unit: 'month' },
    attachment: { id: world.ids.uuid(), name: as, createdAt: now, updatedAt: now },
    config: { ...spec.config },
    provisionDueMs:
      state === 'provisioning' && spec.state === undefined ? atMs + world.heroku.timings.addonProvisionMs : null,
    createdAt: now,
    updatedAt: now,
  };
  app.addons.push(addon);
  // A real database is created from now on, while the add-on provisions (see databases.ts).
  if (serviceName === POSTGRES && spec.configVars === undefined) {
    if (world.heroku.databases !== undefined) world.heroku.databases.provision(addon.id);
    else world.heroku.metadataOnly?.();
  }
  if (spec.configVars !== undefined) Object.assign(app.config, spec.configVars);
  else if (state === 'provisioned') setGeneratedVars(world, app, addon);
  createRelease(world, app, { description: `Attach ${as} (@ref:${addon.name})`, atMs });
  return addon;
}

/** Ends provisioning at `atMs`: the provider sets the add-on's vars and releases them. */
export function completeProvisioning(world: World, app: AppRecord, addon: AddonRecord, atMs: number): void {
  if (addon.state !== 'provisioning') return;
  // A Postgres add-on is `provisioned` only once its real database accepts connections: on Heroku,
  // `provisioned` means the database is usable (a restore or the app may connect at once).
  const databases = world.heroku.databases;
  if (addon.service.name === POSTGRES && databases !== undefined && !databases.ready(addon.id)) {
    addon.provisionDueMs = atMs + DATABASE_READY_POLL_MS;
    return;
  }
  addon.state = 'provisioned';
  addon.provisionDueMs = null;
  addon.provisionMessage = '';
  addon.updatedAt = isoSeconds(new Date(atMs));
  if (setGeneratedVars(world, app, addon)) {
    const service = addon.service.name;
    createRelease(world, app, {
      description: `Update ${addon.attachment.name} by ${service}`,
      atMs,
      user: { id: stableUuid('addon-provider', service), email: `${service}@addons.heroku.com` },
    });
  }
}

/** How long a provisioning Postgres add-on waits before its real database is asked again. */
const DATABASE_READY_POLL_MS = 250;

/** Destroys an add-on: its vars leave the app in a "Detach …" release. */
export function destroyAddon(world: World, app: AppRecord, addon: AddonRecord): void {
  app.addons = app.addons.filter((a) => a.id !== addon.id);
  for (const key of addon.configVars) delete app.config[key];
  if (addon.service.name === POSTGRES) world.heroku.databases?.deprovision(addon.id);
  addon.state = 'deprovisioned';
  addon.updatedAt = world.now();
  createRelease(world, app, { description: `Detach ${addon.attachment.name} (@ref:${addon.name})` });
}

/** Sets the add-on's vars that are not on the app yet; true when any was set. */
function setGeneratedVars(world: World, app: AppRecord, addon: AddonRecord): boolean {
  let changed = false;
  for (const key of addon.configVars) {
    if (key in app.config) continue;
    app.config[key] = generatedValue(world, addon, key);
    changed = true;
  }
  return changed;
}

/** The vars a service sets for an attachment name. */
function varNamesFor(service: string, as: string): string[] {
  if (service === 'newrelic') return [`${as}_LICENSE_KEY`, `${as}_LOG`];
  if (service === 'scheduler') return [];
  return [`${as}_URL`];
}

function provisioningMessage(service: string): string {
  return service === 'heroku-postgresql'
    ? 'Database has been created and will be available shortly'
    : 'Your add-on is being provisioned and will be available shortly';
}

/** First Postgres is DATABASE, later ones HEROKU_POSTGRESQL_<COLOR>; Redis likewise REDIS / HEROKU_REDIS_<COLOR>. */
function defaultAttachmentName(app: AppRecord, service: string): string {
  const owned = addonOwnedKeys(app);
  const taken = (as: string) =>
    app.addons.some((a) => a.attachment.name === as) ||
    varNamesFor(service, as).some((k) => k in app.config || owned.has(k));
  const colored = (first: string, prefix: string) => {
    if (!taken(first)) return first;
    return `${prefix}_${COLORS.find((c) => !taken(`${prefix}_${c}`)) ?? 'GRAY'}`;
  };
  if (service === 'heroku-postgresql') return colored('DATABASE', 'HEROKU_POSTGRESQL');
  if (service === 'heroku-redis') return colored('REDIS', 'HEROKU_REDIS');
  if (service === 'newrelic') return 'NEW_RELIC';
  return service.toUpperCase().replace(/-/g, '_');
}

// biome-ignore format: one colour per line would dwarf the logic
const COLORS = ['AMBER', 'BLUE', 'BRONZE', 'COBALT', 'CRIMSON', 'GOLD', 'GREEN', 'MAUVE', 'OLIVE', 'ONYX', 'PINK', 'PURPLE', 'RED', 'SILVER', 'TEAL', 'WHITE', 'YELLOW'];

/**
 * A Postgres add-on's URL is its real local database's when the sandbox has them (databases.ts);
 * other values are fake but realistically shaped: credentials included, never reachable.
 */
function generatedValue(world: World, addon: AddonRecord, key: string): string {
  const ids = world.ids;
  const service = addon.service.name;
  if (key.endsWith('_LICENSE_KEY')) return ids.hex(40);
  if (key.endsWith('_LOG')) return 'stdout';
  if (service === POSTGRES && world.heroku.databases !== undefined) return world.heroku.databases.provision(addon.id);
  if (service === POSTGRES) {
    return `postgres://u${ids.hex(14)}:p${ids.hex(64)}@c${ids.hex(12)}.cluster-czrs8kj4isg7.us-east-1.rds.amazonaws.com:5432/d${ids.hex(13)}`;
  }
  if (service === 'heroku-redis')
    return `rediss://:p${ids.hex(64)}@ec2-${ids.int(256)}-${ids.int(256)}-${ids.int(256)}-${ids.int(256)}.compute-1.amazonaws.com:${10000 + ids.int(20000)}`;
  return `https://${service}.example.com/${ids.hex(24)}`;
}
