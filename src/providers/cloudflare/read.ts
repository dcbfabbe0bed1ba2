import type { LiveState } from '../../engine/types.js';
import { cloudflarePlanName } from '../../facts/cloudflare-plans.js';
import { parseAddress, type Resource } from '../../model/resource.js';
import { valuesEqual, type Value } from '../../model/value.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { InternalError } from '../../runtime/errors.js';
import type { ReadScope } from '../provider.js';
import type { ApiSetting } from './api-types.js';
import type { CloudflareClient } from './client.js';
import { asValue, fromApiRecord, isOurRule, type LiveRecord, normalizeRule, SINGLE_ENDPOINT_SETTINGS, settingId, settingsFromApi } from './convert.js';
import { RULESET_PHASES, type RulesetPhase } from './desired.js';
import { entitlementProblems } from './entitlements.js';
import { PLAN_CHECKED_SETTINGS } from './entitlements-cache.js';
import { assignRecords } from './records.js';

/** Zone name → the environment that owns its settings, WAF and extra records (from app.yaml). */
export type ZoneOwners = ReadonlyMap<string, string>;

/** What a read saw of one zone, kept for apply (record ids) and for the DNS safety threshold. */
export interface ZoneSnapshot {
  readonly zoneId: string;
  /** Every record of the zone, ours and foreign, every environment's. */
  readonly records: readonly LiveRecord[];
}

export interface CloudflareRead extends LiveState {
  readonly snapshots: ReadonlyMap<string, ZoneSnapshot>;
}

/**
 * Reads every declared zone when any environment is planned (a planned environment may have
 * records to remove in any zone). Per zone: the zone lookup (once per client), then at once the
 * DNS listing, the settings (the bulk GET, plus `ssl_automatic_mode` when declared; only when
 * settings are declared) and each declared WAF phase — two rounds in all, zones concurrently. See `assignRecords` for which records are
 * reported, as whose.
 */
export async function readCloudflare(client: CloudflareClient, zones: ZoneOwners, scope: ReadScope): Promise<CloudflareRead> {
  const planned = new Set(scope.scopes);
  const desired = scope.desired.filter((r) => r.provider === 'cloudflare');
  if (planned.size === 0) return { resources: [], deferred: [], diagnostics: [], snapshots: new Map() };
  const names = [...new Set([...zones.keys(), ...desired.map(zoneOf)])].sort();
  const parts = await Promise.all(
    names.map((zone) => {
      const owner = zones.get(zone);
      const mine = desired.filter((r) => zoneOf(r) === zone);
      return readZone(client, zone, { planned, ownerPlanned: owner !== undefined && planned.has(owner) }, mine);
    }),
  );
  return {
    resources: parts.flatMap((p) => p.resources),
    deferred: [],
    diagnostics: parts.flatMap((p) => p.diagnostics),
    // Every record of the zone, whoever owns it: the base of the 30% change threshold.
    counts: Object.fromEntries(parts.map((p, i) => [`cloudflare.dns@${names[i] as string}`, p.snapshot.records.length])),
    snapshots: new Map(parts.map((p, i) => [names[i] as string, p.snapshot])),
  };
}

/** The zone part of a Cloudflare address. */
export function zoneOf(resource: Pick<Resource, 'address'>): string {
  const zone = parseAddress(resource.address)?.parts[0];
  if (zone === undefined) throw new InternalError(`${resource.address} is not a Cloudflare address`);
  return zone;
}

interface ZoneRead {
  readonly resources: Resource[];
  readonly diagnostics: Diagnostic[];
  readonly snapshot: ZoneSnapshot;
}

