import { executionLevels } from '../engine/plan.js';
import { resolveUnknowns } from '../engine/resolve.js';
import type { Change, Plan } from '../engine/types.js';
import type { Address, ProviderId } from '../model/resource.js';
import type { Value } from '../model/value.js';
import { type DaffError, PartialApplyError } from '../runtime/errors.js';
import type { Provider, Reporter } from '../providers/provider.js';

export interface ApplyOutcome {
  readonly applied: readonly Address[];
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

/**
 * Runs a plan's changes level by level (a level's changes depend only on earlier levels), each
 * level's providers concurrently. Unknown references are resolved from earlier outputs before a
 * level runs. Stops after the first level with a failure and throws PartialApplyError listing
 * what was applied, what failed and what was not attempted.
 */
export async function applyPlan(
  plan: Plan,
  providers: ReadonlyMap<ProviderId, Provider>,
  reporter: Reporter,
): Promise<ApplyOutcome> {
  const outputs = new Map<Address, { readonly [attribute: string]: Value }>();
  const applied: Address[] = [];
  const levels = executionLevels(plan.changes);
  for (const [index, level] of levels.entries()) {
    const byProvider = new Map<ProviderId, Change[]>();
    for (const change of level) {
      byProvider.set(change.provider, [...(byProvider.get(change.provider) ?? []), withResolvedRefs(change, outputs)]);
    }
    const results = await Promise.all(
      [...byProvider.entries()].map(([id, changes]) => {
        const provider = providers.get(id);
        if (provider === undefined) throw new Error(`no provider configured for ${id}`);
        return provider.apply(changes, { reporter, outputs });
      }),
    );
    const failed: { address: Address; error: DaffError }[] = [];
    const notAttempted: Address[] = [];
    for (const result of results) {
      applied.push(...result.applied);
      failed.push(...result.failed);
      notAttempted.push(...result.notAttempted);
      for (const [address, values] of result.outputs) outputs.set(address, values);
    }
    if (failed.length > 0) {
      const later = levels.slice(index + 1).flatMap((l) => l.map((c) => c.address));
      throw new PartialApplyError(applied, failed, [...notAttempted, ...later]);
    }
  }
  return { applied, outputs };
}

function withResolvedRefs(change: Change, outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>): Change {
  switch (change.action) {
    case 'create':
    case 'update':
    case 'replace': {
      const after = resolveUnknowns(change.after, outputs);
      return { ...change, after, diffs: change.diffs.map((d) => (d.after === undefined ? d : { ...d, after: after.attributes[d.attribute] ?? d.after })) };
    }
    case 'delete':
      return change;
  }
}
