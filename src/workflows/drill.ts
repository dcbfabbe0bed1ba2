import type { DrillHealth, DrillReport, DrillStep } from '../model/drill.js';
import { DaffError, InternalError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { applyDeferred, type ConvergeHooks, converge } from './converge.js';
import { awaitRelease } from './deploy.js';
import { type DrillExamined, deriveOrRefuse, sizeFrom } from './drill-examine.js';
import { drillHealth, interrupted, interruptible, settled, transferProgress, untilStopped } from './drill-support.js';
import { examineDrillApp, tearDownDrill } from './drill-teardown.js';
import type { Progress, Timing } from './progress.js';

export interface DrillRun {
  /** Converging the drill environment: consent was asked before the drill started, so it is given. */
  readonly hooks: ConvergeHooks;
  readonly progress: Progress;
  readonly timing: Timing;
  /** Wall-clock time, for the recovery point. */
  readonly now: () => Date;
  /** Aborted on SIGINT/SIGTERM: the drill stops where it is, then tears down. */
  readonly stop: AbortSignal;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the recovery plan against a throwaway copy of ENV (`examined`): removes an earlier drill's
 * leftover, captures a backup when asked, creates the drill environment through the apply engine
 * (RTO starts here), restores the backup into its database, releases ENV's current slug on it
 * (formation that waited for the release applied), health checks it on its own web URL (RTO ends
 * at the answer). Whatever happens — a failure, an interruption — the drill environment is torn
 * down before this returns or throws; when the teardown itself fails, the error says so and how
 * to finish it (a re-run removes the leftover first).
 */
export async function runDrill(connection: Connection, examined: DrillExamined, run: DrillRun): Promise<DrillReport> {
  const { progress } = run;
  const timing = interruptible(run.timing, run.stop);
  const steps: { step: DrillStep; ms: number }[] = [];
  const timed = async <T>(step: DrillStep, fn: () => Promise<T>): Promise<T> => {
    // Interrupted work stops at the next step at the latest (a step's own waits stop it sooner).
    if (run.stop.aborted && step !== 'teardown') throw interrupted();
    const started = run.timing.now();
    try {
      return await fn();
    } finally {
      steps.push({ step, ms: Math.round(run.timing.now() - started) });
    }
  };
  const startedAt = run.now();
  let prepared = examined.prepared;
  let derivation = examined.derivation;
  let leftoverRemoved: readonly string[] = [];
  const work = (async () => {
    if (examined.leftover.kind !== 'absent') {
      progress.info(`Removing the leftover of an earlier drill: ${examined.leftover.app}`);
      leftoverRemoved = (await timed('leftover', () => tearDownDrill(connection, prepared, examined.leftover, run.hooks.reporter))).deleted;
    }
    const { source, drill } = derivation;
    const { backups } = connection;
    let backup = examined.backup;
    if (examined.capture) {
      const watch = transferProgress(progress, `capturing a backup of ${source.app}'s ${examined.database.attachment}`, run.stop);
      backup = await timed('capture', () => backups.capture(examined.database, watch.onProgress));
      ({ derivation, prepared } = deriveOrRefuse(examined.derivation.config, source.name, sizeFrom(backup), run.env));
    }
    if (backup === undefined) throw new InternalError('the drill started without a backup and without --capture');
    const restoring = backup;
    const rtoStart = run.timing.now();
    await timed('create', () => converge(connection, prepared, { allowDestroy: [], force: false, breakLock: false }, run.hooks));
    const restored = await timed('restore', async () => {
      const target = await backups.database(drill.app, examined.database.attachment);
      if (target === undefined) {
        throw new DaffError(`The drill's database (attached as ${examined.database.attachment}) is not on ${drill.app} after creating it`, {
          hint: `Check \`heroku addons -a ${drill.app}\`; the drill environment is torn down either way.`,
        });
      }
      const watch = transferProgress(progress, `restoring ${restoring.id} into ${drill.app}`, run.stop);
      await backups.restore(target, await backups.url(source.app, restoring.id), watch.onProgress);
      return { plan: target.plan, bytes: watch.bytes() };
    });
    const release = await timed('release', async () => {
      const started = await connection.delivery.releaseSlug(drill.app, examined.release.slugId, `Drill: the slug of ${source.name} v${examined.release.version}`);
      const done = await awaitRelease(connection.delivery, drill.app, started, progress, timing);
      const deferred = new Set(prepared.desired.resources.filter((r) => r.kind === 'heroku.formation').map((r) => r.address));
      await applyDeferred(connection, prepared, deferred, run.hooks.reporter);
      return done;
    });
    const health: DrillHealth = await timed('health', () => drillHealth(connection, drill, progress, timing));
    const rtoMs = run.timing.now() - rtoStart;
    const webUrl = (await connection.delivery.app(drill.app)).webUrl;
    return { backup, restored, release, health, rtoMs, webUrl };
  })();
  let outcome: Awaited<typeof work> | undefined;
  let failure: unknown;
  try {
    outcome = await untilStopped(work, run.stop);
  } catch (error) {
    failure = error;
    if (run.stop.aborted) await settled(work, run.timing);
  }
  const { drill, source } = derivation;
  let deleted: readonly string[] = [];
  try {
    const state = await examineDrillApp(connection, drill.app);
    deleted = (await timed('teardown', () => tearDownDrill(connection, prepared, state, run.hooks.reporter))).deleted;
  } catch (error) {
    throw new DaffError(
      `${failure === undefined ? '' : `The drill failed (${(failure as Error).message}), and then `}tearing down the drill environment ${drill.name} (${drill.app}) failed: ${(error as Error).message}`,
      { hint: `Run \`daffeinated dr-drill ${source.name}\` again (it removes the leftover first), or delete it yourself: \`heroku apps:destroy ${drill.app}\`.`, cause: error },
    );
  }
  progress.info(`Tore down the drill environment ${drill.name} (${drill.app}): ${deleted.length} resource(s) deleted`);
  if (outcome === undefined) throw failure;
  const { backup, restored, release, health, rtoMs, webUrl } = outcome;
  return {
    environment: source.name,
    app: source.app,
    drill: { environment: drill.name, app: drill.app, webUrl },
    backup: { name: backup.id, finishedAt: iso(backup.finishedAt ?? backup.createdAt), captured: examined.capture },
    rpoSeconds: Math.max(0, Math.round((startedAt.getTime() - Date.parse(backup.finishedAt ?? backup.createdAt)) / 1000)),
    rtoMs: Math.round(rtoMs),
    database: { plan: restored.plan, bytes: restored.bytes },
    release: { sourceVersion: examined.release.version, slugId: examined.release.slugId, drillVersion: release.version },
    health,
    steps,
    cost: examined.cost,
    teardown: { deleted, leftoverRemoved },
    outcome: health.kind === 'failed' ? 'unhealthy' : 'recovered',
  };
}

/** The API's timestamps (`2026-12-01 02:00:09 +0000`) as ISO 8601; unchanged when unreadable. */
function iso(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}
