import type { EnvironmentConfig } from '../model/config.js';
import { assertNever } from '../runtime/errors.js';
import { checkHealth, type HealthOutcome } from '../workflows/health.js';
import type { Progress, Timing } from '../workflows/progress.js';
import type { Connection } from './connect.js';

/** A health check's verdict: not asked for, impossible here (and why), or what the app answered. */
export type HealthVerdict =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'checked'; readonly outcome: HealthOutcome };

/**
 * Runs app.yaml's `healthcheck` of one environment against its live app: the first custom domain
 * over HTTPS when it resolves, else the app's web URL (see `checkHealth`). Where apps cannot be
 * reached at all (a sandbox that runs no processes) the check is skipped with a notice saying why
 * — it is never reported as passed.
 */
export async function healthCheckEnvironment(
  connection: Connection,
  environment: EnvironmentConfig,
  progress: Progress,
  timing: Timing,
): Promise<HealthVerdict> {
  const spec = environment.healthcheck;
  if (spec === undefined) return { kind: 'not-configured' };
  const access = await connection.web();
  if (access.kind === 'unavailable') {
    progress.warn(`health check of ${environment.app} skipped: ${access.reason}`);
    return { kind: 'skipped', reason: access.reason };
  }
  const app = await connection.delivery.app(environment.app);
  const outcome = await checkHealth(
    access.probe,
    { app: environment.app, domain: environment.domains[0], webUrl: app.webUrl },
    { path: spec.path, timeoutSeconds: spec.timeoutSeconds, expectStatus: spec.expectStatus },
    progress,
    timing,
  );
  return { kind: 'checked', outcome };
}

/** One line for summaries: `healthy (HTTP 200 at https://…/health)`, `skipped: …`, `not configured`. */
export function describeVerdict(verdict: HealthVerdict): string {
  switch (verdict.kind) {
    case 'not-configured':
      return 'not configured (no healthcheck in app.yaml)';
    case 'skipped':
      return `skipped: ${verdict.reason}`;
    case 'checked':
      return verdict.outcome.ok
        ? `healthy (HTTP ${verdict.outcome.status} at ${verdict.outcome.url})`
        : `UNHEALTHY (${verdict.outcome.url}: ${verdict.outcome.last})`;
    default:
      return assertNever(verdict, 'health verdict');
  }
}

/**
 * The app's newest log lines, indented, for a failure report; empty when they cannot be read.
 * Router lines (one per request, the health check's own included) are thinned to the last two so
 * the app's output and dyno state changes stay in view.
 */
export async function recentLogLines(connection: Connection, app: string, lines = 30): Promise<string> {
  try {
    const all = await connection.delivery.recentLogs(app, 200);
    const router = all.filter((l) => l.includes(' heroku[router]: '));
    const keep = new Set(router.slice(-2));
    const found = all.filter((l) => !l.includes(' heroku[router]: ') || keep.has(l)).slice(-lines);
    return found.length === 0 ? '' : `\nThe last ${found.length} log lines of ${app} (router lines thinned):\n${found.map((l) => `  | ${l}`).join('\n')}`;
  } catch (error) {
    return `\n(The logs of ${app} could not be read: ${(error as Error).message}.)`;
  }
}
