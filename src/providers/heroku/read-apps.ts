import type {
  ApiAddon,
  ApiApp,
  ApiBuildpackInstallation,
  ApiConfigVars,
  ApiCoupling,
  ApiDomain,
  ApiFeature,
  ApiFormation,
  ApiLogDrain,
} from './api-types.js';
import type { Shape } from '../../runtime/shape.js';
import type { HerokuClient } from './client.js';
import type { RawApp } from './live.js';
import * as shapes from './shapes.js';

/**
 * How the apps of a read are fetched (issue #20, docs/BENCHMARKS.md "Rate budget"). Config vars,
 * formation, domains, log drains, buildpacks and features have no listing wider than the app's:
 * one request each per app. The apps themselves, their add-ons and their pipeline couplings do:
 * `GET /apps`, `GET /addons` and `GET /pipeline-couplings` list the whole account, 1,000 to a page.
 * From `ACCOUNT_WIDE_FROM` apps on, those three listings replace the per-app reads; each is
 * followed page by page only while the pages it cost stay fewer than the per-app requests they
 * would replace (what is still unanswered), then given up for per-app reads of what is left (the
 * ski-rental rule: never more than twice the cheaper of the two ways). All first pages go out in
 * the same round as the per-app reads.
 */

/** Fewest apps in one read for which the account-wide listings are used (one app: 2–3 requests either way). */
export const ACCOUNT_WIDE_FROM = 2;

/** The first page of a list: the most Heroku gives in one (its default is 200). */
export const FIRST_PAGE = 'id ..; max=1000';

/**
 * The reads of an app that app.yaml may leave out. The app, its config vars, formation, add-ons,
 * domains and log drains are always read: what is live there and undeclared is part of the live
 * state (reported as unmanaged, or planned away). Buildpacks, features and the pipeline coupling
 * count only where app.yaml declares them (`liveEnvironment`), so they are read only then — and
 * all of them for import (`complete`), which reports everything.
 */
export interface OptionalReads {
  readonly buildpacks: boolean;
  readonly features: boolean;
  readonly coupling: boolean;
}

/** One app to read and the optional reads it needs. */
export interface AppRead {
  readonly appName: string;
  readonly reads: OptionalReads;
}

/** Every app of `targets`, in their order: per app below `ACCOUNT_WIDE_FROM` apps, else with the account's listings. */
export function readApps(client: HerokuClient, targets: readonly AppRead[]): Promise<RawApp[]> {
  if (targets.length < ACCOUNT_WIDE_FROM) return Promise.all(targets.map((t) => fetchApp(client, t.appName, t.reads)));
  return readAccountWide(client, targets);
}

/** One request per kind for the app (the optional ones as `reads` says), all in flight at once. */
export async function fetchApp(client: HerokuClient, appName: string, reads: OptionalReads): Promise<RawApp> {
  const base = appPath(appName);
  const [app, addons, coupling, parts] = await Promise.all([
    client.find<ApiApp>(base, shapes.APP),
    client.find<ApiAddon[]>(`${base}/addons`, shapes.ADDONS),
    // An app in no pipeline has no coupling: 404.
    reads.coupling ? client.find<ApiCoupling>(`${base}/pipeline-couplings`, shapes.COUPLING) : undefined,
    fetchParts(client, appName, reads),
  ]);
  return app === undefined ? MISSING : { app, addons, coupling, ...parts };
}

type Parts = Omit<RawApp, 'app' | 'addons' | 'coupling'>;

/** What an app's own reads return when it does not exist: nothing. */
const MISSING: RawApp = {
  app: undefined,
  vars: undefined,
  formation: undefined,
  addons: undefined,
  buildpacks: undefined,
  features: undefined,
  domains: undefined,
  drains: undefined,
  coupling: undefined,
};

function appPath(appName: string): string {
  return `/apps/${encodeURIComponent(appName)}`;
}

/** The kinds no account-wide listing holds: one request each (the optional ones as `reads` says). */
async function fetchParts(client: HerokuClient, appName: string, reads: OptionalReads): Promise<Parts> {
  const base = appPath(appName);
  const [vars, formation, buildpacks, features, domains, drains] = await Promise.all([
    client.find<ApiConfigVars>(`${base}/config-vars`, shapes.CONFIG_VARS),
    client.find<ApiFormation[]>(`${base}/formation`, shapes.FORMATION),
    reads.buildpacks
      ? client.find<ApiBuildpackInstallation[]>(`${base}/buildpack-installations`, shapes.BUILDPACKS)
      : undefined,
    reads.features ? client.find<ApiFeature[]>(`${base}/features`, shapes.FEATURES) : undefined,
    client.find<ApiDomain[]>(`${base}/domains`, shapes.DOMAINS),
    client.find<ApiLogDrain[]>(`${base}/log-drains`, shapes.DRAINS),
  ]);
  return { vars, formation, buildpacks, features, domains, drains };
}

