import { executionGroups } from '../engine/groups.js';
import { resolveUnknowns } from '../engine/resolve.js';
import type { Change, Ordering, Plan } from '../engine/types.js';
import type { Address, ProviderId } from '../model/resource.js';
import type { Value } from '../model/value.js';
import { assertNever, DaffError, InternalError, PartialApplyError } from '../runtime/errors.js';
import type { ApplyResult, Provider, Reporter } from '../providers/provider.js';

type Outputs = Map<Address, { readonly [attribute: string]: Value }>;

export interface ApplyOutcome {
  readonly applied: readonly Address[];
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

/**
 * Runs a plan's changes as a dependency graph: each group of `executionGroups` (one change, or
 * the changes of one batch key a provider declared, e.g. a zone's DNS records in one batch; or a
 * later step of them) starts as soon as every group it waits for is applied, not when a whole
 * dependency level is, so a slow change (an add-on provisioning) delays only what depends on it.
 * The order is the engine's, from `dependsOn` and the providers' `ordering` declarations; a
 * provider applies what it is handed. Groups that become ready together start in the groups'
 * order, so with instant responses the requests go out in the same order on every run. Unknown
 * references are resolved from the outputs so far as a group starts.
 *
 * After a change fails (or a provider leaves one of a group's changes unapplied), nothing new
 * starts, in any environment: the same contract as a level-by-level run, since a failure often
 * has a cause the next requests share (credentials, rate limit, an API outage) and running the
 * same command again continues from what is live. What is in flight is waited for, as a request
 * sent cannot be recalled and the report must say what it did. Then PartialApplyError lists what
 * was applied, what failed and what was not attempted, each in plan order. A change applied in
 * steps counts as applied once its last step is; one stopped between steps is not attempted (the
 * next plan shows what is left of it).
 */
export async function applyPlan(
  plan: Plan,
  providers: ReadonlyMap<ProviderId, Provider>,
  reporter: Reporter,
): Promise<ApplyOutcome> {
  const providerOf = (id: ProviderId): Provider => {
    const provider = providers.get(id);
    if (provider === undefined) throw new InternalError(`no provider configured for ${id}`);
    return provider;
  };
  const ordering = declaredOrdering(plan.changes, providerOf);
  const groups = executionGroups(plan.changes, ordering);
  const later = new Map((ordering.steps ?? []).map((s) => [s.address, s.later] as const));
  const outputs: Outputs = new Map();
  const stepsLeft = new Map<Address, number>();
  for (const group of groups) for (const change of group.changes) stepsLeft.set(change.address, (stepsLeft.get(change.address) ?? 0) + 1);
  const applied = new Set<Address>();
  const failed: { address: Address; error: DaffError }[] = [];
  const waiting = groups.map((group) => group.after.length);
  const dependents: number[][] = groups.map(() => []);
  for (const [index, group] of groups.entries()) for (const before of group.after) dependents[before]?.push(index);

  const start = async (index: number): Promise<readonly [number, ApplyResult]> => {
    const group = groups[index];
    const changes = group?.changes ?? [];
    try {
      const provider = providerOf((changes[0] as Change).provider);
      const resolved = changes.map((change) => withResolvedRefs(change, outputs));
      const step = group?.step === undefined ? {} : { step: group.step };
      return [index, await provider.apply(resolved, { reporter, outputs, later, ...step })];
    } catch (error) {
      return [index, thrown(changes, error)];
    }
  };

  const running = new Map<number, Promise<readonly [number, ApplyResult]>>();
  let ready = groups.flatMap((group, index) => (group.after.length === 0 ? [index] : []));
  let stopped = false;
  for (;;) {
    if (!stopped) for (const index of ready) running.set(index, start(index));
    ready = [];
    if (running.size === 0) break;
    const [index, result] = await Promise.race(running.values());
    running.delete(index);
    const done = new Set(result.applied);
    for (const address of done) {
      const left = (stepsLeft.get(address) ?? 1) - 1;
      stepsLeft.set(address, left);
      if (left === 0) applied.add(address);
    }
    failed.push(...result.failed);
    for (const [address, values] of result.outputs) outputs.set(address, values);
    if (!(groups[index]?.changes ?? []).every((change) => done.has(change.address))) {
      stopped = true;
      continue;
    }
    for (const next of dependents[index] ?? []) {
      waiting[next] = (waiting[next] as number) - 1;
      if (waiting[next] === 0) ready.push(next);
    }
    ready.sort((a, b) => a - b);
  }

  const inPlan = plan.changes.map((change) => change.address);
  const appliedInOrder = inPlan.filter((address) => applied.has(address));
  const failedAt = new Set(failed.map((f) => f.address));
  if (!stopped) {
    // Every group starts once its prerequisites are applied; one never started is a scheduling bug.
    if (appliedInOrder.length !== inPlan.length) {
      throw new InternalError(`apply ended with ${inPlan.length - appliedInOrder.length} change(s) never started`);
    }
    return { applied: appliedInOrder, outputs };
  }
  const place = new Map(inPlan.map((address, index) => [address, index]));
  const failedInOrder = [...failed].sort((a, b) => (place.get(a.address) ?? 0) - (place.get(b.address) ?? 0));
  const notAttempted = inPlan.filter((address) => !applied.has(address) && !failedAt.has(address));
  throw new PartialApplyError(appliedInOrder, failedInOrder, notAttempted);
}

/**
 * The orderings the providers of the plan's changes declare, as one. A provider declares steps
 * and batch keys for its own changes only (edges may name any change): anything else is a bug.
 */
function declaredOrdering(changes: readonly Change[], providerOf: (id: ProviderId) => Provider): Ordering {
  const ids = [...new Set(changes.map((change) => change.provider))].sort();
  const providerAt = new Map(changes.map((change) => [change.address, change.provider]));
  const declared = ids.map((id) => [id, providerOf(id).ordering?.(changes) ?? {}] as const);
  for (const [id, ordering] of declared) {
    const named = [...(ordering.steps ?? []).map((s) => s.address), ...(ordering.batches ?? []).map((b) => b.step.address)];
    const foreign = named.find((address) => providerAt.get(address) !== id);
    if (foreign !== undefined) throw new InternalError(`the ${id} provider declared steps or a batch key for ${foreign}, not one of its changes`);
  }
  return {
    edges: declared.flatMap(([, ordering]) => ordering.edges ?? []),
    steps: declared.flatMap(([, ordering]) => ordering.steps ?? []),
    batches: declared.flatMap(([, ordering]) => ordering.batches ?? []),
  };
}

/** A provider's `apply` must report failures, not throw; if it throws, each change it was given failed. */
function thrown(changes: readonly Change[], error: unknown): ApplyResult {
  const daff =
    error instanceof DaffError
      ? error
      : new InternalError(
          `applying ${changes.map((c) => c.address).join(', ')} threw ${error instanceof Error ? error.name : typeof error}`,
          error,
        );
  return {
    applied: [],
    failed: changes.map((change) => ({ address: change.address, error: daff })),
    notAttempted: [],
    outputs: new Map(),
  };
}

function withResolvedRefs(
  change: Change,
  outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>,
): Change {
  switch (change.action) {
    case 'create':
    case 'update':
    case 'replace': {
      const after = resolveUnknowns(change.after, outputs);
      return {
        ...change,
        after,
        diffs: change.diffs.map((d) =>
          d.after === undefined ? d : { ...d, after: after.attributes[d.attribute] ?? d.after },
        ),
      };
    }
    case 'delete':
      return change;
    default:
      return assertNever(change, 'change action');
  }
}
