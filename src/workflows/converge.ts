import { planIsEmpty } from '../engine/plan.js';
import { checkStale } from '../engine/planfile.js';
import { assertSafe } from '../engine/safety.js';
import type { Plan } from '../engine/types.js';
import type { BudgetCheck } from '../model/cost.js';
import type { Address } from '../model/resource.js';
import { kindPolicies, type Reporter } from '../providers/provider.js';
import { DaffError, PartialApplyError } from '../runtime/errors.js';
import { applyPlan } from './apply.js';
import { changedEnvironments, type LockContext, underApplyLock } from './apply-lock.js';
import { assertWithinBudget, checkBudgets } from './budget.js';
import type { Connection } from './connection.js';
import { keepLocksFor, lockAlongsidePlan, releaseEarly } from './early-locks.js';
import type { HeldLocks } from './lock.js';
import { clearLocks } from './lock-report.js';
import { planNow } from './plan.js';
import { narrowed, type Prepared } from './prepare.js';

export interface ConvergeOptions {
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  /** A plan saved with `plan --out`: refused when live state or config moved since. */
  readonly saved?: Parameters<typeof checkStale>[0];
  /** Remove another run's apply lock on these environments first (`--break-lock`). */
  readonly breakLock: boolean;
  /**
   * Check app.yaml's budgets (workflows/budget.ts) before consent: `everything` is the desired
   * state of every environment; `allowOver` applies a plan that exceeds one. Absent: not checked.
   */
  readonly budget?: { readonly everything: Prepared; readonly allowOver: boolean };
}

/** Consent to change something, asked of the person running the command; throws when refused. */
export type Consent = (request: ConsentRequest) => Promise<void>;

export interface ConsentRequest {
  /** What would happen, e.g. `apply` or `promote`, for the messages. */
  readonly action: string;
  /** Apps of production-stage environments affected: their names must be typed. */
  readonly productionApps: readonly string[];
  /** The question for a non-production change, e.g. `Apply these changes?`. */
  readonly question: string;
}

