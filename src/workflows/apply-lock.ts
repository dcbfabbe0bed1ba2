import type { Change, Plan } from '../engine/types.js';
import type { Address, Resource } from '../model/resource.js';
import { canonicalJson, type Value } from '../model/value.js';
import type { Reporter } from '../providers/provider.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import { applyPlan } from './apply.js';
import type { Connection } from './connection.js';
import { type HeldLocks, type LockOptions, takeLocks } from './lock.js';
import { describeHolder, type Holder, type HolderFacts } from './lock-holder.js';
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
 * Runs `apply` holding the apply lock (workflows/lock.ts) of every environment `shown` changes,
 * and what the plan changes is read again under the lock: when it moved since the plan was read
 * (another run finished, someone changed something), nothing is applied and the run refuses, so
 * no one applies a plan they did not see. The locks are released however `apply` ends.
 *
 * When the lock is taken. A run that asks a person (no `--yes`) locks only once they have said
 * yes — so a refused, declined or empty apply writes nothing, not even a lock, and no one holds a
 * lock while reading a plan at a terminal. A run with `--yes` tries the lock of every environment
 * it reads alongside the plan's read (early-locks.ts `lockAlongsidePlan`: the create and the
 * verifying list overlap the read's two rounds), keeps the locks of the environments the plan
 * changes (`keepLocksFor`; the others are released meanwhile) and locks here only the changed
 * environments those attempts found no app for (an app the plan creates, or one created since).
 * That takes the lock's two rounds off the path of an apply; it costs a create, a list and a
 * remove on every environment read, also when the plan turns out empty or is refused.
 *
 * Why that is as safe as locking after the plan:
 * - Two runs never both write to an environment. That is the lock's own guarantee (lock.ts: of
 *   two runs that record a lock, the later one's list shows the earlier's and it refuses), and it
 *   does not depend on when the lock is taken; nothing here writes to an environment before its
 *   lock was verified, except a new app created alone (below).
 * - What is applied was read under the lock. The plan's read, alongside the lock, is not: a run
 *   that held the lock when ours was recorded may still be writing while our plan reads, and
 *   release before our verifying list, which then shows nothing. So the plan is only what was
 *   shown; the re-read below, started once every lock it relies on was verified, is what gets
 *   compared and applied. It sees everything an earlier holder wrote (all of it before that
 *   holder's release, before our list), and no other run writes until we release. For the same
 *   reason the re-read never starts alongside a lock's verifying list.
 * - A run killed at any point leaves at most its lock records (stale once its process is gone, as
 *   before), and whatever it applied is read by the next run's plan: a re-run converges.
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
 * A new environment (the plan creates its app) has nothing to record a lock on, and two first
 * applies of it at once would each create its add-ons. So its app is created first, alone (Heroku
 * app names are unique: of two runs, one creates it and the other adopts it, providers/heroku/
 * apply-app.ts), and then locked with the others: of two such runs one goes on and the other
 * refuses, before either writes anything else. The one that goes on re-reads as above, but its
 * app is no longer absent: the re-read of the app's parts (its environment's Heroku changes) may
 * differ from the plan shown only as a new, empty app differs from none (`sameFromNothing`: the same changes, with the same desired sides, where a
 * create may have become an update from nothing — empty config vars, no buildpacks, ACM off).
 * Anything more was written by another run meanwhile (it took the lock first and finished, or was
 * killed): this run refuses, having created only the app; a re-run plans from what is there.
 *
 * `held`: the locks taken alongside the plan that `keepLocksFor` kept; released here with the rest.
 */
