import { checkStale } from '../engine/planfile.js';
import { planIsEmpty } from '../engine/plan.js';
import { assertSafe } from '../engine/safety.js';
import type { Plan } from '../engine/types.js';
import type { Address } from '../model/resource.js';
import type { Reporter } from '../providers/provider.js';
import { DaffError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { applyPlan } from '../workflows/apply.js';
import type { Connection } from './connect.js';
import { confirmOrRefuse } from './confirm.js';
import { type Prepared, planNow } from './context.js';
import { underApplyLock } from './lock.js';
import { type OutputFormat, renderPlanFor } from './output.js';

export interface ConvergeOptions {
  readonly yes: boolean;
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  /** How the plan is shown, and where: `apply` prints it as its result (stdout); deploy and promote as progress (stderr, human). */
  readonly format: OutputFormat;
  readonly planTo: 'stdout' | 'stderr';
  /** A plan saved with `plan --out`: refused when live state or config moved since. */
  readonly saved?: Parameters<typeof checkStale>[0];
  /** Remove another run's apply lock on these environments first (`--break-lock`). */
  readonly breakLock?: boolean;
}

export interface Converged {
  /** The plan that was shown (and applied, unless empty). */
  readonly plan: Plan;
  readonly applied: readonly Address[];
  /** The re-read after applying: no changes left, possibly deferrals. */
  readonly after: Plan;
}

/**
 * What `apply ENV` does, reusable by `deploy` and `promote --apply`: plan, refuse a stale saved
 * plan, show the plan, check safety (protected resources, DNS thresholds), ask for consent (typed
 * app names for production stages, `--yes` in CI), lock the environments it changes and re-read
 * them under the lock (commands/lock.ts), apply, then re-read and require convergence (still
 * under the lock). An empty plan changes nothing and asks nothing.
 */
export async function converge(io: Io, connection: Connection, prepared: Prepared, options: ConvergeOptions): Promise<Converged> {
  const plan = await planNow(connection, prepared);
  if (options.saved !== undefined) checkStale(options.saved, plan);
  const rendered = renderPlanFor(plan, options.planTo === 'stdout' ? options.format : 'human', io, 'plan');
  if (options.planTo === 'stdout') io.stdout(rendered);
  else io.stderr(rendered);
  if (planIsEmpty(plan)) return { plan, applied: [], after: plan };
  assertSafe(plan, { allowDestroy: options.allowDestroy, force: options.force });
  const production = prepared.environments
    .map((name) => prepared.config.environments[name])
    .filter((e) => e !== undefined && e.stage === 'production' && plan.changes.some((c) => c.scope === e.name))
    .map((e) => e?.app ?? '');
  await confirmOrRefuse(io, { yes: options.yes, action: 'apply', productionApps: production, question: 'Apply these changes?' });
  // One apply at a time per environment: lock, re-read what changes, refuse if it moved (commands/lock.ts).
  return underApplyLock(io, connection, prepared, plan, options.breakLock ?? false, (locked) => applyAndConfirm(io, connection, prepared, locked));
}

/** Applies the plan (each change once its dependencies are applied), then re-reads and requires convergence. */
async function applyAndConfirm(io: Io, connection: Connection, prepared: Prepared, plan: Plan): Promise<Converged> {
  const outcome = await applyPlan(plan, connection.providers, stderrReporter(io));
  const after = await planNow(connection, prepared);
  if (!planIsEmpty(after)) {
    io.stderr(renderPlanFor(after, 'human', io, 'plan'));
    throw new DaffError(`Applied ${outcome.applied.length} change(s), but live state does not match app.yaml yet`, {
      hint: 'Run `daffeinated plan` to see what remains; an API may still be converging.',
    });
  }
  const deferred = after.deferred.length > 0 ? ` ${after.deferred.length} deferred until the first deploy.` : '';
  io.stderr(`Apply complete: ${outcome.applied.length} change(s) applied; live matches app.yaml.${deferred}\n`);
  return { plan, applied: outcome.applied, after };
}

/**
 * After code is released, formation that waited for its process types can be applied: re-plan,
 * and apply exactly the changes to addresses that were deferred before (anything else that shows
 * up was not part of what the user confirmed, so it is reported, not applied). Returns what was
 * applied and what stays deferred.
 */
export async function applyDeferred(
  io: Io,
  connection: Connection,
  prepared: Prepared,
  deferred: ReadonlySet<Address>,
): Promise<{ applied: readonly Address[]; stillDeferred: Plan['deferred'] }> {
  if (deferred.size === 0) return { applied: [], stillDeferred: [] };
  const plan = await planNow(connection, prepared);
  const changes = plan.changes.filter((c) => deferred.has(c.address));
  const others = plan.changes.filter((c) => !deferred.has(c.address));
  if (others.length > 0) {
    io.stderr(`warning: ${others.length} other change(s) appeared meanwhile and were not applied: ${others.map((c) => c.address).join(', ')}; run \`daffeinated plan\`.\n`);
  }
  if (changes.length === 0) return { applied: [], stillDeferred: plan.deferred };
  io.stderr(`Applying ${changes.length} formation change(s) that waited for the release: ${changes.map((c) => c.address).join(', ')}\n`);
  const outcome = await applyPlan({ ...plan, changes }, connection.providers, stderrReporter(io));
  return { applied: outcome.applied, stillDeferred: plan.deferred };
}

export function stderrReporter(io: Io): Reporter {
  return {
    info: (message) => io.stderr(`${message}\n`),
    warn: (message) => io.stderr(`warning: ${message}\n`),
    progress: (address, message) => io.stderr(`  ${address}: ${message}\n`),
  };
}
