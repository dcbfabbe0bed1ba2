import type { Change } from '../../engine/types.js';
import { canonicalContent } from '../../model/desired-cloudflare.js';
import type { Address, Resource } from '../../model/resource.js';
import { isUnknown, type Value, valuesEqual } from '../../model/value.js';
import { DaffError, assertNever, NotFoundError } from '../../runtime/errors.js';
import type { ApplyContext } from '../provider.js';
import type { ApiBatch } from './api-types.js';
import type { CloudflareClient } from './client.js';
import { fromApiRecord, type LiveRecord, recordFields } from './convert.js';
import { hasCode, isAmbiguous, RECORD_EXISTS_CODES } from './errors.js';

type Attributes = { readonly [name: string]: Value };
type Outputs = Map<Address, Attributes>;

/** A batch to send, what it must leave behind (to reconcile after an ambiguous failure) and its outputs. */
interface PlannedBatch {
  readonly body: ApiBatch;
  readonly expect: readonly ((records: readonly LiveRecord[]) => boolean)[];
  readonly outputs: Outputs;
}

/**
 * Applies every DNS change of one zone in ONE batch request: deletes (deleted and replaced
 * records), patches (only the changed attributes; an adoption is a patch that adds the ownership
 * marker to the comment), posts (created and replaced records, the marker in their comment).
 * Contents still Unknown are resolved from `context.outputs` (a Heroku domain's `cname`); one
 * that stays unknown fails the zone's batch before anything is sent. Record ids come from the
 * records the read saw (`known`), matched by type, name and content; without them the zone is listed.
 *
 * The batch is never resent: after a 5xx, a lost connection or an "already exists" answer the
 * zone is listed again, and the batch counts as applied only when everything it was to do is
 * live (Cloudflare runs it all or nothing); otherwise the original error is raised. A batch left
 * with nothing to do (its records are already gone) is not sent.
 */
export async function applyDnsBatch(
  client: CloudflareClient,
  zone: string,
  changes: readonly Change[],
  known: readonly LiveRecord[] | undefined,
  context: ApplyContext,
): Promise<Outputs> {
  const { id: zoneId } = await client.findZone(zone);
  const records = known ?? (await client.listRecords(zoneId)).map((r) => fromApiRecord(zone, r));
  const batch = planBatch(zone, changes, records, context);
  if (Object.values(batch.body).every((items: unknown[]) => items.length === 0)) return batch.outputs;
  try {
    await client.batchRecords(zoneId, batch.body);
  } catch (error) {
    if (!isAmbiguous(error) && !hasCode(error, RECORD_EXISTS_CODES)) throw error;
    const listed = await client.listRecords(zoneId).catch(() => undefined);
    const now = listed?.map((r) => fromApiRecord(zone, r));
    if (now === undefined || !batch.expect.every((holds) => holds(now))) throw error;
    context.reporter.warn(`the DNS batch of ${zone} failed ambiguously, but Cloudflare shows it applied`);
  }
  return batch.outputs;
}

function planBatch(zone: string, changes: readonly Change[], records: readonly LiveRecord[], context: ApplyContext): PlannedBatch {
  const body: ApiBatch = { deletes: [], patches: [], puts: [], posts: [] };
  const expect: ((records: readonly LiveRecord[]) => boolean)[] = [];
  const outputs: Outputs = new Map();
  const ids = new Map<string, string>();
  for (const record of records) if (!ids.has(recordKey(record.attributes))) ids.set(recordKey(record.attributes), record.id);
  const post = (change: Change, after: Resource) => {
    const attributes = resolved(change.address, after.attributes, Object.keys(after.attributes), context);
    body.posts.push(recordFields(zone, attributes, Object.keys(attributes)));
    expect.push((now) => now.some((r) => valuesEqual(r.attributes, attributes)));
    outputs.set(change.address, attributes);
  };
  const remove = (before: Resource) => {
    const id = ids.get(recordKey(before.attributes));
    if (id === undefined) return;
    body.deletes.push({ id });
    expect.push((now) => !now.some((r) => r.id === id));
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
        body.patches.push({ id, ...recordFields(zone, attributes, names) });
        expect.push((now) => names.every((n) => valuesEqual(now.find((r) => r.id === id)?.attributes[n], attributes[n])));
        outputs.set(change.address, Object.fromEntries(Object.entries(attributes).filter(([, v]) => !isUnknown(v))));
        break;
      }
      case 'replace':
        remove(change.before);
        post(change, change.after);
        break;
      case 'delete':
        remove(change.before);
        break;
      default:
        assertNever(change, 'change');
    }
  }
  return { body, expect, outputs };
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
