import type { Address, Resource } from '../model/resource.js';
import { undeclaredAttributeNote, undeclaredResourceNote } from '../model/undeclared.js';
import { isRecord, isUnknown, type Value, valuesEqual } from '../model/value.js';
import { InternalError } from '../runtime/errors.js';
import { compareStrings, indexByAddress } from './collections.js';
import { liveOutputs, referencedAddresses, resolveUnknowns } from './resolve.js';
import {
  type AttributeDiff,
  type Change,
  type Deferral,
  type DesiredState,
  type LiveState,
  prunesKey,
  type Unmanaged,
} from './types.js';

export interface DiffResult {
  /** Sorted by address. */
  readonly changes: Change[];
  /** Sorted by address, then attribute (a whole resource before its attributes). */
  readonly unmanaged: Unmanaged[];
  /** The providers' deferrals, one per address, sorted by address. */
  readonly deferred: Deferral[];
}

/**
 * The change that makes `live` look like `desired`, or undefined when they already match (or both
 * are absent). Desired only → create; live only → delete (the caller decides whether undeclared live
 * resources are pruned); both → update, or replace when a differing attribute is in `replaceOn`.
 * Only attributes declared on the desired side are compared, plus — when the desired resource is
 * `exclusive` — removals of undeclared live attributes.
 */
export function diffResource(desired: Resource | undefined, live: Resource | undefined): Change | undefined {
  if (desired === undefined) return live === undefined ? undefined : deleteChange(live);
  if (live === undefined) return createChange(desired);
  return compare(desired, live).change;
}

/**
 * Compares every desired resource with the live one at the same address. Addresses listed in
 * `live.deferred` are not diffed on either side. Live resources that are not desired are deleted when
 * `desired.prune` names their `kind@scope`, else reported as unmanaged.
 *
 * Unknowns with a `ref` to a live resource the plan leaves in place are first filled with the live
 * value (a CNAME's target when the Heroku domain already exists), so a converged setup plans empty;
 * this repeats until nothing more resolves, which handles chains of references.
 */
export function diffAll(desired: DesiredState, live: LiveState): DiffResult {
  const desiredByAddress = indexByAddress(desired.resources, 'desired');
  const liveByAddress = indexByAddress(live.resources, 'live');
  const deferred = uniqueDeferrals(live.deferred);
  const skipped = new Set(deferred.map((d) => d.address));
  const prune = new Set(desired.prune);
  const removals: Change[] = [];
  const unmanagedResources: Unmanaged[] = [];
  for (const resource of liveByAddress.values()) {
    if (desiredByAddress.has(resource.address) || skipped.has(resource.address)) continue;
    if (prune.has(prunesKey(resource.kind, resource.scope))) removals.push(deleteChange(resource));
    else unmanagedResources.push({ address: resource.address, note: undeclaredResourceNote(resource) });
  }
  const current = [...desiredByAddress.values()].filter((resource) => !skipped.has(resource.address));
  const results = current.map((resource) => diffOne(resource, liveByAddress));
  // Only resources with a `ref` can change from one pass to the next, and only the live resources
  // they name can fill one: the rest is compared once and never becomes an output.
  const referring = current.flatMap((resource, index) => (referencedAddresses(resource).length > 0 ? [index] : []));
  const referenced = new Map<Address, Resource>();
  for (const index of referring) {
    for (const address of referencedAddresses(current[index] as Resource)) {
      const resource = liveByAddress.get(address);
      if (resource !== undefined) referenced.set(address, resource);
    }
  }
  for (;;) {
    const changes = [...results.flatMap((result) => (result.change === undefined ? [] : [result.change])), ...removals];
    const outputs = liveOutputs(referenced, changes);
    let resolvedAny = false;
    for (const index of referring) {
      const resource = current[index] as Resource;
      const resolved = resolveUnknowns(resource, outputs);
      if (resolved === resource) continue;
      resolvedAny = true;
      current[index] = resolved;
      results[index] = diffOne(resolved, liveByAddress);
    }
    if (resolvedAny) continue;
    const unmanaged = [...unmanagedResources, ...results.flatMap((result) => result.unmanaged)].sort((a, b) =>
      compareStrings(unmanagedKey(a), unmanagedKey(b)),
    );
    return { changes: changes.sort((a, b) => compareStrings(a.address, b.address)), unmanaged, deferred };
  }
}

function diffOne(
  desired: Resource,
  live: ReadonlyMap<Address, Resource>,
): { change: Change | undefined; unmanaged: readonly Unmanaged[] } {
  const current = live.get(desired.address);
  return current === undefined ? { change: createChange(desired), unmanaged: notManaged(desired) } : compare(desired, current);
}

/** The attributes app.yaml declares that this run does not manage, as expected items. */
function notManaged(desired: Resource): Unmanaged[] {
  return Object.entries(desired.notManaged ?? {}).map(([attribute, note]) => ({
    address: desired.address,
    attribute,
    note,
    expected: 'not-managed-this-run',
  }));
}

