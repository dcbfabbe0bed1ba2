import type { Address, Resource, ResourceKind } from '../model/resource.js';
import { assertNever, InternalError, UnsafePlanError } from '../runtime/errors.js';
import { compareStrings, sortedUnique } from './collections.js';
import { type Change, type ChangeThreshold, type KindPolicies, type KindPolicy, type Plan, prunesKey } from './types.js';

/** The parts of a plan that safety looks at. */
export type SafetyInput = Pick<Plan, 'changes' | 'liveCounts'>;

export interface SafetyOptions {
  /** Addresses the user allows to be deleted or replaced (`--allow-destroy`). */
  readonly allowDestroy: readonly Address[];
  /** `--force`: lifts the change thresholds (never the protection of data). */
  readonly force: boolean;
}

export interface SafetyReport {
  /** One sentence per refusal, naming the address or group and what would be lost; empty when safe. */
  readonly refusals: string[];
  /** Protected addresses the plan destroys that `allowDestroy` does not name, sorted. */
  readonly needsAllowDestroy: Address[];
  /** Groups (zones) over a change threshold, by kind then group, sorted; empty when `force`. */
  readonly needsForce: string[];
}

/**
 * Refuses (a) deleting a resource whose live side is `protect`ed, or replacing one whose desired or
 * live side is, unless its address is in `allowDestroy`, saying what is lost (the kind's
 * `deleteLoses`); (b) updating, replacing or deleting more than a kind's `changeThreshold` share of
 * a group's live resources (`plan.liveCounts`) in a group of its `minLive` or more, unless `force`.
 * Exactly the share is allowed. A group with such changes but no live count is a bug
 * (InternalError). `kinds` are the providers' policies; a kind without one has no threshold.
 */
export function checkSafety(plan: SafetyInput, kinds: KindPolicies, options: SafetyOptions): SafetyReport {
  const allowed = new Set(options.allowDestroy);
  const refusals: string[] = [];
  const needsAllowDestroy: Address[] = [];
  for (const change of plan.changes) {
    const refusal = destroysProtected(change, kinds[change.kind]);
    if (refusal !== undefined && !allowed.has(change.address)) {
      refusals.push(refusal);
      needsAllowDestroy.push(change.address);
    }
  }
  const needsForce: string[] = [];
  if (!options.force) {
    for (const [kind, threshold] of thresholds(kinds)) {
      for (const [group, changed] of changesByGroup(plan.changes, kind, threshold)) {
        const { groupNoun, resourceNoun, percent } = threshold;
        const count = plan.liveCounts[prunesKey(kind, group)];
        if (count === undefined) throw new InternalError(`no live ${resourceNoun} count for ${groupNoun} ${group}`);
        if (count >= threshold.minLive && changed * 100 > count * percent) {
          refusals.push(
            `${groupNoun} ${group}: ${changed} of its ${count} ${resourceNoun}s would be updated, replaced or deleted ` +
              `(${Math.round((changed * 100) / count)}%, more than the ${percent}% allowed without --force)`,
          );
          needsForce.push(group);
        }
      }
    }
  }
  return { refusals, needsAllowDestroy: needsAllowDestroy.sort(compareStrings), needsForce };
}

/** Throws UnsafePlanError (exit code 3) listing every refusal, with the flags that would allow it. */
export function assertSafe(plan: SafetyInput, kinds: KindPolicies, options: SafetyOptions): void {
  const report = checkSafety(plan, kinds, options);
  if (report.refusals.length === 0) return;
  const flags = [
    ...report.needsAllowDestroy.map((address) => `--allow-destroy '${address}'`),
    ...(report.needsForce.length > 0 ? ['--force'] : []),
  ];
  throw new UnsafePlanError(
    report.refusals,
    `Review the plan; if this is intended, run again with ${flags.join(' ')}.`,
  );
}

function destroysProtected(change: Change, policy: KindPolicy | undefined): string | undefined {
  const loss = (live: Resource) => policy?.deleteLoses?.(live) ?? 'destroys it (it is marked protect)';
  switch (change.action) {
    case 'create':
    case 'update':
      return undefined;
    case 'replace':
      if (change.after.protect !== true && change.before.protect !== true) return undefined;
      return `replacing ${change.address} (${change.because.join(', ')} cannot change in place) ${loss(change.before)}`;
    case 'delete':
      if (change.before.protect !== true) return undefined;
      return `deleting ${change.address} ${loss(change.before)}`;
    default:
      return assertNever(change, 'change action');
  }
}

/** The kinds with a change threshold, sorted by kind. */
function thresholds(kinds: KindPolicies): [ResourceKind, ChangeThreshold][] {
  const found: [ResourceKind, ChangeThreshold][] = [];
  for (const kind of Object.keys(kinds).sort(compareStrings) as ResourceKind[]) {
    const threshold = kinds[kind]?.changeThreshold;
    if (threshold !== undefined) found.push([kind, threshold]);
  }
  return found;
}

/** Updates, replaces and deletes of `kind` per group, groups sorted. */
function changesByGroup(changes: readonly Change[], kind: ResourceKind, threshold: ChangeThreshold): Map<string, number> {
  const counts = new Map<string, number>();
  for (const change of changes) {
    if (change.kind === kind && change.action !== 'create') {
      const group = threshold.groupOf(change);
      counts.set(group, (counts.get(group) ?? 0) + 1);
    }
  }
  return new Map(sortedUnique([...counts.keys()]).map((group) => [group, counts.get(group) as number]));
}