/** How converging talks to the person running it; the command decides the form. */
export interface ConvergeHooks {
  /** Shows the plan, before safety is checked or consent asked. */
  readonly showPlan: (plan: Plan) => void;
  /** Shows the budgets against the cost after the plan (when budgets are checked and app.yaml has any). */
  readonly showBudgets?: (checks: readonly BudgetCheck[]) => void;
  /** Shows what is left when live state does not match app.yaml after applying (the error follows). */
  readonly showRemaining: (plan: Plan) => void;
  readonly consent: Consent;
  readonly reporter: Reporter;
  readonly lock: LockContext;
  /**
   * Whether consent waits for a person (no `--yes`): the apply lock is then taken once they said
   * yes, never held while they read the plan; otherwise it is tried alongside the plan's read
   * (apply-lock.ts `underApplyLock` says when and why).
   */
  readonly asksPerson: boolean;
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
 * them under the lock (`underApplyLock`), apply, then re-read and require convergence (still
 * under the lock). An empty plan changes nothing and asks nothing. Without a person to ask, the
 * locks are tried alongside the plan's read (apply-lock.ts says why that is safe) and released
 * however the run stops.
 */
export async function converge(
  connection: Connection,
  prepared: Prepared,
  options: ConvergeOptions,
  hooks: ConvergeHooks,
): Promise<Converged> {
  const early = hooks.asksPerson ? undefined : lockAlongsidePlan(connection, prepared, options.breakLock, hooks.lock);
  // Both settle before anything else, so no lock is left behind when the read fails.
  const [read, tried] = await Promise.allSettled([planNow(connection, prepared), early]);
  const locked = tried.status === 'fulfilled' ? tried.value : undefined;
  // Once handed on (released for an empty plan, or kept for the changes), the early locks are not released here.
  let handedOn = false;
  let held: HeldLocks | undefined;
  let plan: Plan;
  try {
    if (read.status === 'rejected') throw read.reason;
    plan = read.value;
    if (options.saved !== undefined) checkStale(options.saved, plan);
    hooks.showPlan(plan);
    if (planIsEmpty(plan)) {
      handedOn = true;
      if (locked === undefined)
        await clearLocks(connection, plan, prepared.environments, { breakLock: options.breakLock, lock: hooks.lock });
      else await releaseEarly(locked, hooks.lock, true);
      return { plan, applied: [], after: plan };
    }
    assertSafe(plan, kindPolicies(connection.providers.values()), { allowDestroy: options.allowDestroy, force: options.force });
    if (options.budget !== undefined) {
      const checks = await checkBudgets(connection, options.budget.everything, plan);
      if (checks.length > 0) hooks.showBudgets?.(checks);
      assertWithinBudget(checks, options.budget.allowOver);
    }
    if (locked !== undefined) {
      handedOn = true;
      // Refused, it has released every lock itself.
      held = await keepLocksFor(locked, changedEnvironments(prepared, plan), hooks.lock);
    }
    const changing = plan.changes;
    const production = prepared.environments
      .map((name) => prepared.config.environments[name])
      .filter((e) => e !== undefined && e.stage === 'production' && changing.some((c) => c.scope === e.name))
      .map((e) => e?.app ?? '');
    await hooks.consent({ action: 'apply', productionApps: production, question: 'Apply these changes?' });
  } catch (error) {
    if (held !== undefined) await held.release();
    else if (locked !== undefined && !handedOn) await releaseEarly(locked, hooks.lock, false);
    throw error;
  }
  const locking = {
    breakLock: options.breakLock,
    lock: hooks.lock,
    reporter: hooks.reporter,
    ...(held === undefined ? {} : { held }),
  };
  return underApplyLock(connection, prepared, plan, locking, (locked, appliedBefore, changed) =>
    applyAndConfirm(connection, { prepared, changed }, locked, appliedBefore, hooks),
  );
}

/**
 * Applies the plan (each change once its dependencies are applied), then re-reads and requires
 * convergence. `appliedBefore`: changes of the plan shown that were applied already (new apps).
 *
 * The confirming re-read covers the environments the plan changes (`changed`), read as the lock's
 * re-read reads them (`narrowed`), not every environment of the run: the others were read by the
 * plan moments ago and nothing of this run wrote to them. What it buys is the verdict "live
 * matches app.yaml" from live state after the writes rather than from the writes' answers: a write
 * the API accepted but applied differently (a normalised value, an add-on still provisioning, a
 * change by hand meanwhile) fails this run instead of surfacing at the next drift. Deferrals of
 * the unchanged environments are the plan's.
 */
async function applyAndConfirm(
  connection: Connection,
  scope: { readonly prepared: Prepared; readonly changed: readonly string[] },
  plan: Plan,
  appliedBefore: readonly Address[],
  hooks: ConvergeHooks,
): Promise<Converged> {
  const { prepared, changed } = scope;
  const outcome = await applyPlan(plan, connection.providers, hooks.reporter).catch((error: unknown) => {
    // What stopped still names the apps created before the lock as applied.
    if (!(error instanceof PartialApplyError) || appliedBefore.length === 0) throw error;
    throw new PartialApplyError([...appliedBefore, ...error.applied], error.failed, error.notAttempted);
  });
  const applied = [...appliedBefore, ...outcome.applied];
  const reread = await planNow(connection, narrowed(prepared, changed, hooks.lock.env));
  const elsewhere = new Set(
    prepared.desired.resources.filter((r) => !changed.includes(r.scope)).map((r) => r.address),
  );
  const after = { ...reread, deferred: [...plan.deferred.filter((d) => elsewhere.has(d.address)), ...reread.deferred] };
  if (!planIsEmpty(after)) {
    hooks.showRemaining(after);
    throw new DaffError(`Applied ${applied.length} change(s), but live state does not match app.yaml yet`, {
      hint: 'Run `daffeinated plan` to see what remains; an API may still be converging.',
    });
  }
  const deferred = after.deferred.length > 0 ? ` ${after.deferred.length} deferred until the first deploy.` : '';
  hooks.reporter.info(`Apply complete: ${applied.length} change(s) applied; live matches app.yaml.${deferred}`);
  return { plan, applied, after };
}

export interface DeferredApplied {
  readonly applied: readonly Address[];
  readonly stillDeferred: Plan['deferred'];
}

/**
 * After code is released, formation that waited for its process types can be applied: re-plan,
 * and apply exactly the changes to addresses that were deferred before (anything else that shows
 * up was not part of what the user confirmed, so it is reported, not applied). Returns what was
 * applied and what stays deferred.
 */
export async function applyDeferred(
  connection: Connection,
  prepared: Prepared,
  deferred: ReadonlySet<Address>,
  reporter: Reporter,
): Promise<DeferredApplied> {
  if (deferred.size === 0) return { applied: [], stillDeferred: [] };
  const plan = await planNow(connection, prepared);
  const changes = plan.changes.filter((c) => deferred.has(c.address));
  const others = plan.changes.filter((c) => !deferred.has(c.address));
  if (others.length > 0) {
    reporter.warn(
      `${others.length} other change(s) appeared meanwhile and were not applied: ${others.map((c) => c.address).join(', ')}; run \`daffeinated plan\`.`,
    );
  }
  if (changes.length === 0) return { applied: [], stillDeferred: plan.deferred };
  reporter.info(
    `Applying ${changes.length} formation change(s) that waited for the release: ${changes.map((c) => c.address).join(', ')}`,
  );
  const outcome = await applyPlan({ ...plan, changes }, connection.providers, reporter);
  return { applied: outcome.applied, stillDeferred: plan.deferred };
}
