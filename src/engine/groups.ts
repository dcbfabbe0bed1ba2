import { InternalError } from '../runtime/errors.js';
import { type Phase, phaseOf, type Step, stepKey, stepOrder } from './order.js';
import type { BatchKey, Change, Ordering } from './types.js';

/** Steps handed to their provider in one call, and the groups that must be applied first. */
export interface ExecutionGroup {
  readonly phase: Phase;
  /** The step of `changes` this group applies: absent for their first (or only) step. */
  readonly step?: string;
  /** One provider's changes, in the order to apply them: one change, or the members of one batch key. */
  readonly changes: readonly Change[];
  /** Indexes of the groups to apply before this one: ascending, each lower than this group's own. */
  readonly after: readonly number[];
}

/**
 * The plan's changes as groups to apply as soon as their prerequisites are (order.ts says which):
 * the steps of one provider, one step name, one phase and one `BatchKey` form a group (of both
 * phases for a key whose deletes go `first`: a forward group then); every other step is alone. A
 * group waits for every step that one of its members waits for outside the group; what members
 * wait for among themselves is served by the provider's one request (a DNS batch runs its deletes
 * first). Every delete group waits for every forward group, as deletes follow all forward steps.
 *
 * A group on a cycle through other groups (a member waits for something that waits for another
 * member) could never start: it is split, its members of the lowest level apart from the rest,
 * until no group is on a cycle. On a cycle some group has members of several levels (edges
 * between groups of one level each go from lower to higher), so this ends.
 *
 * Groups are sorted by depth (the longest chain of groups before them), then by their first
 * step's place in the level order: a topological order, the same for the same changes in any
 * order. Throws what `stepOrder` throws, and InternalError for a step given two batch keys.
 */
export function executionGroups(changes: readonly Change[], ordering: Ordering = {}): ExecutionGroup[] {
  const { levels, before } = stepOrder(changes, ordering);
  const levelOf = new Map<string, number>();
  for (const [index, level] of levels.entries()) for (const step of level) levelOf.set(step.key, index);
  const ordered = levels.flat();
  const place = new Map(ordered.map((step, index) => [step.key, index]));
  const keys = batchKeys(ordering);

  const groups: Step[][] = [];
  const keyed = new Map<string, Step[]>();
  for (const step of ordered) {
    const key = keys.get(step.key);
    if (key === undefined) {
      groups.push([step]);
      continue;
    }
    const phase = key.deletes === 'first' ? 'any' : phaseOf(step.change);
    const full = JSON.stringify([phase, step.change.provider, step.step ?? null, key.key]);
    const group = keyed.get(full);
    if (group === undefined) {
      const created = [step];
      keyed.set(full, created);
      groups.push(created);
    } else group.push(step);
  }

  for (;;) {
    const edges = groupEdges(groups, before);
    const victim = groups.findIndex(
      (group, index) => new Set(group.map((s) => levelOf.get(s.key))).size > 1 && onCycle(index, edges.dependents),
    );
    if (victim < 0) break;
    const group = groups[victim] as Step[];
    const lowest = Math.min(...group.map((s) => levelOf.get(s.key) as number));
    groups.splice(
      victim,
      1,
      group.filter((s) => levelOf.get(s.key) === lowest),
      group.filter((s) => levelOf.get(s.key) !== lowest),
    );
  }

  const { prerequisites: groupBefore } = groupEdges(groups, before);
  const forwardGroups = groups.flatMap((group, index) => (phaseOfGroup(group) === 'forward' ? [index] : []));
  for (const [index, group] of groups.entries()) {
    if (phaseOfGroup(group) === 'delete')
      groupBefore[index] = [...new Set([...(groupBefore[index] as number[]), ...forwardGroups])];
  }
  const depth: number[] = [];
  const depthOf = (index: number): number => {
    const known = depth[index];
    if (known !== undefined) return known;
    const value = Math.max(-1, ...(groupBefore[index] as number[]).map(depthOf)) + 1;
    depth[index] = value;
    return value;
  };
  const firstPlace = (index: number) => place.get((groups[index] as Step[])[0]?.key as string) as number;
  const sorted = groups
    .map((_, index) => index)
    .sort((a, b) => depthOf(a) - depthOf(b) || firstPlace(a) - firstPlace(b));
  const position = new Map(sorted.map((index, at) => [index, at]));
  return sorted.map((index) => {
    const group = groups[index] as Step[];
    const step = group[0]?.step;
    return {
      phase: phaseOfGroup(group),
      ...(step === undefined ? {} : { step }),
      changes: group.map((s) => s.change),
      after: [...new Set((groupBefore[index] as number[]).map((j) => position.get(j) as number))].sort((a, b) => a - b),
    };
  });
}

/** The declared batch key of each step, by step key. */
function batchKeys(ordering: Ordering): Map<string, BatchKey> {
  const keys = new Map<string, BatchKey>();
  for (const { step, key } of ordering.batches ?? []) {
    const at = stepKey(step);
    if (keys.has(at)) throw new InternalError(`${at} is given two batch keys`);
    keys.set(at, key);
  }
  return keys;
}

/** A group holding any forward step is applied with the forward ones (a `first` key mixes both). */
function phaseOfGroup(group: readonly Step[]): Phase {
  return group.some((step) => phaseOf(step.change) === 'forward') ? 'forward' : 'delete';
}

/** Between distinct groups: for each group, the groups holding its members' prerequisites, and the reverse. */
function groupEdges(
  groups: readonly (readonly Step[])[],
  before: ReadonlyMap<string, readonly string[]>,
): { prerequisites: number[][]; dependents: number[][] } {
  const groupOf = new Map<string, number>();
  for (const [index, group] of groups.entries()) for (const step of group) groupOf.set(step.key, index);
  const prerequisites = groups.map((group, index) => [
    ...new Set(
      group
        .flatMap((step) => before.get(step.key) ?? [])
        .map((key) => groupOf.get(key) as number)
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