/** A listing read to its end (`complete`), or given up with what its pages held. */
interface Listing<T> {
  readonly items: readonly T[];
  readonly complete: boolean;
}

/**
 * Pages through `path` while the pages spent are fewer than `open(items so far)`, the per-app
 * requests that would still be needed; stops early when nothing is open.
 */
async function listWhileCheaper<T>(
  client: HerokuClient,
  path: string,
  shape: Shape<unknown>,
  open: (items: readonly T[]) => number,
): Promise<Listing<T>> {
  const items: T[] = [];
  let range = FIRST_PAGE;
  for (let spent = 1; ; spent++) {
    const page = await client.page<T>(path, range, shape);
    items.push(...page.items);
    if (page.nextRange === undefined) return { items, complete: true };
    const left = open(items);
    if (left === 0 || spent >= left) return { items, complete: false };
    range = page.nextRange;
  }
}

async function readAccountWide(client: HerokuClient, targets: readonly AppRead[]): Promise<RawApp[]> {
  const names = new Set(targets.map((t) => t.appName));
  const coupled = targets.filter((t) => t.reads.coupling).length;
  const [apps, addonListing, couplingListing, parts] = await Promise.all([
    listWhileCheaper<ApiApp>(client, '/apps', shapes.APPS, (items) => {
      const found = new Set(items.filter((a) => names.has(a.name)).map((a) => a.name));
      return names.size - found.size;
    }).then((listing) => resolveApps(client, names, listing)),
    listWhileCheaper<ApiAddon>(client, '/addons', shapes.ACCOUNT_ADDONS, () => names.size),
    coupled === 0
      ? undefined
      : listWhileCheaper<ApiCoupling>(client, '/pipeline-couplings', shapes.COUPLINGS, () => coupled),
    Promise.all(targets.map((t) => fetchParts(client, t.appName, t.reads))),
  ]);
  const existing = targets.filter((t) => apps.get(t.appName) !== undefined);
  const [addons, couplings] = await Promise.all([
    byApp(existing, apps, addonListing, (addon) => addon.app?.id, (t) =>
      client.find<ApiAddon[]>(`${appPath(t.appName)}/addons`, shapes.ADDONS),
    ),
    couplingListing === undefined
      ? new Map<string, ApiCoupling | undefined>()
      : byApp(
          existing.filter((t) => t.reads.coupling),
          apps,
          couplingListing,
          (coupling) => coupling.app.id,
          (t) => client.find<ApiCoupling>(`${appPath(t.appName)}/pipeline-couplings`, shapes.COUPLING),
        ).then((all) => new Map([...all].map(([name, list]) => [name, list?.[0]]))),
  ]);
  return targets.map((t, i) => {
    const app = apps.get(t.appName);
    if (app === undefined) return MISSING;
    return { app, addons: addons.get(t.appName), coupling: couplings.get(t.appName), ...(parts[i] as Parts) };
  });
}

/**
 * Each named app, or undefined when the account has none by that name: from the listing, and
 * per app (`GET /apps/{name}`) for the names an incomplete listing did not reach.
 */
async function resolveApps(
  client: HerokuClient,
  names: ReadonlySet<string>,
  listing: Listing<ApiApp>,
): Promise<Map<string, ApiApp | undefined>> {
  const apps = new Map<string, ApiApp | undefined>();
  for (const app of listing.items) if (names.has(app.name)) apps.set(app.name, app);
  const unread = [...names].filter((name) => !apps.has(name));
  const found = listing.complete ? [] : await Promise.all(unread.map((name) => client.find<ApiApp>(appPath(name), shapes.APP)));
  for (const [i, name] of unread.entries()) apps.set(name, found[i]);
  return apps;
}

/**
 * A listing's items grouped by the app they belong to (`appOf`: its id), for each app of
 * `targets`; read per app instead (`perApp`) when the listing was given up.
 */
async function byApp<T>(
  targets: readonly AppRead[],
  apps: ReadonlyMap<string, ApiApp | undefined>,
  listing: Listing<T>,
  appOf: (item: T) => string | undefined,
  perApp: (target: AppRead) => Promise<T | T[] | undefined>,
): Promise<Map<string, T[] | undefined>> {
  const grouped = new Map<string, T[] | undefined>();
  if (!listing.complete) {
    const read = await Promise.all(targets.map(perApp));
    for (const [i, t] of targets.entries()) {
      const answer = read[i];
      grouped.set(t.appName, answer === undefined ? undefined : Array.isArray(answer) ? answer : [answer]);
    }
    return grouped;
  }
  const byId = new Map<string, T[]>();
  for (const item of listing.items) {
    const id = appOf(item);
    if (id === undefined) continue;
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [item]);
    else list.push(item);
  }
  for (const t of targets) grouped.set(t.appName, byId.get(apps.get(t.appName)?.id ?? '') ?? []);
  return grouped;
}
