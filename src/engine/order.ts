import type { Address } from '../model/resource.js';
import { assertNever, InternalError } from '../runtime/errors.js';
import { compareStrings } from './collections.js';
import { ACTION_ORDER, type Change } from './types.js';

/**
 * Groups of changes that can run concurrently, in the order they must run. Creates, updates and
 * replaces come first, each after the changes its `dependsOn` names; deletes follow, in reverse
 * dependency order (a resource is deleted before what it depends on). A dependency that has no
 * change in `changes`, or that is in the other phase, puts no constraint. Within a group changes
 * are sorted by ACTION_ORDER, then address. Flattened, this is the plan's order.
 *
 * Throws InternalError when two changes share an address or when dependencies form a cycle (the
 * message names the addresses on the cycle).
 */
export function executionLevels(changes: readonly Change[]): Change[][] {
  const seen = new Set<Address>();
  for (const change of changes) {
    if (seen.has(change.address)) throw new InternalError(`two changes have the address ${change.address}`);
    seen.add(change.address);
  }
  const forward = changes.filter((change) => change.action !== 'delete');
  const deletes = changes.filter((change) => change.action === 'delete');
  return [...levels(forward, prerequisites(forward)), ...levels(deletes, reversed(prerequisites(deletes)))];
}

/** The addresses a change's resource depends on: its desired side, or for a delete its live side. */
function dependencies(change: Change): readonly Address[] {
  switch (change.action) {
    case 'create':
    case 'update':
    case 'replace':
      return change.after.dependsOn ?? [];
    case 'delete':
      return change.before.dependsOn ?? [];
    default:
      return assertNever(change, 'change action');
  }
}

/** For each change, the addresses among `changes` that must run before it. */
function prerequisites(changes: readonly Change[]): Map<Address, Address[]> {
  const present = new Set(changes.map((change) => change.address));
  return new Map(
    changes.map((change) => [change.address, sortedUniqueIn(dependencies(change), present)] as [Address, Address[]]),
  );
}

function sortedUniqueIn(addresses: readonly Address[], present: ReadonlySet<Address>): Address[] {
  return [...new Set(addresses)].filter((address) => present.has(address)).sort(compareStrings);
}

/** The same edges pointing the other way: "a before b" becomes "b before a". */
function reversed(graph: ReadonlyMap<Address, readonly Address[]>): Map<Address, Address[]> {
  const result = new Map<Address, Address[]>([...graph.keys()].map((address) => [address, []]));
  for (const [address, before] of graph) {
    for (const dependency of before) result.get(dependency)!.push(address);
  }
  for (const list of result.values()) list.sort(compareStrings);
  return result;
}

/** `before` has an entry for every change. */
function levels(changes: readonly Change[], before: ReadonlyMap<Address, readonly Address[]>): Change[][] {
  const remaining = new Map(changes.map((change) => [change.address, change]));
  const done = new Set<Address>();
  const result: Change[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()].filter((change) =>
      before.get(change.address)!.every((address) => done.has(address)),
    );
    if (ready.length === 0) throw cycleError(remaining, before);
    for (const change of ready) {
      remaining.delete(change.address);
      done.add(change.address);
    }
    result.push(ready.sort(compareChanges));
  }
  return result;
}

/** ACTION_ORDER, then address. */
export function compareChanges(a: Change, b: Change): number {
  return ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || compareStrings(a.address, b.address);
}

/**
 * Every remaining change waits for another remaining one, so walking "waits for" edges from any of
 * them must revisit an address: the walk from the first repeat is a cycle.
 */
function cycleError(
  remaining: ReadonlyMap<Address, Change>,
  before: ReadonlyMap<Address, readonly Address[]>,
): InternalError {
  const path: Address[] = [];
  let address = [...remaining.keys()].sort(compareStrings)[0] as Address;
  while (!path.includes(address)) {
    path.push(address);
    address = before.get(address)!.find((next) => remaining.has(next)) as Address;
  }
  const cycle = [...path.slice(path.indexOf(address)), address];
  return new InternalError(`dependency cycle between changes: ${cycle.join(' → ')}`);
}
