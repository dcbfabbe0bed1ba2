import type { Change, Plan } from '../engine/types.js';
import { canonicalJson } from '../model/value.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { describeHolder, type HeldLocks, type HolderFacts, takeLocks } from './lock.js';
import { planNow } from './plan.js';
import { narrowed, type Prepared } from './prepare.js';

/** What taking a lock needs from the surroundings: who is applying, a clock, and how to warn. */
export interface LockContext extends Omit<HolderFacts, 'now'> {
  /** Read when the lock is taken: the lock says since when it is held. */
  readonly now: () => Date;
  /** Whether a process on this machine is still running; undefined when that cannot be told. */
  readonly alive?: (pid: number) => boolean;
  readonly warn: (message: string) => void;
}

/**
 * Runs `apply` holding the apply lock (workflows/lock.ts) of every environment `shown` changes.
 * The lock is taken after the plan was shown and confirmed — so a refused, declined or empty
 * apply writes nothing, not even a lock — and what the plan changes is then read again under the
 * lock: when it moved meanwhile (another run finished, someone changed something), nothing is
 * applied and the run refuses, so no one applies a plan they did not see. Environments with
 * nothing to record a lock on yet (their app does not exist) are not locked; when none is, the
 * shown plan is applied as is. The locks are released however `apply` ends.
 *
 * The re-read covers only the changed environments, planned as `apply` of just those would plan
 * them (`narrowed`; the pipeline then goes with the full plan's first environment whenever it
 * itself changes, and otherwise is read in a changed environment so that its couplings'
 * references resolve); zones are listed whole whatever is planned, so a DNS record's change sees
 * the same zone. What is compared is the changes themselves, each with its live side
 * (`sameChanges`): live movement that leaves them all as shown (another environment, an unrelated
 * record) does not refuse, as what is applied is still exactly what was confirmed. The applied
 * changes are the re-read's, for the provider ids (never compared) they carry.
 *
 * The re-read starts only once the lock's verifying list has answered, never alongside it: a run
 * that held the lock when ours was recorded may finish writing and release between a concurrent
 * read and that list, which would then show nothing while the read saw half of its writes.
 */
export async function underApplyLock<T>(
  connection: Connection,
  prepared: Prepared,
  shown: Plan,
  options: { readonly breakLock: boolean; readonly lock: LockContext },
  apply: (plan: Plan) => Promise<T>,
): Promise<T> {
  const changed = prepared.environments.filter((environment) => shown.changes.some((c) => c.scope === environment));
  const creating = new Set(
    shown.changes.filter((c) => c.kind === 'heroku.app' && c.action === 'create').map((c) => c.scope),
  );
  const locks = await lockEnvironments(
    connection,
    changed,
    { breakLock: options.breakLock, likelyAbsent: creating },
    options.lock,
  );
  try {
    if (locks.environments.length === 0) return await apply(shown);
    const now = await planNow(connection, narrowed(prepared, changed, options.lock.env));
    if (!sameChanges(shown.changes, now.changes)) {
      throw new DaffError(
        'Live state changed after the plan was made (another run, or a change by hand); nothing was applied',
        {
          hint: 'Run the same command again to see, and confirm, the plan as it is now.',
          exitCode: ExitCode.Refused,
        },
      );
    }
    const byAddress = new Map(now.changes.map((c) => [c.address, c]));
    return await apply({ ...shown, changes: shown.changes.map((c) => byAddress.get(c.address) as Change) });
  } finally {
    await locks.release();
  }
}

/** Takes the apply lock of each environment for the run `context` describes, through the Heroku provider's lock store. */
async function lockEnvironments(
  connection: Connection,
  environments: readonly string[],
  options: { readonly breakLock: boolean; readonly likelyAbsent?: ReadonlySet<string> },
  context: LockContext,
): Promise<HeldLocks> {
  const store = connection.providers.get('heroku')?.locks;
  if (store === undefined || environments.length === 0) return { environments: [], release: async () => {} };
  const holder = describeHolder({ ...context, now: context.now() });
  return takeLocks(store, environments, holder, {
    breakLock: options.breakLock,
    ...(context.alive === undefined ? {} : { alive: context.alive }),
    ...(options.likelyAbsent === undefined ? {} : { likelyAbsent: options.likelyAbsent }),
    warn: context.warn,
  });
}

/**
 * The same changes, each with the same action, diffs and desired and live sides (provider ids
 * aside: a thing replaced by an identical one meanwhile is the same to a plan), in any order.
 */
export function sameChanges(shown: readonly Change[], fresh: readonly Change[]): boolean {
  if (shown.length !== fresh.length) return false;
  const forms = new Map(fresh.map((c) => [c.address, comparable(c)]));
  return forms.size === fresh.length && shown.every((c) => forms.get(c.address) === comparable(c));
}

function comparable(change: Change): string {
  const { liveId: _before, ...before } = 'before' in change ? change.before : { liveId: undefined };
  const { liveId: _after, ...after } = 'after' in change ? change.after : { liveId: undefined };
  return canonicalJson({ ...change, before, after });
}
