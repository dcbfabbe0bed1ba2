import { CLOUDFLARE_PLANS, cloudflarePlanName } from '../../facts/cloudflare-plans.js';
import type { Change } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import { isUnknown, type Value, valuesEqual } from '../../model/value.js';
import { DaffError, assertNever, NotFoundError } from '../../runtime/errors.js';
import type { ApplyContext } from '../provider.js';
import type { ApiBatch, ApiZone } from './api-types.js';
import type { CloudflareClient } from './client.js';
import { fromApiRecord, type LiveRecord, recordFields } from './convert.js';
import { canonicalContent } from './dns-names.js';
import { hasCode, isAmbiguous, RECORD_EXISTS_CODES } from './errors.js';

type Attributes = { readonly [name: string]: Value };
type Outputs = Map<Address, Attributes>;

/** The parts of a batch body, in the order Cloudflare runs them within one batch. */
const GROUPS = ['deletes', 'patches', 'puts', 'posts'] as const;
type Group = (typeof GROUPS)[number];

/** One operation of a batch, the address it is for, and what it leaves live (to reconcile after an ambiguous failure). */
interface Operation {
  readonly group: Group;
  readonly item: ApiBatch[Group][number];
  readonly address: Address;
  readonly holds: (records: readonly LiveRecord[]) => boolean;
}

/**
 * What a zone's DNS apply did, per address: `applied` when every operation of the address went
 * through (or it needed none); `failed` when one was in the batch that failed, or in a later
 * batch while another of its operations (a replace's delete) already went through; `notAttempted`
 * when all of its operations were in batches never sent. `error` is the failed batch's.
 */
export interface DnsOutcome {
  readonly applied: readonly Address[];
  readonly failed: readonly Address[];
  readonly notAttempted: readonly Address[];
  readonly error?: unknown;
  readonly outputs: Outputs;
}

/**
 * Operations per `POST …/dns_records/batch` by the zone's plan: 200 on Free, 3,500 on Pro,
 * Business and Enterprise (developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes,
 * "Availability and limits"). A plan not recognised gets Free's: more requests, never a refused batch.
 */
export function batchLimit(zone: ApiZone): number {
  return CLOUDFLARE_PLANS[cloudflarePlanName(zone.plan?.legacy_id) ?? 'free'].batchRecords;
}

/**
 * Applies every DNS change of one zone in as few batch requests as the zone's plan allows
 * (`batchLimit`): deletes (deleted and replaced records), patches (only the changed attributes; an
 * adoption is a patch that adds the ownership marker to the comment), posts (created and replaced
 * records, the marker in their comment). The operations are ordered as Cloudflare orders them within
 * one batch — every delete, then every patch, then every post, each by address — and cut into
 * consecutive batches, so a post never runs before a delete it may depend on (an A record swapped
 * for a CNAME), even in another batch. A replace's delete and post may land in different batches.
 * Contents still Unknown are resolved from `context.outputs` (a Heroku domain's `cname`); one that
 * stays unknown fails the zone before anything is sent (thrown, as any failure before the first
 * batch). Record ids come from the records the read saw (`known`), matched by type, name and
 * content; without them the zone is listed.
 *
 * Batches are sent one after another and never resent: after a 5xx, a lost connection or an
 * "already exists" answer the zone is listed again, and the batch counts as applied only when
 * everything it was to do is live (Cloudflare runs each batch all or nothing); otherwise its
 * error stops the zone there and later batches are not sent. A zone left with nothing to do (its
 * records are already gone) sends nothing.
 */
export async function applyDnsBatch(
  client: CloudflareClient,
  zone: string,
  changes: readonly Change[],
  known: readonly LiveRecord[] | undefined,
  context: ApplyContext,
): Promise<DnsOutcome> {
  const info = await client.findZone(zone);
  const records = known ?? (await client.listRecords(info.id)).map((r) => fromApiRecord(zone, r));
  const { operations, outputs } = planOperations(zone, changes, records, context);
  const limit = batchLimit(info);
  const batches: Operation[][] = [];
  for (let start = 0; start < operations.length; start += limit) batches.push(operations.slice(start, start + limit));
  const addresses = [...new Set(changes.map((c) => c.address))];
  const batchesOf = new Map<Address, number[]>(addresses.map((address) => [address, []]));
  for (const [index, batch] of batches.entries()) for (const op of batch) batchesOf.get(op.address)?.push(index);

  for (const [index, batch] of batches.entries()) {
    const error = await sendBatch(client, zone, info.id, batch, batches.length > 1 ? `${index + 1} of ${batches.length}` : undefined, context);
    if (error === undefined) continue;
    const sent = (address: Address) => batchesOf.get(address)?.every((i) => i < index) ?? true;
    const unsent = (address: Address) => batchesOf.get(address)?.every((i) => i > index) === true && batchesOf.get(address)?.length !== 0;
    const applied = new Set(addresses.filter(sent));
    return {
      applied: [...applied],
      failed: addresses.filter((a) => !sent(a) && !unsent(a)),
      notAttempted: addresses.filter(unsent),
      error,
      outputs: new Map([...outputs].filter(([address]) => applied.has(address))),
    };
  }
  return { applied: addresses, failed: [], notAttempted: [], outputs };
}

