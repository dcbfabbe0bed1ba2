import type { LockStore } from '../providers/provider.js';
import { holderOf, type LockContext, lockOptions, NO_LOCKS } from './apply-lock.js';
import type { Connection } from './connection.js';
import { attemptLocks, type HeldLocks, holdLocks, type LockAttempt, LockedError } from './lock.js';
import { describeLock } from './lock-holder.js';
import type { Prepared } from './prepare.js';

/**
 * The apply locks a run with `--yes` tries alongside its plan's read, and what becomes of them
 * once the plan is known: kept where it changes something, released elsewhere. Why that is safe
 * is argued where the lock is used, in apply-lock.ts (`underApplyLock`).
 */

/** Locks tried alongside the plan's read (see `underApplyLock`): what came of each, and the store they are in. */
export interface EarlyLocks {
  readonly attempts: readonly LockAttempt[];
  readonly store: LockStore | undefined;
}

/** Tries the lock of every environment `prepared` reads; never throws (a failure is an attempt's outcome). */
export async function lockAlongsidePlan(
  connection: Connection,
  prepared: Prepared,
  breakLock: boolean,
  context: LockContext,
): Promise<EarlyLocks> {
  const store = connection.providers.get('heroku')?.locks;
  if (store === undefined) return { attempts: [], store };
  const attempts = await attemptLocks(store, prepared.environments, holderOf(context), lockOptions(breakLock, context));
  return { attempts, store };
}

/**
 * Of the locks taken alongside the plan, those of the environments it changes, held; the others
 * are released, alongside what follows (a lock another run holds on one of them is a warning, as
 * `plan` reports it). A changed environment whose lock was refused refuses the run, every lock
 * released first.
 */
export async function keepLocksFor(
  early: EarlyLocks,
  changed: readonly string[],
  context: LockContext,
): Promise<HeldLocks> {
  const { store } = early;
  if (store === undefined) return NO_LOCKS;
  const needed = (a: LockAttempt) => changed.includes(a.environment);
  const refusal = early.attempts.find((a) => needed(a) && a.outcome === 'failed');
  const spare = holdLocks(store, early.attempts.filter((a) => refusal !== undefined || !needed(a)), context.warn);
  for (const attempt of early.attempts) if (!needed(attempt)) warnOfFailure(attempt, context);
  // Released alongside what follows (the re-read under the kept ones); `release` never throws.
  const releasing = spare.release();
  if (refusal?.outcome === 'failed') {
    await releasing;
    throw refusal.error;
  }
  const kept = holdLocks(store, early.attempts.filter(needed), context.warn);
  return {
    environments: kept.environments,
    release: async () => {
      await Promise.all([releasing, kept.release()]);
    },
  };
}

/** An apply that goes no further (nothing to change, or refused): every lock taken alongside the plan released. */
export async function releaseEarly(early: EarlyLocks, context: LockContext, report: boolean): Promise<void> {
  if (early.store === undefined) return;
  if (report) for (const attempt of early.attempts) warnOfFailure(attempt, context);
  await holdLocks(early.store, early.attempts, context.warn).release();
}

/** A lock not taken on an environment this run does not change: said, never fatal. */
function warnOfFailure(attempt: LockAttempt, context: LockContext): void {
  if (attempt.outcome !== 'failed') return;
  const { environment, error } = attempt;
  if (error instanceof LockedError)
    context.warn(
      `${environment} is locked by an apply: ${error.holders.map(describeLock).join('; ')}; if that run is gone, \`daffeinated apply ${environment} --break-lock\` removes the lock`,
    );
  else context.warn(`could not lock ${environment} (${(error as Error).message})`);
}
