import type { Plan } from '../engine/types.js';
import type { EnvironmentConfig } from '../model/config.js';
import type { ReleaseStatus, Reporter } from '../providers/provider.js';
import { DaffError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { applyDeferred } from './converge.js';
import {
  type HealthOutcome,
  type HealthVerdict,
  healthCheckEnvironment,
  type RecentLogs,
  recentLogs,
} from './health.js';
import { planNow } from './plan.js';
import type { Prepared } from './prepare.js';
import type { Progress, Timing } from './progress.js';
import { awaitRelease } from './deploy.js';
import { promoteRelease, type ReleaseOrigin, rollBack, type TargetOutcome } from './promote.js';
import {
  type CheckReport,
  type ForceableCheck,
  promotionChecks,
  type SourceFacts,
  type TargetFacts,
} from './promote-checks.js';
import { promotionFacts, type Route } from './promote-facts.js';
import { type PurgeOutcome, purgeAfterRelease } from './purge.js';

/** Everything known before a promotion changes anything: the facts read and the checks' verdict. */
export interface Examined {
  /** The targets' plan, read just before the facts. */
  readonly plan: Plan;
  readonly source: SourceFacts;
  readonly targets: readonly TargetFacts[];
  readonly report: CheckReport;
  /** With `assumeApplied`: the pending changes that converging first would make (not checked). */
  readonly wouldApply: readonly string[];
}

/**
 * Plans the targets, reads the facts and runs every check (see `promotionChecks`). With
 * `assumeApplied` (a dry run of `promote --apply`), pending infrastructure changes do not fail a
 * check: they are listed in `wouldApply` instead.
 */
export async function examinePromotion(
  connection: Connection,
  prepared: Prepared,
  route: Route,
  options: {
    readonly allowMissingConfig: readonly string[];
    readonly assumeApplied: boolean;
    /** Checks to pass although they fail (`promote --force NAME`). */
    readonly force?: readonly ForceableCheck[];
  },
): Promise<Examined> {
  const plan = await planNow(connection, prepared);
  const facts = await promotionFacts(connection, route, plan);
  const report = promotionChecks(
    facts.source,
    options.assumeApplied ? facts.targets.map((t) => ({ ...t, pendingChanges: [] })) : facts.targets,
    options.allowMissingConfig,
    options.force ?? [],
  );
  const wouldApply = options.assumeApplied ? facts.targets.flatMap((t) => t.pendingChanges) : [];
  return { plan, source: facts.source, targets: facts.targets, report, wouldApply };
}

type Unhealthy = Extract<HealthOutcome, { ok: false }>;

/** How one target came out of a promotion, with the release it rolls back to (its rollback point). */
export type TargetResult = { readonly environment: EnvironmentConfig; readonly rollbackTo: ReleaseStatus } & (
  | { readonly kind: 'not-promoted'; readonly reason: string }
  | {
      readonly kind: 'released';
      readonly release: ReleaseStatus;
      readonly origin: ReleaseOrigin;
      readonly verdict: HealthVerdict;
      /** Cloudflare's cache purged as the target's `purge` says, once healthy (a rolled-back target purges nothing). */
      readonly purge: PurgeOutcome;
    }
  | {
      readonly kind: 'rolled-back';
      readonly release: ReleaseStatus;
      readonly origin: ReleaseOrigin;
      readonly outcome: Unhealthy;
      readonly rollback: ReleaseStatus;
      readonly logs: RecentLogs;
    }
  | {
      readonly kind: 'rollback-failed';
      readonly release: ReleaseStatus;
      readonly origin: ReleaseOrigin;
      readonly outcome: Unhealthy;
      readonly reason: string;
      readonly logs: RecentLogs;
    }
);

/**
 * Promotes `release` (the source's current one, checked by `examinePromotion`) onto the route's
 * targets through the pipeline, applies the formation that waited for the release, then health
 * checks each promoted target. A target where an earlier run already promoted the slug (see
 * `targetHistory`) is not promoted again: it resumes at the health check. A target that fails it
 * is rolled back to its rollback point — never a release of the promoted slug — and the rollback
 * verified; a healthy one has Cloudflare's cache purged as its `purge` says (a rolled-back one
 * never). Failures per target are results, not errors: every target is reported.
 */
export async function carryOutPromotion(
  connection: Connection,
  prepared: Prepared,
  route: Route,
  examined: Examined,
  release: ReleaseStatus,
  run: { readonly progress: Progress; readonly timing: Timing; readonly reporter: Reporter },
): Promise<TargetResult[]> {
  const { delivery } = connection;
  const { progress, timing } = run;
  const facts = route.targets.map((environment, i) => {
    const target = examined.targets[i];
    if (target?.rollbackPoint === undefined) throw new DaffError(`No rollback point for ${environment.app}`);
    return { environment, rollbackTo: target.rollbackPoint, promoted: target.promoted };
  });
  const outcomes = new Map<string, TargetOutcome>();
  for (const { environment, promoted } of facts) {
    if (promoted === undefined) continue;
    progress.info(
      `${environment.app}: v${promoted.version} already runs slug ${short(release.slugId)} of v${release.version} (promoted by an earlier run): not promoting again; resuming at the health check`,
    );
    outcomes.set(environment.app, await resumed(connection, environment.app, promoted, progress, timing));
  }
  const fresh = facts.filter((f) => f.promoted === undefined).map((f) => f.environment);
  if (fresh.length > 0) {
    const pipelineId = await delivery.pipelineId(route.pipeline);
    if (pipelineId === undefined)
      throw new DaffError(`The pipeline ${route.pipeline} does not exist`, {
        hint: 'Run `daffeinated apply --all` to create and couple it.',
      });
    const sourceApp = await delivery.app(route.source.app);
    const targetApps = await Promise.all(fresh.map((t) => delivery.app(t.app)));
    const promoted = await promoteRelease(
      delivery,
      {
        pipelineId,
        source: { app: route.source.app, appId: sourceApp.id, release },
        targets: fresh.map((t, i) => ({ app: t.app, appId: targetApps[i]?.id ?? '' })),
      },
      progress,
      timing,
    );
    for (const outcome of promoted) outcomes.set(outcome.app, outcome);
  }
  await applyDeferred(connection, prepared, new Set(examined.plan.deferred.map((d) => d.address)), run.reporter);

  const results: TargetResult[] = [];
  for (const { environment, rollbackTo } of facts) {
    const outcome = outcomes.get(environment.app);
    if (outcome === undefined) continue;
    if (outcome.kind === 'failed') {
      results.push({ kind: 'not-promoted', environment, rollbackTo, reason: outcome.reason });
      continue;
    }
    const { origin } = outcome;
    const verdict = await healthCheckEnvironment(connection, environment, progress, timing);
    if (verdict.kind !== 'checked' || verdict.outcome.ok) {
      const purge = await purgeAfterRelease(connection, prepared.config, environment, verdict, progress);
      results.push({ kind: 'released', environment, rollbackTo, release: outcome.release, origin, verdict, purge });
      continue;
    }
    const logs = await recentLogs(connection, environment.app, 20);
    progress.warn(`${environment.app} failed its health check: rolling back to v${rollbackTo.version}`);
    const back = await rollBack(delivery, environment.app, rollbackTo, progress, timing);
    const failed = { environment, rollbackTo, release: outcome.release, origin, outcome: verdict.outcome, logs };
    results.push(
      back.ok
        ? { kind: 'rolled-back', ...failed, rollback: back.release }
        : { kind: 'rollback-failed', ...failed, reason: back.reason },
    );
  }
  return results;
}

/** A release an earlier run promoted: waited for when it is still releasing. */
async function resumed(connection: Connection, app: string, promoted: ReleaseStatus, progress: Progress, timing: Timing): Promise<TargetOutcome> {
  if (promoted.status !== 'pending') return { app, kind: 'released', release: promoted, origin: 'earlier-run' };
  try {
    return { app, kind: 'released', release: await awaitRelease(connection.delivery, app, promoted, progress, timing), origin: 'earlier-run' };
  } catch (error) {
    return { app, kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}

const short = (id: string | null) => (id === null ? 'none' : id.slice(0, 8));
