import type { Address } from '../model/resource.js';
import { assertNever, InternalError } from '../runtime/errors.js';
import { compareStrings } from './collections.js';
import { ACTION_ORDER, type Change, type Ordering, type StepRef } from './types.js';

/**
 * Apply order, computed here alone, from data: the resources' `dependsOn` and what the providers
 * declare (`Ordering`: extra edges, later steps, batch keys). Providers never reorder; they apply
 * the groups `executionGroups` (groups.ts) forms, in the order given.
 *
 * The unit of order is a step: each change is one, unless its provider declared later steps for
 * it (`Ordering.steps`), each of which waits for the one before. Steps run in two phases:
 * forward (creates, updates, replaces), then deletes. A step waits for
 * - forward: the first step of each change its desired side `dependsOn` names;
 * - delete: the first step of each delete whose live side `dependsOn` names it (reverse
 *   dependency order: a resource is deleted before what it depends on);
 * - any phase: the `before` of every declared edge whose `after` it is.
 * A `dependsOn` naming no change, or one in the other phase, puts no constraint; so does an edge
 * naming a change the plan does not hold. An edge from a delete to a forward step can never hold
 * (deletes follow every forward step) and is an InternalError.
 */

/** Whether a step runs with the creates and updates, or after all of them with the deletes. */
export type Phase = 'forward' | 'delete';

/** One step of one change, as ordered. `key` identifies it (`stepKey`). */
export interface Step {
  readonly key: string;
  readonly change: Change;
  /** Absent for the change's first step. */
  readonly step?: string;
}

/** The steps in levels, and for each step (by key) the keys of the steps that must run before it. */
export interface StepOrder {
  readonly levels: readonly (readonly Step[])[];
  readonly before: ReadonlyMap<string, readonly string[]>;
}

/**
 * The plan's order: changes in levels that can run concurrently, each after the changes its
 * `dependsOn` names, deletes after every other change in reverse dependency order; within a level
 * by ACTION_ORDER, then address. Providers' declarations are not taken into account here (a plan
 * is built without providers); `executionGroups` adds them when applying.
 *
 * Throws InternalError when two changes share an address or when dependencies form a cycle (the
 * message names the addresses on the cycle).
 */
export function executionLevels(changes: readonly Change[]): Change[][] {
  return stepOrder(changes, {}).levels.map((level) => level.map((step) => step.change));
}

/**
 * Every step of `changes` (see above) in levels: each level's steps wait only for steps of
 * earlier levels; forward levels come first, then delete levels. Within a level by ACTION_ORDER,
 * then address. Throws what `executionLevels` throws, and InternalError for an edge naming a step
 * its change was not declared to have, or one from a delete to a forward step.
 */
export function stepOrder(changes: readonly Change[], ordering: Ordering): StepOrder {
  const seen = new Set<Address>();
  for (const change of changes) {
    if (seen.has(change.address)) throw new InternalError(`two changes have the address ${change.address}`);
    seen.add(change.address);
  }
  const steps = stepsOf(changes, ordering);
  const before = prerequisites(steps, ordering);
  const forward = steps.filter((step) => phaseOf(step.change) === 'forward');
  const deletes = steps.filter((step) => phaseOf(step.change) === 'delete');
  return { levels: [...levels(forward, before), ...levels(deletes, before)], before };
}

/** The key of a step: the address for a first step (what `dependsOn` names), else address and step. */
export function stepKey(ref: StepRef): string {
  return ref.step === undefined ? ref.address : JSON.stringify([ref.address, ref.step]);
}

export function phaseOf(change: Change): Phase {
  return change.action === 'delete' ? 'delete' : 'forward';
}

/** ACTION_ORDER, then address. */
export function compareChanges(a: Change, b: Change): number {
  return ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || compareStrings(a.address, b.address);
}

function stepsOf(changes: readonly Change[], ordering: Ordering): Step[] {
  const later = new Map<Address, readonly string[]>();
  for (const { address, later: names } of ordering.steps ?? []) {
    if (later.has(address)) throw new InternalError(`the later steps of ${address} are declared twice`);
    later.set(address, names);
  }
  return changes.flatMap((change) => [
    { key: change.address, change },
    ...(later.get(change.address) ?? []).map((step) => ({ key: stepKey({ address: change.address, step }), change, step })),
  ]);
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

/** For each step, the keys of the steps that must run before it, sorted. */
function prerequisites(steps: readonly Step[], ordering: Ordering): Map<string, string[]> {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  const before = new Map(steps.map((step) => [step.key, new Set<string>()]));
  const add = (first: Step, then: Step) => before.get(then.key)?.add(first.key);
  let previous: Step | undefined;
  for (const step of steps) {
    if (step.step !== undefined) add(previous as Step, step);
    previous = step;
    if (step.step !== undefined) continue;
    for (const address of dependencies(step.change)) {
      const other = byKey.get(address);
      if (other === undefined || phaseOf(other.change) !== phaseOf(step.change)) continue;
      if (step.change.action === 'delete') add(step, other);
      else add(other, step);
    }
  }
  for (const edge of ordering.edges ?? []) {
    const first = stepNamed(edge.before, byKey);
    const then = stepNamed(edge.after, byKey);
    if (first === undefined || then === undefined) continue;
    if (phaseOf(first.change) === 'delete' && phaseOf(then.change) === 'forward')
      throw new InternalError(`${describe(first)} is a delete, which cannot run before ${describe(then)}`);
    add(first, then);
  }
  return new Map([...before].map(([key, set]) => [key, [...set].sort(compareStrings)]));
}

/** The step `ref` names; undefined when the plan has no change at its address. */
function stepNamed(ref: StepRef, byKey: ReadonlyMap<string, Step>): Step | undefined {
  const step = byKey.get(stepKey(ref));
  if (step === undefined && ref.step !== undefined && byKey.has(ref.address))
    throw new InternalError(`an edge names the step ${ref.step} of ${ref.address}, which has no such step`);
  return step;
}

function describe(step: Step): string {
  return step.step === undefined ? step.change.address : `${step.change.address} (step ${step.step})`;
}

/** `before` has an entry for every step; prerequisites outside `steps` (the other phase) count as done. */
function levels(steps: readonly Step[], before: ReadonlyMap<string, readonly string[]>): Step[][] {
  const remaining = new Map(steps.map((step) => [step.key, step]));
  const done = new Set<string>();
  const outside = (key: string) => !remaining.has(key) && !done.has(key);
  const result: Step[][] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()].filter((step) =>
      before.get(step.key)!.every((key) => done.has(key) || outside(key)),
    );
    if (ready.length === 0) throw cycleError(remaining, before);
    for (const step of ready) {
      remaining.delete(step.key);
      done.add(step.key);
    }
    result.push(ready.sort((a, b) => compareChanges(a.change, b.change)));
  }
  return result;
}

/**
 * Every remaining step waits for another remaining one, so walking "waits for" edges from any of
 * them must revisit a step: the walk from the first repeat is a cycle.
 */
function cycleError(remaining: ReadonlyMap<string, Step>, before: ReadonlyMap<string, readonly string[]>): InternalError {
  const path: string[] = [];
  let key = [...remaining.keys()].sort(compareStrings)[0] as string;
  while (!path.includes(key)) {
    path.push(key);
    key = before.get(key)!.find((next) => remaining.has(next)) as string;
  }
  const cycle = [...path.slice(path.indexOf(key)), key].map((k) => describe(remaining.get(k) as Step));
  return new InternalError(`dependency cycle between changes: ${cycle.join(' → ')}`);
}
