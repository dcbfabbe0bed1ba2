import { randomBytes } from 'node:crypto';
import type { LockRecord } from '../providers/provider.js';

/**
 * Who holds an apply lock (workflows/lock.ts), as recorded in it, and when a lock is stale: its
 * holder is certainly not running any more, so it may be removed without asking anyone.
 *
 * Stale means one of two facts this run can check for itself, never a guess from a lock's age
 * (an apply may rightly run for half an hour while a database provisions):
 * - its holder ran in this process namespace (the same `host`, and the same `machine` when both
 *   records have one) and that process is gone. `machine` tells apart containers that share a
 *   host name but not their process ids: without it, a pid free in one container would pass for
 *   a dead holder of another. A record without one (older versions) is judged by `host` alone,
 *   as those versions did.
 * - it was recorded by an earlier attempt of this very GitHub Actions workflow run: GitHub re-runs
 *   a run's jobs only once all of them have ended, so that attempt is over. Jobs of the same
 *   attempt (a matrix) are never stale to each other.
 * Any other lock may belong to a run that is still going: it is reported, and `--break-lock` is
 * the person's decision.
 */

/** Who is applying, as recorded in the lock (never secrets: it is readable by the app's collaborators). */
export interface Holder {
  /** A person (`USER`) or a CI job (`GitHub Actions owner/repo run 123`). */
  readonly who: string;
  readonly host: string;
  readonly pid: number | undefined;
  /** This process namespace on this boot (see `HolderFacts.machine`); undefined when unknown. */
  readonly machine: string | undefined;
  /** The GitHub Actions run (`owner/repo/123`) and its attempt, under GitHub Actions. */
  readonly run: { readonly id: string; readonly attempt: number } | undefined;
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
  /** An opaque name of this boot's process namespace: equal only where pids mean the same processes. */
  readonly machine?: string | undefined;
  readonly now: Date;
}

export function describeHolder(facts: HolderFacts): Holder {
  const { env } = facts;
  const actions = env['GITHUB_ACTIONS'] === 'true';
  const who = actions
    ? `GitHub Actions ${env['GITHUB_REPOSITORY'] ?? ''} run ${env['GITHUB_RUN_ID'] ?? '?'}`.replace(/\s+/g, ' ')
    : env['CI']
      ? `CI job on ${facts.host}`
      : (env['USER'] ?? env['USERNAME'] ?? env['LOGNAME'] ?? 'someone');
  const runId = env['GITHUB_RUN_ID'];
  const attempt = Number(env['GITHUB_RUN_ATTEMPT'] ?? '1');
  const run =
    actions && runId !== undefined && runId !== '' && Number.isInteger(attempt)
      ? { id: `${env['GITHUB_REPOSITORY'] ?? ''}/${runId}`, attempt }
      : undefined;
  return {
    who,
    host: facts.host,
    pid: facts.pid,
    machine: facts.machine,
    run,
    since: facts.now.toISOString(),
    id: randomBytes(6).toString('hex'),
  };
}

/** The fields a lock records about its holder. */
export function holderFields(holder: Holder): Record<string, string> {
  return {
    who: holder.who,
    host: holder.host,
    since: holder.since,
    id: holder.id,
    ...(holder.pid === undefined ? {} : { pid: String(holder.pid) }),
    ...(holder.machine === undefined ? {} : { machine: holder.machine }),
    ...(holder.run === undefined ? {} : { run: holder.run.id, attempt: String(holder.run.attempt) }),
  };
}

/** A lock in words: `alice on laptop (pid 4242) since 2026-11-22T12:00:00Z`. */
export function describeLock(record: LockRecord): string {
  const { who = 'an unknown holder', host, pid, since } = record.holder;
  const where = host === undefined ? '' : ` on ${host}${pid === undefined ? '' : ` (pid ${pid})`}`;
  return `${who}${where} since ${record.createdAt ?? since ?? 'an unknown time'}`;
}

/** Whether `record` is one this very run made (a record of its own is never another holder's). */
export function isOwn(record: LockRecord, me: Holder): boolean {
  return record.holder['id'] === me.id;
}

/**
 * Why a lock is stale (see the module comment), in words for a warning; undefined when it may be
 * held. `alive` tells whether a process of this machine runs; undefined when that cannot be told.
 */
export function staleReason(
  record: LockRecord,
  me: Holder,
  alive: ((pid: number) => boolean) | undefined,
): string | undefined {
  const { holder } = record;
  if (me.run !== undefined && holder['run'] === me.run.id && Number(holder['attempt']) < me.run.attempt)
    return `it was taken by attempt ${holder['attempt']} of this workflow run, which has ended`;
  const pid = Number(holder['pid']);
  if (holder['host'] !== me.host || !Number.isInteger(pid) || alive === undefined) return undefined;
  if (holder['machine'] !== undefined && holder['machine'] !== me.machine) return undefined;
  return alive(pid) ? undefined : `its process (pid ${pid}) on this machine is no longer running`;
}
