import type { Plan } from '../engine/types.js';
import type { ApplyResultView } from '../render/json.js';
import { DaffError, describeError, PartialApplyError } from '../runtime/errors.js';

/**
 * The result part of `apply --format json`: which of the plan's changes were applied, failed or
 * not attempted. `outcome` is the converged run's applied addresses, or what the run threw.
 */
export function applyResult(plan: Plan, outcome: { readonly applied: readonly string[] } | { readonly error: unknown }): ApplyResultView {
  const all = plan.changes.map((c) => c.address);
  if ('applied' in outcome) {
    const applied = new Set(outcome.applied);
    return { status: 'applied', applied: all.filter((a) => applied.has(a)), failed: [], notAttempted: all.filter((a) => !applied.has(a)) };
  }
  const { error } = outcome;
  if (error instanceof PartialApplyError) {
    return {
      status: 'failed',
      applied: [...error.applied],
      failed: error.failed.map((f) => ({ address: f.address, error: describeError(f.error) })),
      notAttempted: [...error.notAttempted],
    };
  }
  const message = error instanceof DaffError ? describeError(error) : error instanceof Error ? error.message : String(error);
  return { status: 'not-applied', applied: [], failed: [], notAttempted: all, error: message.split('\n')[0] ?? message };
}
