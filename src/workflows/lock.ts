import type { LockRecord, LockStore } from '../providers/provider.js';
import { DaffError, describeError, ExitCode } from '../runtime/errors.js';
import { describeLock, type Holder, holderFields, isOwn, staleReason } from './lock-holder.js';

/**
 * One apply at a time per environment. Two runs applying to the same environment at once (a
 * person and CI) would interleave their reads and writes: each plans from a state the other is
 * changing, and both may create what neither saw. So a run that writes first records a lock on
 * each environment it will change, and a second run refuses while it is there. When a run takes
 * its locks, and why its writes are then safe, is apply-lock.ts's (`underApplyLock`).
 *
 * Mutual exclusion on top of a store that only creates, lists and removes (`LockStore`), in two
 * rounds: record ours, then list. Another holder's lock in that list makes the run remove its
 * own and refuse, unless that lock is stale (below). Never may two runs both go on: of two
 * records, the later one's list is made after the earlier one was recorded, so it shows it (a
 * record is removed only by its run when it refuses or is done, or as stale or by --break-lock),
 * and that run refuses. When they raced, both may refuse; no run waits for a lock, so the
 * environments of one run are locked concurrently without any risk of deadlock, and on any
 * refusal the ones taken are released. A run refused by a lock has written (and removed) its own
 * record meanwhile, which can make a run taking the lock at that moment refuse too: the price of
 * the round saved by not listing first.
 *
 * A lock outlives a run that was killed. It is removed without asking when it is stale: its
 * holder is certainly gone (lock-holder.ts: a process of this machine that is no longer running,
 * or an earlier attempt of this GitHub Actions run). A stale holder cannot go on, so no list is
 * needed after removing it. Any other lock refuses, naming who holds it and since when, and
 * `--break-lock` removes it. --break-lock lists first and removes only what that list shows, then
 * locks as above: a lock recorded after that list refuses as usual. It breaks whatever that list
 * shows, though — a lock taken a moment before included — so it is for a holder that is gone: two
 * runs given --break-lock at once can each break the other's lock and both go on (a run that
 * finds its own record gone after creating it refuses, which closes the case where both are still
 * taking theirs).
 *
 * An environment whose app does not exist has nothing to record a lock on: `takeLocks` leaves it
 * unlocked (an app deleted since the plan). A first apply of an environment creates the app
 * before anything else and locks it then (apply-lock.ts), so two first applies never both go on.
 */

export class LockedError extends DaffError {
  readonly environment: string;
  readonly holders: readonly LockRecord[];
  constructor(environment: string, holders: readonly LockRecord[], raced: boolean) {
    const by = holders.map(describeLock).join('; ');
    super(
      raced
        ? `Another run started applying to ${environment} at the same moment (${by}); neither goes on`
        : `${environment} is locked: another apply is running (${by})`,
      {
        hint: raced
          ? 'Run the command again in a moment.'
          : 'Wait for it to finish. If it is not running any more (killed, or its machine went away), run again with --break-lock.',
        exitCode: ExitCode.Refused,
      },
    );
    this.environment = environment;
    this.holders = holders;
  }
}

export interface LockOptions {
  /** Remove other holders' locks first (`--break-lock`). */
  readonly breakLock: boolean;
  /** Whether a process on this machine is still running; undefined when that cannot be told. */
  readonly alive?: (pid: number) => boolean;
  readonly warn: (message: string) => void;
}

/** Locks held by this run; `release` removes them all (and never throws: a leftover lock is reported). */
export interface HeldLocks {
  readonly environments: readonly string[];
  release(): Promise<void>;
}

/** What came of locking one environment: its lock's key, nothing to record one on (no app), or why not. */
export type LockAttempt =
  | { readonly environment: string; readonly outcome: 'taken'; readonly key: string }
  | { readonly environment: string; readonly outcome: 'no-app' }
  | { readonly environment: string; readonly outcome: 'failed'; readonly error: unknown };

/**
 * Takes the lock of every environment concurrently, or none: on a refusal (or any error), the
 * ones taken are released once every attempt has ended, and the first error in sorted order is
 * thrown.
 */
export async function takeLocks(
  store: LockStore,
  environments: readonly string[],
  holder: Holder,
  options: LockOptions,
): Promise<HeldLocks> {
  const attempts = await attemptLocks(store, environments, holder, options);
  const held = holdLocks(store, attempts, options.warn);
  const failure = attempts.find((attempt) => attempt.outcome === 'failed');
  if (failure !== undefined) {
    await held.release();
    throw failure.error;
  }
  return held;
}

/** Tries to lock every environment concurrently, in sorted order; never throws (a failure is an outcome). */
export async function attemptLocks(
  store: LockStore,
  environments: readonly string[],
  holder: Holder,
  options: LockOptions,
): Promise<LockAttempt[]> {
  const names = [...new Set(environments)].sort();
  const settled = await Promise.allSettled(names.map((environment) => takeOne(store, environment, holder, options)));
  return names.map((environment, i): LockAttempt => {
    const attempt = settled[i] as PromiseSettledResult<string | undefined>;
    if (attempt.status === 'rejected') return { environment, outcome: 'failed', error: attempt.reason };
    return attempt.value === undefined
      ? { environment, outcome: 'no-app' }
      : { environment, outcome: 'taken', key: attempt.value };
  });
}

