/**
 * The fewest requests the Heroku and Cloudflare APIs allow for a command, derived from the desired
 * state (DESIGN.md §8), and the matching of a sandbox request log against it.
 *
 * Reads: the apps, their add-ons and the couplings where app.yaml declares a stage — from two apps
 * on with the account's listings (`GET /apps`, then, if any named app exists, `GET /addons` and
 * `GET /pipeline-couplings`: one page each in an account of up to 1,000 of each), for one app with
 * `GET /apps/{app}` and, if it exists, its add-ons and coupling; then — only if the app exists —
 * one GET per kind no listing holds: config vars, formation, domains and log drains (undeclared
 * ones are reported as unmanaged), buildpacks and features only where app.yaml declares them;
 * `GET /pipelines/{name}`; per zone the zone lookup (once per run: the id never changes), the DNS
 * listing in pages of 5,000 (the largest page known to be served), the settings in one GET plus
 * `ssl_automatic_mode` on its own when declared (the bulk listing leaves it out), one GET per
 * declared WAF phase. Cost: one price list per add-on service and `GET /dyno-sizes` per run, for
 * priced changes only.
 * Writes: one POST per created app, add-on, domain, drain, pipeline and coupling, `POST …/acm` per
 * app with ACM, one config PATCH per app, one formation PATCH per app (none while deferred), one
 * buildpacks PUT, one PATCH per feature; per zone one DNS batch per 3,500 operations (200 on Free:
 * Cloudflare's limit per batch), one settings PATCH, one PUT per changed phase. Waits: one poll per add-on Heroku provisions asynchronously (Postgres, Redis).
 * Two minimums. The API-forced one: the reads and writes above, nothing else. The design's one adds
 * the confirmation re-read that ends an apply (DESIGN.md: "ends by re-reading and confirming
 * convergence"): one more read of the environments the apply changed (workflows/converge.ts
 * applyAndConfirm; the pipeline is read with them), which buys the verdict "live matches
 * app.yaml" from live state after the writes instead of from the writes' answers, so a write the
 * API accepted but applied differently (a normalised value, an add-on still provisioning, a
 * concurrent change) fails this run instead of surfacing at the next drift. The apply lock's
 * requests are in neither (extras.ts names them).
 */
import type { Resource } from '../src/model/resource.js';
import { batchLimit } from '../src/providers/cloudflare/dns-apply.js';
import { ACCOUNT_WIDE_FROM } from '../src/providers/heroku/read-apps.js';
import type { RequestLogEntry } from '../src/sandbox/index.js';
import { of, type Scenario } from './desired.js';
import { type Explanation, explain } from './extras.js';

interface Expected {
  readonly method: string;
  readonly path: RegExp;
  readonly label: string;
  count: number;
  /** Only a 2xx answer matches (reads of an existing app's parts), so a 404 of the same path stays extra. */
  readonly okOnly?: boolean;
  /** `confirm`: the apply's confirmation re-read, in the design minimum only; else forced by the APIs. */
  readonly part?: 'confirm';
}

export interface Extra extends Explanation {
  readonly request: string;
  readonly status: number;
}

export interface CallsResult {
  readonly made: number;
  /** The design minimum: the API-forced one plus the apply's confirmation re-read. */
  readonly minimum: number;
  readonly ratio: number;
  /** Reads and writes the APIs force: no confirmation re-read, no lock. */
  readonly apiMinimum: number;
  readonly apiRatio: number;
  readonly extras: readonly Extra[];
  /** Minimum requests the command did not send (should be none; else the model is wrong). */
  readonly missing: readonly string[];
  readonly heroku: number;
  readonly cloudflare: number;
}

const DNS_PAGE = 5_000;
/** Services whose add-ons the sandbox (like Heroku) provisions asynchronously: one poll each. */
const ASYNC_SERVICES = new Set(['heroku-postgresql', 'heroku-redis']);
const ZONE_ID = '[0-9a-f]{32}';

const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exact = (path: string) => new RegExp(`^${esc(path)}$`);
const cf = (_zone: string, rest: string) => new RegExp(`^/client/v4/zones/${ZONE_ID}${rest}$`);

function zonesOf(desired: readonly Resource[]): string[] {
  const zones = desired
    .filter((r) => r.provider === 'cloudflare')
    .map((r) => /\[([^/\]]+)/.exec(r.address)?.[1] as string);
  return [...new Set(zones)].sort();
}

