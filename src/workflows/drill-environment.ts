import { CHEAPEST_PLAN, POSTGRES_PLANS_BY_STORAGE } from '../facts/heroku-addon-plans.js';
import type { AddonConfig, Config, ConfigVarSpec, EnvironmentConfig, FormationConfig } from '../model/config.js';
import { isSecretName } from '../model/sensitive.js';
import { assertNever } from '../runtime/errors.js';

/**
 * The config var that marks a drill environment's app: its value names the environment drilled.
 * Teardown deletes nothing whose app lacks it (workflows/drill-teardown.ts).
 */
export const DRILL_MARKER = 'DAFFEINATED_DRILL';
/** Appended to the app name (and to the environment's name, which addresses its resources). */
export const DRILL_SUFFIX = '-drill';
/** Heroku app names are at most 30 characters. */
const APP_NAME_MAX = 30;
/** Fresh secrets for every drill: the bytes of app.yaml's own `generate` default. */
const SECRET_BYTES = 32;
/** The one dyno a drill runs: the web process, on the cheapest size that is always on. */
const DRILL_WEB: FormationConfig = { quantity: 1, size: 'basic' };

export const POSTGRES_SERVICE = 'heroku-postgresql';

/** The drill app of an environment's app: `<app>-drill`, the app part shortened to fit 30 characters. */
export function drillAppName(app: string): string {
  const room = APP_NAME_MAX - DRILL_SUFFIX.length;
  return `${app.length <= room ? app : app.slice(0, room).replace(/-+$/, '')}${DRILL_SUFFIX}`;
}

export function drillEnvironmentName(environment: string): string {
  return `${environment}${DRILL_SUFFIX}`;
}

/** The environment a drill environment copies (`production-drill` → `production`): what `dr-drill` is run with. */
export function drilledEnvironmentName(drillEnvironment: string): string {
  return drillEnvironment.endsWith(DRILL_SUFFIX) ? drillEnvironment.slice(0, -DRILL_SUFFIX.length) : drillEnvironment;
}

/** The environment's database: its Postgres add-on attached as DATABASE, else its first Postgres add-on by local name. */
export function databaseAddon(environment: EnvironmentConfig): { readonly localName: string; readonly addon: AddonConfig } | undefined {
  const postgres = Object.entries(environment.addons)
    .filter(([, addon]) => addon.service === POSTGRES_SERVICE)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const found = postgres.find(([, addon]) => (addon.as ?? '') === 'DATABASE') ?? postgres[0];
  return found === undefined ? undefined : { localName: found[0], addon: found[1] };
}

/** The cheapest Postgres plan whose storage holds `bytes`; `fallback` when the size is unknown or beyond the table. */
export function postgresPlanFor(bytes: number | null, fallback: string): string {
  if (bytes === null) return fallback;
  return POSTGRES_PLANS_BY_STORAGE.find((row) => row.bytes >= bytes)?.plan ?? fallback;
}

export interface DrillDerivation {
  /** app.yaml reduced to the environment drilled and its drill environment: no pipeline, no zones, no budgets. */
  readonly config: Config;
  readonly source: EnvironmentConfig;
  readonly drill: EnvironmentConfig;
  /** The drill's local name of the database add-on (the restore's target). */
  readonly database: string;
}

/**
 * The throwaway copy of `source` a drill creates (pure): the app `<app>-drill`; the same add-on
 * services, each on its cheapest plan (the database on the cheapest that holds `databaseBytes`),
 * unprotected, without global names (those belong to the originals) and without backup schedules; the same config var
 * names, literal non-secret values kept and every secret generated fresh, plus the drill marker;
 * one web dyno on the cheapest always-on size and no other process (a worker on restored data
 * could send e-mails or charge cards); the same health check. No custom domains, ACM, log drains,
 * features, buildpacks, pipeline stage or Cloudflare zone: nothing of it is reachable by users.
 */
export function deriveDrill(config: Config, sourceName: string, databaseBytes: number | null): DrillDerivation | undefined {
  const source = config.environments[sourceName];
  if (source === undefined) return undefined;
  const database = databaseAddon(source);
  if (database === undefined) return undefined;
  const addons: Record<string, AddonConfig> = {};
  for (const [name, addon] of Object.entries(source.addons)) {
    const plan = name === database.localName ? postgresPlanFor(databaseBytes, addon.plan) : cheapestPlan(addon);
    addons[name] = { ...addon, plan, name: undefined, protect: false, backupSchedule: undefined };
  }
  const vars: Record<string, ConfigVarSpec> = {};
  for (const [key, spec] of Object.entries(source.config)) vars[key] = freshSecret(key, spec);
  vars[DRILL_MARKER] = { kind: 'literal', value: sourceName, sensitive: false };
  const drill: EnvironmentConfig = {
    ...source,
    name: drillEnvironmentName(sourceName),
    app: drillAppName(source.app),
    stage: undefined,
    maintenance: false,
    buildpacks: [],
    buildpacksDeclared: false,
    buildpacksSensitive: false,
    features: [],
    formation: 'web' in source.formation ? { web: DRILL_WEB } : {},
    addons,
    config: vars,
    domains: [],
    acm: false,
    logDrains: [],
    prune: { config: false, addons: false, domains: false, logDrains: false, formation: false },
    budget: undefined,
    sources: {},
  };
  const reduced: Config = {
    file: config.file,
    version: 1,
    name: config.name,
    pipeline: undefined,
    environments: { [sourceName]: source, [drill.name]: drill },
    cloudflare: { zones: {} },
    drift: { ignore: [] },
    sources: {},
  };
  return { config: reduced, source, drill, database: database.localName };
}

function cheapestPlan(addon: AddonConfig): string {
  return CHEAPEST_PLAN[addon.service] ?? addon.plan;
}

/**
 * Literal values that are no secret are kept; a secret — a sensitive literal or one whose name says
 * so (as the desired state judges it), a `from_env` value, a generated one — is generated anew.
 */
function freshSecret(key: string, spec: ConfigVarSpec): ConfigVarSpec {
  switch (spec.kind) {
    case 'literal':
      return spec.sensitive || isSecretName(key) ? { kind: 'generate', bytes: SECRET_BYTES } : spec;
    case 'from_env':
      return { kind: 'generate', bytes: SECRET_BYTES };
    case 'generate':
      return spec;
    default:
      return assertNever(spec, 'config var spec');
  }
}
