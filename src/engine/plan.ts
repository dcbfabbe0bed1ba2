import { sortDiagnostics } from '../runtime/diagnostics.js';
import { assertNever } from '../runtime/errors.js';
import { compareStrings, sortedUnique } from './collections.js';
import { diffAll } from './diff.js';
import { stateDigests } from './digest.js';
import { executionLevels } from './order.js';
import {
  type Change,
  type DesiredState,
  type LiveState,
  type Plan,
  type PlanSummary,
  prunesKey,
  type Unmanaged,
} from './types.js';

export { executionLevels } from './order.js';

export interface PlanOptions {
  /**
   * Key for the HMACs that stand in for sensitive values in the digests. Must be the same when a
   * plan is saved and when it is checked for staleness; never empty.
   */
  readonly digestKey: string;
}

/**
 * Compares desired with live (see `diffAll`) and orders the changes for apply (see
 * `executionLevels`). Deterministic: the same states in any order give an identical plan. Live
 * diagnostics are carried over, sorted; live notes join the unmanaged list. Throws InternalError for duplicate addresses and
 * dependency cycles.
 */
export function buildPlan(
  desired: DesiredState,
  live: LiveState,
  scopes: readonly string[],
  options: PlanOptions,
): Plan {
  const diff = diffAll(desired, live);
  const changes = executionLevels(diff.changes).flat();
  return {
    formatVersion: 1,
    scopes: sortedUnique(scopes),
    changes,
    deferred: diff.deferred,
    unmanaged: withNotes(diff.unmanaged, live.notes ?? []),
    diagnostics: sortDiagnostics(live.diagnostics),
    summary: summarize(changes),
    liveCounts: { ...countLive(live), ...live.counts },
    digests: stateDigests(desired, live, options.digestKey),
  };
}

/** Unmanaged items and live notes in one list: by address, then attribute (resource first), then note. */
function withNotes(unmanaged: readonly Unmanaged[], notes: readonly Unmanaged[]): Unmanaged[] {
  if (notes.length === 0) return [...unmanaged];
  return [...unmanaged, ...notes].sort(
    (a, b) =>
      compareStrings(a.address, b.address) ||
      compareStrings(a.attribute ?? '', b.attribute ?? '') ||
      compareStrings(a.note, b.note),
  );
}

/** True when applying the plan would change nothing (deferrals and unmanaged items are not changes). */
export function planIsEmpty(plan: Pick<Plan, 'changes'>): boolean {
  return plan.changes.length === 0;
}

/** Counts of changes per action. */
export function summarize(changes: readonly Change[]): PlanSummary {
  const summary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of changes) {
    switch (change.action) {
      case 'create':
      case 'update':
      case 'replace':
      case 'delete':
        summary[change.action] += 1;
        break;
      default:
        assertNever(change, 'change action');
    }
  }
  return summary;
}

/** Live resources per `kind@scope`, keys sorted. */
export function countLive(live: Pick<LiveState, 'resources'>): { [kindAtScope: string]: number } {
  const counts = new Map<string, number>();
  for (const resource of live.resources) {
    const key = prunesKey(resource.kind, resource.scope);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => compareStrings(a, b)));
}
