import type { Change } from '../../engine/types.js';
import { type Address, parseAddress } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import { assertNever, DaffError, InternalError, ProviderError } from '../../runtime/errors.js';
import type { ApplyContext, ApplyResult } from '../provider.js';
import type { ApiRule } from './api-types.js';
import type { CloudflareClient } from './client.js';
import { asPlain, isOurRule, SINGLE_ENDPOINT_SETTINGS, settingsToApi, writableRule } from './convert.js';
import { RULESET_PHASES, type RulesetPhase } from './desired.js';
import { applyDnsBatch, type DnsOutcome } from './dns-apply.js';
import { dnsForStep } from './dns-steps.js';
import { type ZoneSnapshot, zoneOf } from './read.js';

type Attributes = { readonly [name: string]: Value };

/** What became of each address of a step: the DNS step can stop part way; the others apply whole or throw. */
type Outcome = DnsOutcome;

/** One unit of work: the addresses it applies and the request(s) that do it. */
interface Step {
  readonly addresses: readonly Address[];
  /** A throw fails every address of the step. */
  run(): Promise<Outcome>;
}

async function whole(addresses: readonly Address[], outputs: Promise<ReadonlyMap<Address, Attributes>>): Promise<Outcome> {
  return { applied: addresses, failed: [], notAttempted: [], outputs: new Map(await outputs) };
}

/**
 * Applies Cloudflare changes. Per zone: all DNS changes in as few batch requests as the plan
 * allows (one, unless there are more than a batch takes), the settings in one bulk PATCH, each
 * WAF phase in one PUT. These steps are independent (different Cloudflare objects), so they run
 * concurrently, across zones too, within the client's concurrency limit; a failed step fails its
 * own addresses only (the DNS step those of the batch that failed; later batches' addresses are
 * not attempted). `snapshots` are the zones as the last read saw them (record ids); a zone whose
 * DNS was written is dropped from them, as it is stale.
 */
export async function applyCloudflare(
  client: CloudflareClient,
  snapshots: Map<string, ZoneSnapshot>,
  changes: readonly Change[],
  context: ApplyContext,
): Promise<ApplyResult> {
  const steps: Step[] = [];
  const byZone = new Map<string, Change[]>();
  for (const change of changes) {
    const list = byZone.get(zoneOf(change));
    if (list === undefined) byZone.set(zoneOf(change), [change]);
    else list.push(change);
  }
  for (const [zone, list] of [...byZone].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dns = dnsForStep(list.filter((c) => c.kind === 'cloudflare.dns'), context);
    if (dns.length > 0) {
      steps.push({
        addresses: dns.map((c) => c.address),
        run: async () => {
          // A later step follows writes of this run: the zone is listed again, never taken from the read.
          const known = context.step === undefined ? snapshots.get(zone)?.records : undefined;
          const outcome = await applyDnsBatch(client, zone, dns, known, context);
          snapshots.delete(zone);
          return outcome;
        },
      });
    }
    for (const change of list.filter((c) => c.kind !== 'cloudflare.dns')) {
      steps.push({ addresses: [change.address], run: () => whole([change.address], applyOther(client, zone, change)) });
    }
  }
  const results = await Promise.all(steps.map((step) => runStep(step, context)));
  return {
    applied: results.flatMap((r) => r.applied),
    failed: results.flatMap((r) => r.failed),
    notAttempted: results.flatMap((r) => r.notAttempted),
    outputs: new Map(results.flatMap((r) => [...r.outputs])),
  };
}

async function runStep(step: Step, context: ApplyContext): Promise<ApplyResult> {
  for (const address of step.addresses) context.reporter.progress(address, context.step === undefined ? 'applying' : `applying (${context.step})`);
  let outcome: Outcome;
  try {
    outcome = await step.run();
  } catch (error) {
    outcome = { applied: [], failed: step.addresses, notAttempted: [], error, outputs: new Map() };
  }
  const { error } = outcome;
  const daff = error instanceof DaffError ? error : new InternalError(String(error), error);
  const failed = outcome.failed.map((address) => ({ address, error: daff instanceof ProviderError ? daff.at(address) : daff }));
  return { applied: [...outcome.applied], failed, notAttempted: [...outcome.notAttempted], outputs: outcome.outputs };
}

function applyOther(client: CloudflareClient, zone: string, change: Change): Promise<ReadonlyMap<Address, Attributes>> {
  switch (change.kind) {
    case 'cloudflare.settings':
      return applySettings(client, zone, change);
    case 'cloudflare.ruleset':
      return applyRuleset(client, zone, change);
    default:
      throw new InternalError(`the Cloudflare provider cannot apply ${change.address}`);
  }
}

/**
 * The changed settings (all declared ones on create): first each one only its own endpoint takes
 * (`ssl_automatic_mode`, so the pin holds before `ssl` changes), then one bulk PATCH with the rest.
 * Zone settings cannot be removed: a delete (app.yaml stopped declaring them) leaves them as they
 * are and sends nothing.
 */
async function applySettings(client: CloudflareClient, zone: string, change: Change): Promise<ReadonlyMap<Address, Attributes>> {
  switch (change.action) {
    case 'delete':
      return new Map();
    case 'create':
    case 'update':
    case 'replace': {
      const names = change.action === 'update' ? change.diffs.map((d) => d.attribute) : Object.keys(change.after.attributes);
      const items = settingsToApi(change.after.attributes, names);
      const zoneId = (await client.findZone(zone)).id;
      for (const item of items.filter((i) => SINGLE_ENDPOINT_SETTINGS.has(i.id))) await client.patchSetting(zoneId, item.id, item.value);
      const bulk = items.filter((i) => !SINGLE_ENDPOINT_SETTINGS.has(i.id));
      if (bulk.length > 0) await client.patchSettings(zoneId, bulk);
      return new Map([[change.address, change.after.attributes]]);
    }
    default:
      return assertNever(change, 'change');
  }
}

/**
 * One PUT of the phase's entrypoint with the rules not ours first, as the API holds them right
 * now (read again here, so a rule added in the dashboard since the plan is kept), then ours in
 * app.yaml order. Foreign rules go first so that rules someone added by hand (often an emergency
 * skip or block) keep their precedence over ours. A delete leaves only the foreign rules.
 */
async function applyRuleset(client: CloudflareClient, zone: string, change: Change): Promise<ReadonlyMap<Address, Attributes>> {
  const phase = parseAddress(change.address)?.parts[1];
  if (!RULESET_PHASES.includes(phase as RulesetPhase)) throw new InternalError(`${change.address} names no ruleset phase`);
  const { id } = await client.findZone(zone);
  const current = await client.getPhase(id, phase as RulesetPhase);
  const foreign = (current?.rules ?? []).filter((rule) => !isOurRule(rule)).map(writableRule);
  let ours: Value = [];
  switch (change.action) {
    case 'delete':
      break;
    case 'create':
    case 'update':
    case 'replace':
      ours = change.after.attributes['rules'] ?? [];
      break;
    default:
      assertNever(change, 'change');
  }
  await client.putPhase(id, phase as RulesetPhase, [...foreign, ...(asPlain(ours) as ApiRule[])]);
  return new Map([[change.address, { rules: ours }]]);
}
