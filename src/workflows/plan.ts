import { buildPlan } from '../engine/plan.js';
import type { Change, CostEstimate, LiveState, Plan, StepNote } from '../engine/types.js';
import { ConfigError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import type { Prepared } from './prepare.js';

/** Reads live state from every provider the desired resources use, concurrently. */
export async function readLive(connection: Connection, prepared: Prepared): Promise<LiveState> {
  const states = await Promise.all(
    [...connection.providers.values()].map((provider) =>
      provider.read({
        scopes: prepared.environments,
        desired: prepared.desired.resources.filter((r) => r.provider === provider.id),
      }),
    ),
  );
  return {
    resources: states.flatMap((s) => s.resources),
    deferred: states.flatMap((s) => s.deferred),
    diagnostics: states.flatMap((s) => s.diagnostics),
    notes: states.flatMap((s) => s.notes ?? []),
    // Each zone's count of every DNS record (the base of the DNS change threshold) lives here only.
    counts: Object.assign({}, ...states.map((s) => s.counts ?? {})),
  };
}

/** Reads live state and builds the plan; live errors (e.g. add-on-owned vars declared) stop here. */
export async function planNow(connection: Connection, prepared: Prepared): Promise<Plan> {
  const live = await readLive(connection, prepared);
  const liveErrors = live.diagnostics.filter((d) => d.severity === 'error');
  if (liveErrors.length > 0) throw new ConfigError(live.diagnostics);
  const plan = buildPlan(prepared.desired, live, [...prepared.environments], { digestKey: connection.digestKey });
  const cost = await estimateCost(connection, plan.changes);
  const steps = stepNotes(connection, plan.changes);
  return {
    ...plan,
    diagnostics: [...prepared.warnings, ...plan.diagnostics],
    ...(cost === undefined ? {} : { cost }),
    ...(steps.length === 0 ? {} : { steps }),
  };
}

/** What the providers say about the changes they apply in several steps (`Ordering.steps` notes). */
function stepNotes(connection: Connection, changes: readonly Change[]): StepNote[] {
  const ids = new Set(changes.map((change) => change.provider));
  return [...connection.providers.values()]
    .filter((provider) => ids.has(provider.id))
    .flatMap((provider) => provider.ordering?.(changes).steps ?? [])
    .flatMap((step) => (step.note === undefined ? [] : [{ address: step.address, note: step.note }]))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** The monthly cost change, from each provider that prices its own changes; undefined when none does. */
export async function estimateCost(connection: Connection, changes: readonly Change[]): Promise<CostEstimate | undefined> {
  const estimates = await Promise.all(
    [...connection.providers.values()].map((provider) =>
      provider.estimateCost?.(changes.filter((c) => c.provider === provider.id)),
    ),
  );
  const present = estimates.filter((e): e is CostEstimate => e !== undefined);
  if (present.length === 0) return undefined;
  const byAddress = <T extends { address: string }>(a: T, b: T) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  return {
    lines: present.flatMap((e) => e.lines).sort(byAddress),
    deltaCents: present.reduce((sum, e) => sum + e.deltaCents, 0),
    unpriced: present.flatMap((e) => e.unpriced).sort(byAddress),
  };
}