/** Address, then attribute ("\u0000" sorts before any character that can follow an address). */
function unmanagedKey(item: Unmanaged): string {
  return item.attribute === undefined ? item.address : `${item.address}\u0000${item.attribute}`;
}

function uniqueDeferrals(deferrals: readonly Deferral[]): Deferral[] {
  const byAddress = new Map<Address, Deferral>();
  for (const deferral of deferrals) if (!byAddress.has(deferral.address)) byAddress.set(deferral.address, deferral);
  return [...byAddress.values()].sort((a, b) => compareStrings(a.address, b.address));
}

function compare(desired: Resource, live: Resource): { change: Change | undefined; unmanaged: Unmanaged[] } {
  if (desired.address !== live.address) {
    throw new InternalError(`cannot compare ${desired.address} with ${live.address}: different addresses`);
  }
  // Names are visited in any order: diffs are sorted below, and callers sort the unmanaged list.
  const differing: string[] = [];
  const unmanaged = notManaged(desired);
  for (const name of Object.keys(desired.attributes)) {
    const after = desired.attributes[name];
    if (after !== undefined && !matchesLive(after, live.attributes[name])) differing.push(name);
  }
  for (const name of Object.keys(live.attributes)) {
    if (live.attributes[name] === undefined || desired.attributes[name] !== undefined) continue;
    if (desired.notManaged?.[name] !== undefined) continue;
    if (desired.exclusive === true) differing.push(name);
    else {
      const where = desired.source === undefined ? {} : { source: desired.source };
      unmanaged.push({ address: live.address, attribute: name, note: undeclaredAttributeNote(live, name), ...where });
    }
  }
  if (differing.length === 0) return { change: undefined, unmanaged };
  const sensitive = new Set([...desired.sensitive, ...live.sensitive]);
  const diffs = differing
    .sort(compareStrings)
    .map((name) => attributeDiff(name, live.attributes[name], desired.attributes[name], sensitive, desired));
  const replaceOn = new Set(desired.replaceOn);
  const because = diffs.map((diff) => diff.attribute).filter((name) => replaceOn.has(name));
  const base = {
    address: desired.address,
    provider: desired.provider,
    kind: desired.kind,
    scope: desired.scope,
    diffs,
  };
  const change: Change =
    because.length > 0
      ? { ...base, action: 'replace', before: live, after: desired, because }
      : { ...base, action: 'update', before: live, after: desired };
  return { change, unmanaged };
}

/**
 * Whether a desired value is satisfied by the live one. Like `valuesEqual`, except that an Unknown
 * with `preserveLive` (at any depth) matches any live value that exists and is not null: a generated
 * secret is made once and never regenerated.
 */
function matchesLive(desired: Value, live: Value | undefined): boolean {
  if (isUnknown(desired)) return desired.preserveLive && live !== undefined && live !== null;
  if (Array.isArray(desired)) {
    return (
      Array.isArray(live) &&
      live.length === desired.length &&
      desired.every((item: Value, i: number) => matchesLive(item, live[i] as Value))
    );
  }
  if (isRecord(desired)) {
    if (!isRecord(live)) return false;
    const keys = Object.keys(desired);
    return (
      keys.length === Object.keys(live).length && keys.every((key) => matchesLive(desired[key] as Value, live[key]))
    );
  }
  return valuesEqual(desired, live);
}

function createChange(desired: Resource): Change {
  const sensitive = new Set(desired.sensitive);
  const diffs = definedNames(desired.attributes).map((name) =>
    attributeDiff(name, undefined, desired.attributes[name], sensitive, desired),
  );
  return { action: 'create', ...identity(desired), diffs, after: desired };
}

function deleteChange(live: Resource): Change {
  const sensitive = new Set(live.sensitive);
  const diffs = definedNames(live.attributes).map((name) =>
    attributeDiff(name, live.attributes[name], undefined, sensitive, undefined),
  );
  return { action: 'delete', ...identity(live), diffs, before: live };
}

function identity(resource: Resource): Pick<Change, 'address' | 'provider' | 'kind' | 'scope'> {
  return { address: resource.address, provider: resource.provider, kind: resource.kind, scope: resource.scope };
}

function attributeDiff(
  attribute: string,
  before: Value | undefined,
  after: Value | undefined,
  sensitive: ReadonlySet<string>,
  desired: Resource | undefined,
): AttributeDiff {
  const source = desired?.attributeSources?.[attribute];
  return {
    attribute,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    sensitive: sensitive.has(attribute),
    ...(source === undefined ? {} : { source }),
  };
}

/** Attribute names with a value, sorted. */
function definedNames(attributes: { readonly [name: string]: Value }): string[] {
  return Object.keys(attributes)
    .filter((name) => attributes[name] !== undefined)
    .sort(compareStrings);
}