async function readZone(
  client: CloudflareClient,
  zone: string,
  who: { planned: ReadonlySet<string>; ownerPlanned: boolean },
  desired: readonly Resource[],
): Promise<ZoneRead> {
  const { id, plan, created_on: createdOn } = await client.findZone(zone);
  const settings = desired.find((r) => r.kind === 'cloudflare.settings');
  const rulesets = desired.filter((r) => r.kind === 'cloudflare.ruleset');
  const judged = cloudflarePlanName(plan?.legacy_id) === undefined ? new Set<string>() : PLAN_CHECKED_SETTINGS;
  const [listed, settingsRead, phases] = await Promise.all([
    client.listRecords(id),
    settings === undefined ? undefined : readSettings(client, id, settings, judged),
    Promise.all(rulesets.map((r) => readPhase(client, id, r))),
  ]);
  const records = listed.map((record) => fromApiRecord(zone, record));
  const dns = assignRecords({ zone, ...who }, records, desired.filter((r) => r.kind === 'cloudflare.dns'));
  const foreignRules = new Map(phases.map((p) => [parseAddress(p.address)?.parts[1] ?? '', Object.keys(p.attributes).filter((a) => a.startsWith('rule:')).length]));
  const recordCount = {
    live: records.length,
    foreign: records.filter((r) => r.owner === undefined).length,
    matched: new Set(dns.map((r) => r.address)),
  };
  const refused = entitlementProblems(zone, { plan: plan?.legacy_id, createdOn, desired, foreignRules, records: recordCount });
  return {
    resources: [...dns, ...(settingsRead === undefined ? [] : [settingsRead.resource]), ...phases],
    diagnostics: [...refused, ...(settingsRead?.diagnostics ?? [])],
    snapshot: { zoneId: id, records },
  };
}

/** Settings `GET /zones/{id}/settings` never lists: read one at a time, alongside the bulk GET. */
const UNLISTED_SETTINGS = SINGLE_ENDPOINT_SETTINGS;

/**
 * The declared settings only, from one bulk GET. A declared setting the listing never includes
 * (`UNLISTED_SETTINGS`) is fetched on its own at the same time, so it costs no extra round; any
 * other declared setting the listing turns out to lack is fetched on its own after it. A declared
 * value Cloudflare marks not editable on the zone's plan, and that differs, is a warning:
 * applying it would fail (unless one of `judged`: the plan-time check refuses those already).
 */
async function readSettings(
  client: CloudflareClient,
  zoneId: string,
  desired: Resource,
  judged: ReadonlySet<string>,
): Promise<{ resource: Resource; diagnostics: Diagnostic[] }> {
  const declared = Object.keys(desired.attributes);
  const unlisted = declared.filter((name) => UNLISTED_SETTINGS.has(settingId(name)));
  const [listed, alone] = await Promise.all([
    client.getSettings(zoneId),
    Promise.all(unlisted.map((name) => client.getSetting(zoneId, settingId(name)))),
  ]);
  const missing = declared.filter((name) => !unlisted.includes(name) && !listed.some((s) => s.id === settingId(name)));
  const extra = await Promise.all(missing.map((name) => client.getSetting(zoneId, settingId(name))));
  // The single GET first: `settingsFromApi` takes the first entry of an id.
  const all: ApiSetting[] = [...alone, ...extra, ...listed].filter((s): s is ApiSetting => s !== undefined);
  const attributes = settingsFromApi(all, declared);
  const diagnostics: Diagnostic[] = declared
    .filter((name) => !judged.has(name) && all.find((s) => s.id === settingId(name))?.editable === false)
    .filter((name) => !valuesEqual(attributes[name], desired.attributes[name] as Value))
    .map((name) => ({
      severity: 'warning',
      message: `${desired.address}: Cloudflare does not allow changing ${name} on this zone's plan`,
      ...(desired.attributeSources?.[name] ?? desired.source ?? {}),
      hint: `remove ${name} from app.yaml, or upgrade the zone's plan`,
    }));
  return { resource: { ...live(desired), attributes }, diagnostics };
}

/**
 * A WAF phase as `rules` (ours, in live order, normalised like desired rules) plus one
 * `rule:<ref>` attribute per foreign rule: app.yaml never declares those, so the engine reports
 * them as unmanaged and they are kept on write. A phase without an entrypoint reads as no rules.
 */
async function readPhase(client: CloudflareClient, zoneId: string, desired: Resource): Promise<Resource> {
  const phase = parseAddress(desired.address)?.parts[1];
  if (!RULESET_PHASES.includes(phase as RulesetPhase)) throw new InternalError(`${desired.address} names no ruleset phase`);
  const ruleset = await client.getPhase(zoneId, phase as RulesetPhase);
  const rules = ruleset?.rules ?? [];
  const attributes: Record<string, Value> = { rules: rules.filter(isOurRule).map(normalizeRule) };
  for (const rule of rules.filter((r) => !isOurRule(r))) {
    const { description = '', action = '', expression = '', enabled = true } = rule;
    attributes[`rule:${rule.ref ?? rule.id ?? '?'}`] = asValue({ description, action, expression, enabled });
  }
  return { ...live(desired), attributes };
}

function live(desired: Resource): Resource {
  const { address, provider, kind, scope } = desired;
  return { address, provider, kind, scope, attributes: {}, sensitive: [] };
}