function reads(desired: readonly Resource[], appsExist: boolean, zoneLookup: boolean, zoneRecords: number): Expected[] {
  const out: Expected[] = [];
  const add = (method: string, path: RegExp, label: string) =>
    out.push({ method, path, label, count: 1, okOnly: appsExist });
  const apps = of(desired, 'heroku.app');
  const wide = apps.length >= ACCOUNT_WIDE_FROM;
  if (wide) add('GET', exact('/apps'), 'read: apps (account-wide)');
  if (wide && appsExist) add('GET', exact('/addons'), 'read: add-ons (account-wide)');
  if (wide && appsExist && of(desired, 'heroku.coupling').length > 0)
    add('GET', exact('/pipeline-couplings'), 'read: couplings (account-wide)');
  for (const app of apps) {
    const base = `/apps/${encodeURIComponent(String(app.attributes['name']))}`;
    if (!wide) add('GET', exact(base), 'read: app');
    if (!appsExist) continue;
    for (const kind of ['config-vars', 'formation', ...(wide ? [] : ['addons']), 'domains', 'log-drains'])
      add('GET', exact(`${base}/${kind}`), `read: ${kind}`);
    if (of(desired, 'heroku.buildpacks', app.scope).length > 0)
      add('GET', exact(`${base}/buildpack-installations`), 'read: buildpacks');
    if (of(desired, 'heroku.feature', app.scope).length > 0) add('GET', exact(`${base}/features`), 'read: features');
    if (!wide && of(desired, 'heroku.coupling', app.scope).length > 0)
      add('GET', exact(`${base}/pipeline-couplings`), 'read: coupling');
  }
  for (const pipeline of of(desired, 'heroku.pipeline'))
    add('GET', exact(`/pipelines/${encodeURIComponent(String(pipeline.attributes['name']))}`), 'read: pipeline');
  for (const zone of zonesOf(desired)) {
    if (zoneLookup) add('GET', new RegExp(`^/client/v4/zones\\?name=${esc(zone)}(&|$)`), 'read: zone lookup');
    for (let page = 0; page < Math.max(1, Math.ceil(zoneRecords / DNS_PAGE)); page++)
      add('GET', cf(zone, '/dns_records\\?.*'), 'read: DNS listing');
    const settings = desired.find(
      (r) => r.kind === 'cloudflare.settings' && r.address === `cloudflare.settings[${zone}]`,
    );
    if (settings !== undefined) add('GET', cf(zone, '/settings'), 'read: zone settings');
    if (settings?.attributes['ssl_automatic_mode'] !== undefined)
      add('GET', cf(zone, '/settings/ssl_automatic_mode'), 'read: ssl_automatic_mode');
    for (const phase of phasesOf(desired, zone))
      add('GET', cf(zone, `/rulesets/phases/${phase}/entrypoint`), 'read: WAF phase');
  }
  return out;
}

function phasesOf(desired: readonly Resource[], zone: string): string[] {
  return of(desired, 'cloudflare.ruleset')
    .filter((r) => r.address.startsWith(`cloudflare.ruleset[${zone}/`))
    .map((r) => r.address.slice(r.address.indexOf('/') + 1, -1));
}

/** Every desired resource created: the first apply of an empty account (formation is deferred: no release yet). */
function creates(desired: readonly Resource[], zonePlans: Readonly<Record<string, string>>): Expected[] {
  const out: Expected[] = [];
  const add = (method: string, path: RegExp, label: string, count = 1) => {
    if (count > 0) out.push({ method, path, label, count });
  };
  add('POST', exact('/pipelines'), 'write: pipeline', of(desired, 'heroku.pipeline').length);
  for (const app of of(desired, 'heroku.app')) {
    const base = `/apps/${encodeURIComponent(String(app.attributes['name']))}`;
    const env = app.scope;
    add('POST', exact('/apps'), 'write: app');
    if (app.attributes['acm'] === true) add('POST', exact(`${base}/acm`), 'write: ACM');
    if (app.attributes['maintenance'] === true) add('PATCH', exact(base), 'write: maintenance');
    add('PATCH', exact(`${base}/config-vars`), 'write: config vars', of(desired, 'heroku.config', env).length);
    const addons = of(desired, 'heroku.addon', env);
    add('POST', exact(`${base}/addons`), 'write: add-on', addons.length);
    add(
      'GET',
      new RegExp(`^${esc(base)}/addons/[^/]+$`),
      'wait: provisioning poll',
      addons.filter((a) => ASYNC_SERVICES.has(String(a.attributes['service']))).length,
    );
    add(
      'PUT',
      exact(`${base}/buildpack-installations`),
      'write: buildpacks',
      of(desired, 'heroku.buildpacks', env).length,
    );
    for (const feature of of(desired, 'heroku.feature', env))
      add(
        'PATCH',
        exact(`${base}/features/${feature.address.slice(feature.address.indexOf('/') + 1, -1)}`),
        'write: feature',
      );
    add('POST', exact(`${base}/domains`), 'write: domain', of(desired, 'heroku.domain', env).length);
    add('POST', exact(`${base}/log-drains`), 'write: log drain', of(desired, 'heroku.drain', env).length);
  }
  add('POST', exact('/pipeline-couplings'), 'write: coupling', of(desired, 'heroku.coupling').length);
  for (const zone of zonesOf(desired)) {
    const records = desired.filter((r) => r.kind === 'cloudflare.dns' && r.address.startsWith(`cloudflare.dns[${zone}/`));
    const limit = batchLimit({ id: '', name: zone, plan: { legacy_id: zonePlans[zone] ?? 'free' } });
    add('POST', cf(zone, '/dns_records/batch'), 'write: DNS batch', Math.ceil(records.length / limit));
    if (desired.some((r) => r.address === `cloudflare.settings[${zone}]`))
      add('PATCH', cf(zone, '/settings'), 'write: zone settings');
    for (const phase of phasesOf(desired, zone))
      add('PUT', cf(zone, `/rulesets/phases/${phase}/entrypoint`), 'write: WAF phase');
  }
  return out;
}