/** The locks `attempts` took, as held locks (`release` removes them all). */
export function holdLocks(store: LockStore, attempts: readonly LockAttempt[], warn: (message: string) => void): HeldLocks {
  const taken = attempts.flatMap((a) => (a.outcome === 'taken' ? [{ environment: a.environment, key: a.key }] : []));
  return heldLocks(store, taken, warn);
}

function heldLocks(store: LockStore, taken: { environment: string; key: string }[], warn: (message: string) => void): HeldLocks {
  return {
    environments: taken.map((t) => t.environment),
    release: async () => {
      const removing = taken.splice(0);
      const results = await Promise.allSettled(removing.map(({ environment, key }) => store.remove(environment, key)));
      for (const [i, result] of results.entries()) {
        if (result.status === 'fulfilled') continue;
        const environment = removing[i]?.environment;
        warn(`could not remove the lock on ${environment} (${(result.reason as Error).message}); the next run may need --break-lock`);
      }
    },
  };
}

/** The key of the lock taken on `environment`; undefined when it has nothing to record one on. */
async function takeOne(store: LockStore, environment: string, holder: Holder, options: LockOptions): Promise<string | undefined> {
  if (options.breakLock) {
    const existing = await store.list(environment).catch((error: unknown) => Promise.reject(lockUnreadable(environment, error)));
    if (existing === undefined) return undefined;
    const others = existing.filter((record) => !isOwn(record, holder));
    await settleAll(others.map((record) => removeOther(store, environment, record, staleReason(record, holder, options.alive) ?? '--break-lock', options)));
  }
  let mine: LockRecord | undefined;
  try {
    mine = await store.create(environment, holderFields(holder));
  } catch (error) {
    const listed = await store.list(environment).catch(() => null);
    // The app went away since the plan: nothing to lock (the re-read under the other locks sees it).
    if (listed === undefined) return undefined;
    // A create whose answer was lost may still have been recorded: left there, it would block
    // every later run until --break-lock.
    const own = listed?.find((record) => isOwn(record, holder));
    if (own !== undefined) await removeOwn(store, environment, own.key, options);
    throw error;
  }
  // The app went away since the plan, or does not exist yet: nothing to lock.
  if (mine === undefined) return undefined;
  let after: readonly LockRecord[] | undefined;
  try {
    after = await store.list(environment);
  } catch (error) {
    await removeOwn(store, environment, mine.key, options);
    throw lockUnreadable(environment, error);
  }
  if (after !== undefined && !after.some((record) => record.key === mine.key)) {
    // Someone removed ours between our create and our list (--break-lock): they go on, we do not.
    throw new DaffError(`Another run removed this run's lock on ${environment} (--break-lock) while it was being taken; nothing was applied`, {
      hint: 'Another apply is starting; run the command again once it is done.',
      exitCode: ExitCode.Refused,
    });
  }
  const rivals = (after ?? []).filter((record) => record.key !== mine.key);
  const blocking = rivals.filter((record) => staleReason(record, holder, options.alive) === undefined);
  const stale = rivals
    .filter((record) => !blocking.includes(record))
    .map((record) => removeOther(store, environment, record, staleReason(record, holder, options.alive) as string, options));
  if (blocking.length > 0) {
    await Promise.allSettled([...stale, removeOwn(store, environment, mine.key, options)]);
    // Only the wording depends on the store's timestamps (whole seconds on Heroku): a lock recorded
    // after ours (or after --break-lock's list) is a run that lists ours and refuses too; any other
    // may be a holder that goes on.
    const holders = options.breakLock ? [] : blocking.filter((record) => !recordedAfter(record, mine));
    throw new LockedError(environment, holders.length > 0 ? holders : blocking, holders.length === 0);
  }
  try {
    await settleAll(stale);
  } catch (error) {
    await removeOwn(store, environment, mine.key, options);
    throw error;
  }
  return mine.key;
}

/** Waits for every promise, then throws the first failure, if any. */
async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const failure = (await Promise.allSettled(promises)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

async function removeOther(store: LockStore, environment: string, record: LockRecord, reason: string, options: LockOptions): Promise<void> {
  options.warn(`removing the lock on ${environment} held by ${describeLock(record)}: ${reason}`);
  await store.remove(environment, record.key);
}

/** Removes this run's record after a refusal or a failed list; a failure is reported, the refusal stands. */
async function removeOwn(store: LockStore, environment: string, key: string, options: LockOptions): Promise<void> {
  await store.remove(environment, key).catch((error: unknown) => {
    options.warn(`could not remove the lock on ${environment} (${(error as Error).message}); the next run may need --break-lock`);
  });
}

/** Whether the store recorded `record` strictly after `mine`; false when either time is unknown. */
function recordedAfter(record: LockRecord, mine: LockRecord): boolean {
  const theirs = Date.parse(record.createdAt ?? '');
  const ours = Date.parse(mine.createdAt ?? '');
  return theirs > ours;
}

/**
 * A failed read of an environment's locks: without it, this run cannot tell whether another apply
 * is running there, so it applies nothing. Says so, which app, and what to do; keeps the cause.
 */
function lockUnreadable(environment: string, error: unknown): DaffError {
  const cause = error instanceof DaffError ? describeError(error) : error instanceof Error ? error.message : String(error);
  const next = error instanceof DaffError && error.hint !== undefined ? error.hint : 'Run the same command again once the app answers (`heroku webhooks -a APP` lists its lock).';
  return new DaffError(`Could not read the apply lock of ${environment} (on its Heroku app): ${cause}`, {
    hint: `Nothing was applied: without the lock, this run cannot tell whether another apply is running there. ${next}`,
    cause: error,
  });
}
