import type { EnvironmentConfig } from '../model/config.js';
import type { ReleaseStatus } from '../providers/provider.js';
import type { GitCommit } from '../runtime/exec.js';
import type { Code } from './code.js';
import type { Connection } from './connection.js';
import {
  applyDeferred,
  type Converged,
  type ConvergeHooks,
  type ConvergeOptions,
  converge,
  type DeferredApplied,
} from './converge.js';
import { type ShipObserver, type ShipResult, shipCommit } from './deploy.js';
import { type HealthVerdict, healthCheckEnvironment, type RecentLogs, recentLogs } from './health.js';
import type { Prepared } from './prepare.js';
import { targetHistory } from './promote-facts.js';
import type { Progress, Timing } from './progress.js';
import { type PurgeOutcome, purgeAfterRelease } from './purge.js';

/** The steps of a deploy once its code is read, in order. */
export type DeployStep = 'infrastructure' | 'confirmation' | 'build' | 'release' | 'formation' | 'health';

/**
 * Follows a deploy as it happens, so that a report can say how far it got when a step fails: each
 * step as it starts, the converged infrastructure, the build and the release (see `ShipObserver`).
 */
export interface DeployObserver extends ShipObserver {
  readonly step: (step: DeployStep) => void;
  readonly converged: (converged: Converged) => void;
}

export interface Deployed {
  readonly environment: EnvironmentConfig;
  /** The commit shipped (HEAD). */
  readonly commit: GitCommit;
  readonly shipped: ShipResult;
  /** The formation that waited for the release: applied now, or still deferred. */
  readonly formation: DeferredApplied;
  readonly verdict: HealthVerdict;
  /** Where users reach the environment: its first custom domain, else the app's web URL. */
  readonly url: string;
  /** The newest succeeded release running other code, to roll back to by hand; undefined for a first deploy. */
  readonly before: ReleaseStatus | undefined;
  /** The app's newest logs, read only when the health check failed. */
  readonly logs: RecentLogs | undefined;
  /** Cloudflare's cache purged as app.yaml's `purge` says, once the release is healthy (never otherwise). */
  readonly purge: PurgeOutcome;
}

/**
 * `deploy ENV` once the code is read: converge ENV's infrastructure exactly as `apply ENV` (plan,
 * safety, consent); for a production stage, consent to ship the code too when converging did not
 * just ask for it; upload, build and release (streaming the output); apply the formation that
 * waited for the release's process types; health check; purge Cloudflare's cache as app.yaml says,
 * only when the release is healthy. A failed health check or purge is reported in the result (with
 * the app's logs), not thrown: the release is live, and the command says what next.
 */
export async function deployEnvironment(
  connection: Connection,
  prepared: Prepared,
  environment: EnvironmentConfig,
  code: Code,
  run: {
    readonly converge: ConvergeOptions;
    readonly hooks: ConvergeHooks;
    readonly progress: Progress;
    readonly timing: Timing;
    readonly observe?: DeployObserver;
  },
): Promise<Deployed> {
  const { hooks, progress, timing, observe } = run;
  if (code.uncommitted.length > 0)
    progress.warn(
      `shipping HEAD ${code.commit.sha.slice(0, 7)}; ${code.uncommitted.length} uncommitted change(s) are not included (--allow-dirty)`,
    );
  observe?.step('infrastructure');
  const converged = await converge(connection, prepared, run.converge, hooks);
  observe?.converged(converged);
  if (environment.stage === 'production' && converged.applied.length === 0) {
    observe?.step('confirmation');
    await hooks.consent({ action: 'deploy', productionApps: [environment.app], question: '' });
  }
  observe?.step('build');
  const history = await connection.delivery.releases(environment.app, 25);
  const shipping: ShipObserver | undefined =
    observe === undefined
      ? undefined
      : {
          build: observe.build,
          release: (release) => {
            observe.step('release');
            observe.release(release);
          },
        };
  const shipped = await shipCommit(
    connection.delivery,
    { app: environment.app, tarball: code.tarball, commit: code.commit },
    progress,
    timing,
    shipping,
  );
  // What to roll back to: never a release of the slug just shipped (a re-run may find it current).
  const before = targetHistory(history, shipped.release.slugId).rollbackPoint;
  observe?.step('formation');
  const formation = await applyDeferred(
    connection,
    prepared,
    new Set(converged.after.deferred.map((d) => d.address)),
    hooks.reporter,
  );
  observe?.step('health');
  const verdict = await healthCheckEnvironment(connection, environment, progress, timing);
  const url = await urlOf(connection, environment);
  const unhealthy = verdict.kind === 'checked' && !verdict.outcome.ok;
  const logs = unhealthy ? await recentLogs(connection, environment.app) : undefined;
  const purge = await purgeAfterRelease(connection, prepared.config, environment, verdict, progress);
  return { environment, commit: code.commit, shipped, formation, verdict, url, before, logs, purge };
}

async function urlOf(connection: Connection, environment: EnvironmentConfig): Promise<string> {
  const domain = environment.domains[0];
  if (domain !== undefined) return `https://${domain}/`;
  return (await connection.delivery.app(environment.app)).webUrl ?? '(no web URL)';
}