/** One price list per add-on service created (no formation is priced: it is deferred before the first release). */
function costOfCreates(desired: readonly Resource[]): Expected[] {
  const services = [...new Set(of(desired, 'heroku.addon').map((a) => String(a.attributes['service'])))];
  return services.map((s) => ({
    method: 'GET',
    path: exact(`/addon-services/${encodeURIComponent(s)}/plans`),
    label: 'cost: price list',
    count: 1,
  }));
}

export interface MinimumInput {
  readonly desired: readonly Resource[];
  readonly scenario: Scenario;
  /** Live records in each zone when the command reads it. */
  readonly zoneRecords: number;
  /** Each zone's Cloudflare plan (`free`, `pro`, …): it sets how many DNS operations one batch takes. */
  readonly zonePlans: Readonly<Record<string, string>>;
  /** The app whose config vars the one-change apply writes. */
  readonly changedApp?: string;
}

const confirming = (expected: readonly Expected[]): Expected[] => expected.map((e) => ({ ...e, part: 'confirm' }));

export function minimumRequests(input: MinimumInput): Expected[] {
  const { desired, zoneRecords } = input;
  switch (input.scenario) {
    case 'plan-empty':
      return [...reads(desired, false, true, zoneRecords), ...costOfCreates(desired)];
    case 'plan':
    case 'drift':
      return reads(desired, true, true, zoneRecords);
    case 'apply-empty':
      return [
        ...reads(desired, false, true, zoneRecords),
        ...costOfCreates(desired),
        ...creates(desired, input.zonePlans),
        ...confirming(reads(desired, true, false, zoneRecords)),
      ];
    case 'apply-one': {
      const write: Expected = {
        method: 'PATCH',
        path: exact(`/apps/${input.changedApp}/config-vars`),
        label: 'write: config vars',
        count: 1,
      };
      // The confirmation reads the changed environment (and the pipeline, read with it), not every one.
      const scope = of(desired, 'heroku.app').find((a) => a.attributes['name'] === input.changedApp)?.scope;
      const changed = desired.filter((r) => r.scope === scope || r.kind === 'heroku.pipeline');
      return [
        ...reads(desired, true, true, zoneRecords),
        write,
        ...confirming(reads(changed, true, false, zoneRecords)),
      ];
    }
  }
}

/** Matches the log against the minimum; what is left over is extra, each with its reason. */
export function compareCalls(
  log: readonly RequestLogEntry[],
  expected: readonly Expected[],
  desired: readonly Resource[],
  scenario: Scenario,
): CallsResult {
  const remaining = expected.map((e) => ({ ...e }));
  const minimum = remaining.reduce((sum, e) => sum + e.count, 0);
  const apiMinimum = remaining.reduce((sum, e) => sum + (e.part === 'confirm' ? 0 : e.count), 0);
  const extras: Extra[] = [];
  const seen = new Map<string, number>();
  const seenExtra = new Map<string, number>();
  for (const entry of log) {
    const key = `${entry.method} ${entry.path}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const ok = entry.status >= 200 && entry.status < 300;
    const match = remaining.find(
      (e) => e.count > 0 && e.method === entry.method && e.path.test(entry.path) && (ok || !e.okOnly),
    );
    if (match !== undefined) match.count -= 1;
    else {
      // Only answered reads count as repeats: a 404 (a part of an app not created yet) saw nothing.
      if (ok) seenExtra.set(key, (seenExtra.get(key) ?? 0) + 1);
      const context = { desired, scenario, log, nth: seen.get(key) ?? 1, extraNth: seenExtra.get(key) ?? 1 };
      extras.push({ request: key, status: entry.status, ...explain(entry, context) });
    }
  }
  const missing = remaining
    .filter((e) => e.count > 0)
    .map((e) => `${e.count} × ${e.method} ${e.path.source} (${e.label})`);
  return {
    made: log.length,
    minimum,
    ratio: log.length / minimum,
    apiMinimum,
    apiRatio: log.length / apiMinimum,
    extras,
    missing,
    heroku: log.filter((e) => e.api === 'heroku').length,
    cloudflare: log.filter((e) => e.api === 'cloudflare').length,
  };
}