/** Sends one batch; undefined when it took effect (reconciled after an ambiguous failure), else its error. */
async function sendBatch(
  client: CloudflareClient,
  zone: string,
  zoneId: string,
  batch: readonly Operation[],
  which: string | undefined,
  context: ApplyContext,
): Promise<unknown> {
  const body: ApiBatch = { deletes: [], patches: [], puts: [], posts: [] };
  for (const op of batch) (body[op.group] as ApiBatch[Group][number][]).push(op.item);
  try {
    await client.batchRecords(zoneId, body);
    return undefined;
  } catch (error) {
    if (!isAmbiguous(error) && !hasCode(error, RECORD_EXISTS_CODES)) return error;
    const listed = await client.listRecords(zoneId).catch(() => undefined);
    const now = listed?.map((r) => fromApiRecord(zone, r));
    if (now === undefined || !batch.every((op) => op.holds(now))) return error;
    context.reporter.warn(`the DNS batch${which === undefined ? '' : ` ${which}`} of ${zone} failed ambiguously, but Cloudflare shows it applied`);
    return undefined;
  }
}

function planOperations(zone: string, changes: readonly Change[], records: readonly LiveRecord[], context: ApplyContext): { operations: Operation[]; outputs: Outputs } {
  const operations: Operation[] = [];
  const outputs: Outputs = new Map();
  const ids = new Map<string, string>();
  for (const record of records) if (!ids.has(recordKey(record.attributes))) ids.set(recordKey(record.attributes), record.id);
  const post = (change: Change, after: Resource) => {
    const attributes = resolved(change.address, after.attributes, Object.keys(after.attributes), context);
    const item = recordFields(zone, attributes, Object.keys(attributes));
    operations.push({ group: 'posts', item, address: change.address, holds: (now) => now.some((r) => valuesEqual(r.attributes, attributes)) });
    outputs.set(change.address, attributes);
  };
  const remove = (change: Change, before: Resource) => {
    const id = ids.get(recordKey(before.attributes));
    if (id === undefined) return;
    operations.push({ group: 'deletes', item: { id }, address: change.address, holds: (now) => !now.some((r) => r.id === id) });
  };
  for (const change of [...changes].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))) {
    switch (change.action) {
      case 'create':
        post(change, change.after);
        break;
      case 'update': {
        const id = ids.get(recordKey(change.before.attributes));
        if (id === undefined) throw gone(change);
        const names = change.diffs.map((d) => d.attribute);
        const attributes = resolved(change.address, change.after.attributes, names, context);
        if (names.length === 0) {
          // Nothing left to write in this step (dns-steps.ts): the record stays as it is.
          outputs.set(change.address, Object.fromEntries(Object.entries(attributes).filter(([, v]) => !isUnknown(v))));
          break;
        }
        const holds = (now: readonly LiveRecord[]) => names.every((n) => valuesEqual(now.find((r) => r.id === id)?.attributes[n], attributes[n]));
        operations.push({ group: 'patches', item: { id, ...recordFields(zone, attributes, names) }, address: change.address, holds });
        outputs.set(change.address, Object.fromEntries(Object.entries(attributes).filter(([, v]) => !isUnknown(v))));
        break;
      }
      case 'replace':
        remove(change, change.before);
        post(change, change.after);
        break;
      case 'delete':
        remove(change, change.before);
        break;
      default:
        assertNever(change, 'change');
    }
  }
  // Stable: by group in Cloudflare's order, by address within a group.
  operations.sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group));
  return { operations, outputs };
}

/** Type, name and content: what identifies the live record a change's live side stands for. */
function recordKey(attributes: Attributes): string {
  return JSON.stringify([attributes['type'], attributes['name'], attributes['content']]);
}

function gone(change: Change): NotFoundError {
  return new NotFoundError('cloudflare', `${change.address} no longer exists in Cloudflare`, {
    address: change.address,
    hint: 'It was changed or removed since the plan was made: run `daffeinated plan` again.',
  });
}

/** The attributes, those in `names` with Unknown references filled from earlier outputs (content made canonical). */
function resolved(address: Address, attributes: Attributes, names: readonly string[], context: ApplyContext): Attributes {
  const out: Record<string, Value> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!isUnknown(value) || !names.includes(name)) {
      out[name] = value;
      continue;
    }
    const filled = value.ref === undefined ? undefined : context.outputs.get(value.ref.address)?.[value.ref.attribute];
    if (typeof filled !== 'string' || filled === '') {
      throw new DaffError(`${address}: ${name} is still unknown at apply time (${value.reason})`, {
        hint: value.ref === undefined ? 'This is a bug in daffeinated.' : `${value.ref.address} must be applied first; run apply again.`,
      });
    }
    out[name] = name === 'content' ? canonicalContent(String(attributes['type']), filled) : filled;
  }
  return out;
}