export async function underApplyLock<T>(
  connection: Connection,
  prepared: Prepared,
  shown: Plan,
  options: {
    readonly breakLock: boolean;
    readonly lock: LockContext;
    readonly reporter: Reporter;
    readonly held?: HeldLocks;
  },
  apply: (plan: Plan, appliedBefore: readonly Address[], changed: readonly string[]) => Promise<T>,
): Promise<T> {
  const changed = changedEnvironments(prepared, shown);
  const held = options.held ?? NO_LOCKS;
  const appCreates = shown.changes.filter(
    (c) => c.kind === 'heroku.app' && c.action === 'create' && changed.includes(c.scope),
  );
  const created = new Set(appCreates.map((c) => c.scope));
  let locks = held;
  try {
    const before =
      appCreates.length === 0
        ? []
        : (await applyPlan({ ...shown, changes: appCreates }, connection.providers, options.reporter)).applied;
    const late = changed.filter((environment) => !held.environments.includes(environment));
    locks = bothLocks(held, await lockEnvironments(connection, late, options.breakLock, options.lock));
    if (locks.environments.length === 0 && created.size === 0) return await apply(shown, [], changed);
    const now = await planNow(connection, narrowed(prepared, changed, options.lock.env));
    // The new apps' own parts; anything else in their environments (a zone's records) was there before.
    const isNew = (c: Change) => c.provider === 'heroku' && created.has(c.scope);
    const existing = sameChanges(
      shown.changes.filter((c) => !isNew(c)),
      now.changes.filter((c) => !isNew(c)),
    );
    const fresh = sameFromNothing(shown.changes.filter(isNew), now.changes.filter(isNew));
    if (!existing || !fresh) {
      const apps =
        before.length === 0 ? '' : `; only the app of ${[...created].sort().join(', ')} was created (to lock it)`;
      throw new DaffError(
        `Live state changed after the plan was made (another run, or a change by hand); nothing was applied${apps}`,
        {
          hint: 'Run the same command again to see, and confirm, the plan as it is now.',
          exitCode: ExitCode.Refused,
        },
      );
    }
    const byAddress = new Map(now.changes.map((c) => [c.address, c]));
    // In the order shown; a new app's part the re-read no longer shows is done already.
    const rest = shown.changes.filter((c) => byAddress.has(c.address));
    return await apply({ ...shown, changes: rest.map((c) => byAddress.get(c.address) as Change) }, before, changed);
  } finally {
    await locks.release();
  }
}

/** The environments of `prepared` that `shown` changes, in `prepared`'s order. */
export function changedEnvironments(prepared: Prepared, shown: Plan): string[] {
  return prepared.environments.filter((environment) => shown.changes.some((c) => c.scope === environment));
}

export const NO_LOCKS: HeldLocks = { environments: [], release: async () => {} };

/** Takes the apply lock of each environment for the run `context` describes, through the Heroku provider's lock store. */
async function lockEnvironments(
  connection: Connection,
  environments: readonly string[],
  breakLock: boolean,
  context: LockContext,
): Promise<HeldLocks> {
  const store = connection.providers.get('heroku')?.locks;
  if (store === undefined || environments.length === 0) return NO_LOCKS;
  return takeLocks(store, environments, holderOf(context), lockOptions(breakLock, context));
}

export function holderOf(context: LockContext): Holder {
  return describeHolder({ ...context, now: context.now() });
}

export function lockOptions(breakLock: boolean, context: LockContext): LockOptions {
  return { breakLock, ...(context.alive === undefined ? {} : { alive: context.alive }), warn: context.warn };
}

function bothLocks(first: HeldLocks, second: HeldLocks): HeldLocks {
  if (second.environments.length === 0) return first;
  return {
    environments: [...first.environments, ...second.environments],
    release: async () => {
      await Promise.all([first.release(), second.release()]);
    },
  };
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

/**
 * The changes of a new environment re-read once its app exists: the same addresses (the app's
 * own change may be gone, its creation done, and so may a create of nothing but empty values),
 * each with the same desired side, each a create or an update whose every live value was nothing
 * (absent, empty, or off).
 */
export function sameFromNothing(shown: readonly Change[], fresh: readonly Change[]): boolean {
  const expected = new Map(shown.map((c) => [c.address, c]));
  // Gone from the re-read may be the app's own change (created as shown, ACM and maintenance
  // included) and what a new app already is (no config vars, no buildpacks).
  const done = (c: Change) => c.kind === 'heroku.app' || (c.action === 'create' && Object.values(c.after.attributes).every(isNothing));
  if (shown.some((c) => !done(c) && !fresh.some((f) => f.address === c.address))) return false;
  return fresh.every((c) => {
    const was = expected.get(c.address);
    if (was === undefined || was.action === 'delete' || c.action === 'delete' || c.action === 'replace') return false;
    const fromNothing = c.action === 'create' || c.diffs.every((d) => isNothing(d.before));
    return fromNothing && desiredSide(was.after) === desiredSide(c.after);
  });
}

/** Absent, null, off, or empty (a string, a list, a map). */
function isNothing(value: Value | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function desiredSide(resource: Resource): string {
  const { liveId: _, ...attributes } = resource;
  return canonicalJson(attributes);
}
