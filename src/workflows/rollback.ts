import type { EnvironmentConfig } from '../model/config.js';
import type { ReleaseStatus } from '../providers/provider.js';
import { DaffError, NotFoundError, UsageError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { type HealthVerdict, healthCheckEnvironment } from './health.js';
import { rollBack } from './promote.js';
import { targetHistory } from './promote-facts.js';
import type { Progress, Timing } from './progress.js';

/** How many of the app's newest releases a rollback looks among (and names when `--to` matches none). */
const HISTORY = 50;

/** What a rollback would do, read before anything changes. */
export interface RollbackExamined {
  readonly environment: EnvironmentConfig;
  readonly current: ReleaseStatus;
  readonly target: ReleaseStatus;
  readonly currentCommit: string | null;
  readonly targetCommit: string | null;
  /** Config var names the rollback would remove (current has, target lacks) and bring back (target has, current lacks), sorted. */
  readonly keys: { readonly removed: readonly string[]; readonly restored: readonly string[] };
}

/**
 * Reads the app's newest releases and picks the release to roll back to: version `to`, or the
 * previous good release (the newest succeeded release older than the current one that runs other
 * code, as promote's rollback point). Then, concurrently, the config var names of the current
 * app and of that release, and both slugs' commits. Usage errors (exit 1, nothing written) name
 * what can be chosen: a version that does not exist, is the current one, or did not succeed.
 */
export async function examineRollback(
  connection: Connection,
  environment: EnvironmentConfig,
  to: number | undefined,
): Promise<RollbackExamined> {
  const { delivery } = connection;
  const app = environment.app;
  let releases: ReleaseStatus[];
  try {
    releases = await delivery.releases(app, HISTORY);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new DaffError(`There is nothing to roll back: the app ${app} of ${environment.name} does not exist`, {
      hint: `Create and deploy it first: daffeinated deploy ${environment.name}.`,
    });
  }
  const current = releases.find((r) => r.current);
  if (current === undefined)
    throw new DaffError(`${app} has no current release to roll back from`, {
      hint: `Deploy ${environment.name} first.`,
    });
  const eligible = releases.filter((r) => r.status === 'succeeded' && r.slugId !== null && r.version < current.version);
  const valid =
    eligible
      .slice(0, 10)
      .map((r) => `v${r.version}`)
      .join(', ') || 'none';
  let target: ReleaseStatus | undefined;
  if (to === undefined) {
    target = targetHistory(releases, current.slugId).rollbackPoint;
    if (target === undefined) {
      throw new DaffError(
        `${app} has no earlier succeeded release that runs other code than v${current.version} (among its ${releases.length} newest)`,
        {
          hint: 'Pass --to vN to roll back to a release of the same code (its config vars), or deploy a fix.',
        },
      );
    }
  } else {
    target = releases.find((r) => r.version === to) ?? (await releaseByVersion(connection, app, to));
    if (
      target === undefined ||
      target.version === current.version ||
      target.status !== 'succeeded' ||
      target.slugId === null
    ) {
      const why =
        target === undefined
          ? 'has no release'
          : target.version === current.version
            ? 'already runs'
            : target.slugId === null
              ? 'has no code in'
              : `did not succeed with`;
      throw new UsageError(`${app} ${why} v${to}: nothing to roll back to`, {
        hint: `Releases of ${app} to roll back to (newest first): ${valid}.`,
      });
    }
  }
  const chosen = target;
  const [currentKeys, targetKeys, currentCommit, targetCommit] = await Promise.all([
    delivery.configKeys(app),
    delivery.releaseConfigKeys(app, chosen.id),
    commitOf(connection, app, current),
    commitOf(connection, app, chosen),
  ]);
  return {
    environment,
    current,
    target: chosen,
    currentCommit,
    targetCommit,
    keys: {
      removed: currentKeys.filter((k) => !targetKeys.includes(k)),
      restored: targetKeys.filter((k) => !currentKeys.includes(k)),
    },
  };
}

/** A release older than the history read, by version; undefined when the app has none. */
async function releaseByVersion(
  connection: Connection,
  app: string,
  version: number,
): Promise<ReleaseStatus | undefined> {
  try {
    return await connection.delivery.release(app, String(version));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

async function commitOf(connection: Connection, app: string, release: ReleaseStatus): Promise<string | null> {
  return release.slugId === null ? null : (await connection.delivery.slug(app, release.slugId)).commit;
}

export type RollbackResult =
  | { readonly kind: 'rolled-back'; readonly release: ReleaseStatus; readonly verdict: HealthVerdict }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Heroku's rollback to the examined target (a new release with its slug and config vars), waited
 * for and verified — the new current release runs the target's slug — then health checked.
 */
export async function carryOutRollback(
  connection: Connection,
  examined: RollbackExamined,
  progress: Progress,
  timing: Timing,
): Promise<RollbackResult> {
  const { environment, target } = examined;
  const step = progress.step(`Rolling ${environment.app} back to v${target.version}`);
  const outcome = await rollBack(connection.delivery, environment.app, target, progress, timing);
  if (!outcome.ok) {
    step.fail(outcome.reason);
    return { kind: 'failed', reason: outcome.reason };
  }
  step.done(`${environment.app} rolled back to v${target.version} as v${outcome.release.version}`);
  const verdict = await healthCheckEnvironment(connection, environment, progress, timing);
  return { kind: 'rolled-back', release: outcome.release, verdict };
}
