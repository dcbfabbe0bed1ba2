import type { Address } from '../model/resource.js';
import { assertNever, InternalError } from '../runtime/errors.js';
import { compareStrings } from './collections.js';
import { ACTION_ORDER, type BatchKey, type Change } from './types.js';

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

/** Whether a change runs with the creates and updates, or after all of them with the deletes. */
export type Phase = 'forward' | 'delete';

/** The key under which a provider applies a change with others (`BatchKey`); undefined: on its own. */
export type BatchKeyOf = (change: Change) => BatchKey | undefined;

/** Changes handed to their provider in one call, and the groups that must be applied first. */
export interface ExecutionGroup {
  readonly phase: Phase;
  /** One provider's changes, in plan order. */
  readonly changes: readonly Change[];
  /** Indexes of the groups to apply before this one: ascending, each lower than this group's own. */
  readonly after: readonly number[];
}

/**
 * The plan's changes as groups to apply as soon as their prerequisites are: changes of one
 * provider, one phase and one `batchKey` form a group (of both phases for a `withDeletes` key: a
 * forward group then); the others are alone. A group waits for
 * every change that one of its members depends on (the dependencies `executionLevels` follows)
 * outside the group; dependencies between members are the provider's to order within its call.
 * Every delete group waits for every forward group, as deletes follow all forward changes.
 *
 * A group on a dependency cycle through other groups (a member depends on something that depends
 * on another member) could never start: it is split, its members of the lowest dependency level
 * apart from the rest, until no group is on a cycle. On a cycle some group has members of several
 * levels (edges between groups of one level each go from lower to higher), so this ends.
 *
 * Groups are sorted by depth (the longest chain of groups before them), then by their first
 * change's place in the plan: a topological order, the same for the same changes in any order.
 * Throws what `executionLevels` throws.
 */
export function executionGroups(changes: readonly Change[], batchKey: BatchKeyOf): ExecutionGroup[] {
  const planOrder = executionLevels(changes);
  const levelOf = new Map<Address, number>();
  for (const [index, level] of planOrder.entries()) for (const change of level) levelOf.set(change.address, index);
  const ordered = planOrder.flat();
  const place = new Map(ordered.map((change, index) => [change.address, index]));
  const forward = ordered.filter((change) => change.action !== 'delete');
  const deletes = ordered.filter((change) => change.action === 'delete');
  const before = new Map([...prerequisites(forward), ...reversed(prerequisites(deletes))]);

  const groups: Change[][] = [];
  const keyed = new Map<string, Change[]>();
  for (const change of ordered) {
    const key = batchKey(change);
    if (key === undefined) {
      groups.push([change]);
      continue;
    }
    const full =
      typeof key === 'string'
        ? JSON.stringify([phaseOf(change), change.provider, key])
        : JSON.stringify(['any', change.provider, key.key]);
    const group = keyed.get(full);
    if (group === undefined) {
      const created = [change];
      keyed.set(full, created);
      groups.push(created);
    } else group.push(change);
  }

  for (;;) {
    const edges = groupEdges(groups, before);
    const victim = groups.findIndex(
      (group, index) => new Set(group.map((c) => levelOf.get(c.address))).size > 1 && onCycle(index, edges.dependents),
    );
    if (victim < 0) break;
    const group = groups[victim] as Change[];
    const lowest = Math.min(...group.map((c) => levelOf.get(c.address) as number));
    groups.splice(
      victim,
      1,
      group.filter((c) => levelOf.get(c.address) === lowest),
      group.filter((c) => levelOf.get(c.address) !== lowest),
    );
  }

  const { prerequisites: groupBefore } = groupEdges(groups, before);
  const forwardGroups = groups.flatMap((group, index) => (phaseOfGroup(group) === 'forward' ? [index] : []));
  for (const [index, group] of groups.entries()) {
    if (phaseOfGroup(group) === 'delete')
      groupBefore[index] = [...(groupBefore[index] as number[]), ...forwardGroups];
  }
  const depth: number[] = [];
  const depthOf = (index: number): number => {
    const known = depth[index];
    if (known !== undefined) return known;
    const value = Math.max(-1, ...(groupBefore[index] as number[]).map(depthOf)) + 1;
    depth[index] = value;
    return value;
  };
  const firstPlace = (index: number) => place.get((groups[index] as Change[])[0]?.address as Address) as number;
  const sorted = groups
    .map((_, index) => index)
    .sort((a, b) => depthOf(a) - depthOf(b) || firstPlace(a) - firstPlace(b));
  const position = new Map(sorted.map((index, at) => [index, at]));
  return sorted.map((index) => {
    const group = groups[index] as Change[];
    return {
      phase: phaseOfGroup(group),
      changes: group,
      after: [...new Set((groupBefore[index] as number[]).map((j) => position.get(j) as number))].sort((a, b) => a - b),
    };
  });
}

function phaseOf(change: Change): Phase {
  return change.action === 'delete' ? 'delete' : 'forward';
}

/** A group holding any forward change is applied with the forward ones (`withDeletes` keys mix both). */
function phaseOfGroup(group: readonly Change[]): Phase {
  return group.some((change) => phaseOf(change) === 'forward') ? 'forward' : 'delete';
}

/** Between distinct groups: for each group, the groups holding its members' prerequisites, and the reverse. */
function groupEdges(
  groups: readonly (readonly Change[])[],
  before: ReadonlyMap<Address, readonly Address[]>,
): { prerequisites: number[][]; dependents: number[][] } {
  const groupOf = new Map<Address, number>();
  for (const [index, group] of groups.entries()) for (const change of group) groupOf.set(change.address, index);
  const prerequisites = groups.map((group, index) => [
    ...new Set(
      group
        .flatMap((change) => before.get(change.address) ?? [])
        .map((address) => groupOf.get(address) as number)
        .filter((other) => other !== index),
    ),
  ]);
  const dependents: number[][] = groups.map(() => []);
  for (const [index, list] of prerequisites.entries()) for (const other of list) dependents[other]?.push(index);
  return { prerequisites, dependents };
}

/** Whether a path of one or more edges leads from `start` back to it. */
function onCycle(start: number, dependents: readonly (readonly number[])[]): boolean {
  const seen = new Set<number>();
  const stack = [...(dependents[start] ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as number;
    if (next === start) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(dependents[next] ?? []));
  }
  return false;
}
