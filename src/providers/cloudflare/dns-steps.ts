import type { Change } from '../../engine/types.js';
import { PROXIED_STEP } from '../../model/certificate.js';
import type { Resource } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import { assertNever, InternalError } from '../../runtime/errors.js';
import type { ApplyContext } from '../provider.js';

/**
 * The DNS changes of one step, as the requests of that step must write them (tls-order.ts): a
 * record with a later `proxied` step is written DNS-only in its first step (`proxied: false`;
 * nothing is sent for it when that is all it changes and it is DNS-only already); in the `proxied`
 * step, each record is turned proxied, as an update from what its first step wrote.
 */
export function dnsForStep(changes: readonly Change[], context: ApplyContext): Change[] {
  if (context.step === PROXIED_STEP) return changes.map((change) => turnProxied(change, context));
  if (context.step !== undefined) throw new InternalError(`the Cloudflare provider has no DNS step ${context.step}`);
  return changes.map((change) => (context.later?.get(change.address)?.includes(PROXIED_STEP) === true ? dnsOnlyFirst(change) : change));
}

function dnsOnlyFirst(change: Change): Change {
  const dnsOnly = (resource: Resource): Resource => ({ ...resource, attributes: { ...resource.attributes, proxied: false } });
  switch (change.action) {
    case 'create':
    case 'replace':
      return { ...change, after: dnsOnly(change.after), diffs: change.diffs.map((d) => (d.attribute === 'proxied' ? { ...d, after: false } : d)) };
    case 'update': {
      const wasProxied = change.before.attributes['proxied'] === true;
      const diffs = change.diffs
        .filter((d) => d.attribute !== 'proxied' || wasProxied)
        .map((d) => (d.attribute === 'proxied' ? { ...d, after: false } : d));
      return { ...change, after: dnsOnly(change.after), diffs };
    }
    case 'delete':
      throw new InternalError(`${change.address} is a delete, which has no proxied step`);
    default:
      return assertNever(change, 'change');
  }
}

/** An update from the record as its first step wrote it (its outputs) to the same record proxied. */
function turnProxied(change: Change, context: ApplyContext): Change {
  const written = context.outputs.get(change.address);
  if (written === undefined || change.action === 'delete') {
    throw new InternalError(`${change.address} reached its proxied step without a first step`);
  }
  const attributes: Record<string, Value> = { ...written, proxied: true };
  const before: Resource = { ...change.after, attributes: { ...written, proxied: false } };
  const after: Resource = { ...change.after, attributes };
  const diffs = [{ attribute: 'proxied', before: false, after: true, sensitive: false }];
  return { address: change.address, provider: change.provider, kind: change.kind, scope: change.scope, action: 'update', before, after, diffs };
}
