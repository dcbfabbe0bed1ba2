import { hostname } from 'node:os';
import type { Plan } from '../engine/types.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { describeHolder, type HeldLocks, takeLocks } from '../workflows/lock.js';
import type { Connection } from './connect.js';
import { type Prepared, planNow } from './context.js';

/**
 * Runs `apply` holding the apply lock (workflows/lock.ts) of every environment `shown` changes.
 * The lock is taken after the plan was shown and confirmed — so a refused, declined or empty
 * apply writes nothing, not even a lock — and the plan is then read again under the lock: when
 * live state moved meanwhile (another run finished, someone changed something), nothing is
 * applied and the run refuses, so no one applies a plan they did not see. Environments with
 * nothing to record a lock on yet (their app does not exist) are not locked; when none is, the
 * shown plan is applied as is. The locks are released however `apply` ends.
 */
export async function underApplyLock<T>(
  io: Io,
  connection: Connection,
  prepared: Prepared,
  shown: Plan,
  breakLock: boolean,
  apply: (plan: Plan) => Promise<T>,
): Promise<T> {
  const changed = prepared.environments.filter((environment) => shown.changes.some((c) => c.scope === environment));
  const locks = await lockEnvironments(io, connection, changed, { breakLock });
  try {
    const plan = locks.environments.length === 0 ? shown : await planNow(connection, prepared);
    if (plan.digests.live !== shown.digests.live) {
      throw new DaffError('Live state changed after the plan was made (another run, or a change by hand); nothing was applied', {
        hint: 'Run the same command again to see, and confirm, the plan as it is now.',
        exitCode: ExitCode.Refused,
      });
    }
    return await apply(plan);
  } finally {
    await locks.release();
  }
}

/** Takes the apply lock of each environment for the run of `io`, through the Heroku provider's lock store. */
export async function lockEnvironments(
  io: Io,
  connection: Connection,
  environments: readonly string[],
  options: { readonly breakLock: boolean },
): Promise<HeldLocks> {
  const store = connection.providers.get('heroku')?.locks;
  if (store === undefined || environments.length === 0) return { environments: [], release: async () => {} };
  const holder = describeHolder({ env: io.env, host: io.host ?? hostname(), pid: io.pid, now: io.now() });
  return takeLocks(store, environments, holder, {
    breakLock: options.breakLock,
    ...(io.processAlive === undefined ? {} : { alive: io.processAlive }),
    warn: (message) => io.stderr(`warning: ${message}\n`),
  });
}
