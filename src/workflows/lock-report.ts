import type { Plan } from '../engine/types.js';
import type { LockRecord } from '../providers/provider.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import type { LockContext } from './apply-lock.js';
import type { Connection } from './connection.js';
import { describeHolder, describeLock, type Holder, staleReason } from './lock-holder.js';

/**
 * Apply locks seen by runs that take none: `plan` and `drift` report them (a plan made while an
 * apply runs may change under it; a lock left by a killed run blocks the next apply), and `apply`
 * with nothing to change clears the stale ones — its own killed run's — as taking the lock would.
 * Reading them never fails the command: a list that fails is reported like a lock.
 */

/** A lock found on an environment, and why it is stale (lock-holder.ts) when it is. */
export interface FoundLock {
  readonly environment: string;
  readonly record: LockRecord;
  readonly stale: string | undefined;
}

export interface LockSurvey {
  readonly found: readonly FoundLock[];
  /** Environments whose locks could not be read, with why. */
  readonly unread: readonly { readonly environment: string; readonly reason: string }[];
}

/**
 * The plan, and the locks on the environments it reads whose app exists (the plan does not create
 * it), sorted by environment then time; `me` judges which are stale. No lock store: nothing found.
 * The locks are read alongside the plan, which needs nothing of them: a plan that fails fails the
 * survey, once its requests are answered.
 */
export async function surveyLocks(
  connection: Connection,
  planned: Promise<Plan>,
  environments: readonly string[],
  me: Holder,
  context: LockContext,
): Promise<{ readonly plan: Plan; readonly survey: LockSurvey }> {
  const store = connection.providers.get('heroku')?.locks;
  const names = [...new Set(environments)].sort();
  const lists = Promise.allSettled(
    store === undefined ? [] : names.map((environment) => store.survey(environment, planned)),
  );
  const [listed] = await Promise.all([lists, planned.catch(() => undefined)]);
  const plan = await planned;
  const creates = (environment: string) =>
    plan.changes.some((c) => c.scope === environment && c.kind === 'heroku.app' && c.action === 'create');
  const found: FoundLock[] = [];
  const unread: { environment: string; reason: string }[] = [];
  for (const [i, environment] of names.entries()) {
    const list = listed[i];
    if (list === undefined || creates(environment)) continue;
    if (list.status === 'rejected') unread.push({ environment, reason: (list.reason as Error).message });
    else
      for (const record of sortedByTime(list.value ?? []))
        found.push({ environment, record, stale: staleReason(record, me, context.alive) });
  }
  return { plan, survey: { found, unread } };
}

function sortedByTime(records: readonly LockRecord[]): LockRecord[] {
  const time = (r: LockRecord) => r.createdAt ?? r.holder['since'] ?? '';
  return [...records].sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0));
}

/**
 * `plan` and `drift`: the plan, with each lock found as a warning that says who, since when and
 * what to do. The locks are read alongside the plan (`surveyLocks`).
 */
export async function withLockWarnings(
  connection: Connection,
  planned: Promise<Plan>,
  environments: readonly string[],
  context: LockContext,
): Promise<Plan> {
  const me = describeHolder({ ...context, now: context.now() });
  const { plan, survey } = await surveyLocks(connection, planned, environments, me, context);
  const warnings = lockWarnings(survey);
  return warnings.length === 0 ? plan : { ...plan, diagnostics: [...plan.diagnostics, ...warnings] };
}

function lockWarnings(survey: LockSurvey): Diagnostic[] {
  return [
    ...survey.found.map(
      ({ environment, record, stale }): Diagnostic => ({
        severity: 'warning',
        message: `${environment} is locked by an apply: ${describeLock(record)}${stale === undefined ? '' : ` (stale: ${stale})`}`,
        hint:
          stale === undefined
            ? `while it runs, live state may change under this plan; if that run is gone (killed, or its machine went away), \`daffeinated apply ${environment} --break-lock\` removes the lock`
            : `the next \`daffeinated apply ${environment}\` from here removes it`,
      }),
    ),
    ...survey.unread.map(
      ({ environment, reason }): Diagnostic => ({
        severity: 'warning',
        message: `could not read the apply locks of ${environment} (${reason})`,
      }),
    ),
  ];
}

/**
 * `apply` with nothing to change takes no lock, so it clears here what taking one would: stale
 * locks (a killed run of this machine or an earlier attempt of this CI run), and with
 * `--break-lock` any other. Each removal is a warning; a lock left in place is reported as one.
 */
export async function clearLocks(
  connection: Connection,
  plan: Plan,
  environments: readonly string[],
  options: { readonly breakLock: boolean; readonly lock: LockContext },
): Promise<void> {
  const { lock } = options;
  const store = connection.providers.get('heroku')?.locks;
  if (store === undefined) return;
  const me = describeHolder({ ...lock, now: lock.now() });
  const { survey } = await surveyLocks(connection, Promise.resolve(plan), environments, me, lock);
  for (const { environment, reason } of survey.unread)
    lock.warn(`could not read the apply locks of ${environment} (${reason})`);
  await Promise.all(
    survey.found.map(async ({ environment, record, stale }) => {
      const reason = stale ?? (options.breakLock ? '--break-lock' : undefined);
      if (reason === undefined) {
        lock.warn(
          `${environment} is locked by an apply: ${describeLock(record)}; if that run is gone, \`daffeinated apply ${environment} --break-lock\` removes the lock`,
        );
        return;
      }
      lock.warn(`removing the lock on ${environment} held by ${describeLock(record)}: ${reason}`);
      await store.remove(environment, record.key).catch((error: unknown) => {
        lock.warn(
          `could not remove the lock on ${environment} (${(error as Error).message}); the next run may need --break-lock`,
        );
      });
    }),
  );
}
