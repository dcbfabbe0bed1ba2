import { randomBytes } from 'node:crypto';
import type { LockRecord, LockStore } from '../providers/provider.js';
import { DaffError, ExitCode } from '../runtime/errors.js';

/**
 * One apply at a time per environment. Two runs applying to the same environment at once (a
 * person and CI) would interleave their reads and writes: each plans from a state the other is
 * changing, and both may create what neither saw. So a run that writes first records a lock on
 * each environment it will change, and a second run refuses while it is there.
 *
 * Mutual exclusion on top of a store that only creates, lists and removes (`LockStore`): take =
 * refuse if another holder's lock is listed; record ours; list again — ours must be the only one,
 * else ours is removed and the run refuses (both contenders may refuse when they raced exactly;
 * never may both go on: the later of two records is always listed together with the earlier one).
 *
 * A lock outlives a run that was killed. It is removed as stale without asking when its holder
 * ran on this machine and that process is gone; otherwise the refusal names who holds it and
 * since when, and `--break-lock` removes it. Environments whose app does not exist yet have
 * nothing to record a lock on and are not locked (their first creation is not guarded).
 */

/** Who is applying, as recorded in the lock (never secrets: it is readable by the app's collaborators). */
export interface Holder {
  /** A person (`USER`) or a CI job (`GitHub Actions owner/repo run 123`). */
  readonly who: string;
  readonly host: string;
  readonly pid: number | undefined;
  /** ISO 8601, from the holder's clock. */
  readonly since: string;
  /** Random: tells this run's lock apart from another run by the same holder. */
  readonly id: string;
}

/** The facts a holder is described from; commands take them from their Io. */
export interface HolderFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly host: string;
  readonly pid: number | undefined;
  readonly now: Date;
}

export function describeHolder(facts: HolderFacts): Holder {
  const { env } = facts;
  const who =
    env['GITHUB_ACTIONS'] === 'true'
      ? `GitHub Actions ${env['GITHUB_REPOSITORY'] ?? ''} run ${env['GITHUB_RUN_ID'] ?? '?'}`.replace(/\s+/g, ' ')
      : env['CI']
        ? `CI job on ${facts.host}`
        : (env['USER'] ?? env['USERNAME'] ?? env['LOGNAME'] ?? 'someone');
  return { who, host: facts.host, pid: facts.pid, since: facts.now.toISOString(), id: randomBytes(6).toString('hex') };
}

function fields(holder: Holder): Record<string, string> {
  return {
    who: holder.who,
    host: holder.host,
    since: holder.since,
    id: holder.id,
    ...(holder.pid === undefined ? {} : { pid: String(holder.pid) }),
  };
}

/** A lock someone else holds, in words: `alice on laptop (pid 4242) since 2026-11-22T12:00:00Z`. */
export function describeLock(record: LockRecord): string {
  const { who = 'an unknown holder', host, pid, since } = record.holder;
  const where = host === undefined ? '' : ` on ${host}${pid === undefined ? '' : ` (pid ${pid})`}`;
  return `${who}${where} since ${record.createdAt ?? since ?? 'an unknown time'}`;
}

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

/** Takes the lock of each environment (in sorted order), or none: on a refusal, the ones taken are released. */
export async function takeLocks(
  store: LockStore,
  environments: readonly string[],
  holder: Holder,
  options: LockOptions,
): Promise<HeldLocks> {
  const taken: { environment: string; key: string }[] = [];
  const release = async () => {
    for (const { environment, key } of taken.splice(0).reverse()) {
      await store.remove(environment, key).catch((error: unknown) => {
        options.warn(`could not remove the lock on ${environment} (${(error as Error).message}); the next run may need --break-lock`);
      });
    }
  };
  try {
    for (const environment of [...new Set(environments)].sort()) {
      const key = await takeOne(store, environment, holder, options);
      if (key !== undefined) taken.push({ environment, key });
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { environments: taken.map((t) => t.environment), release };
}

async function takeOne(store: LockStore, environment: string, holder: Holder, options: LockOptions): Promise<string | undefined> {
  const existing = await store.list(environment);
  if (existing === undefined) return undefined;
  const others = existing.filter((record) => record.holder['id'] !== holder.id);
  const blocking: LockRecord[] = [];
  for (const record of others) {
    const stale = staleReason(record, holder, options);
    if (stale === undefined && !options.breakLock) {
      blocking.push(record);
      continue;
    }
    options.warn(`removing the lock on ${environment} held by ${describeLock(record)}: ${stale ?? '--break-lock'}`);
    await store.remove(environment, record.key);
  }
  if (blocking.length > 0) throw new LockedError(environment, blocking, false);
  const mine = await store.create(environment, fields(holder));
  const after = (await store.list(environment)) ?? [mine];
  const rivals = after.filter((record) => record.key !== mine.key);
  if (rivals.length > 0) {
    await store.remove(environment, mine.key);
    throw new LockedError(environment, rivals, true);
  }
  return mine.key;
}

/** Why a lock is stale without asking: its holder ran on this machine, and that process is gone. */
function staleReason(record: LockRecord, me: Holder, options: LockOptions): string | undefined {
  const pid = Number(record.holder['pid']);
  if (record.holder['host'] !== me.host || !Number.isInteger(pid) || options.alive === undefined) return undefined;
  return options.alive(pid) ? undefined : `its process (pid ${pid}) on this machine is no longer running`;
}
