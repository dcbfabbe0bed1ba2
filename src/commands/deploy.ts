import type { EnvironmentConfig } from '../model/config.js';
import { DaffError, ExitCode, InternalError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { shipCommit } from '../workflows/deploy.js';
import { formatDuration } from '../workflows/progress.js';
import { readCode } from './code.js';
import type { Connection } from './connect.js';
import { confirmOrRefuse } from './confirm.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { applyDeferred, converge } from './converge.js';
import { describeVerdict, healthCheckEnvironment, recentLogLines } from './health-check.js';
import { realTiming, stderrProgress } from './progress.js';

export interface DeployOptions {
  readonly environment: string;
  readonly yes: boolean;
  readonly allowDirty: boolean;
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  /** Take over another run's apply lock while converging. */
  readonly breakLock?: boolean;
}

/**
 * `deploy ENV`: the code at git HEAD, live on ENV's app.
 * 1. Offline first: app.yaml, the git repository, a clean tree (or --allow-dirty), HEAD's tarball.
 * 2. Converge ENV's infrastructure exactly as `apply ENV` (plan, safety, confirmation); for a
 *    production stage, consent to ship the code too (typed app name, or --yes).
 * 3. Upload, build, stream the build output, wait for the release (release phase included).
 * 4. Apply the formation that waited for the release's process types.
 * 5. Health check, when app.yaml has one.
 * The summary (release, commit, build time, URL, health) is the result, on stdout; progress goes
 * to stderr. Any failure exits non-zero with the output's last lines and what to do next.
 */
export async function deployCommand(io: Io, global: GlobalOptions, options: DeployOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: [options.environment], all: false, defaultAll: false });
  const environment = prepared.config.environments[options.environment];
  if (environment === undefined) throw new InternalError(`environment ${options.environment} vanished after validation`);
  const code = await readCode(io, options.allowDirty);
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    if (code.uncommitted.length > 0) progress.warn(`shipping HEAD ${code.commit.sha.slice(0, 7)}; ${code.uncommitted.length} uncommitted change(s) are not included (--allow-dirty)`);
    const converged = await converge(io, connection, prepared, {
      yes: options.yes,
      allowDestroy: options.allowDestroy,
      force: options.force,
      format: 'human',
      planTo: 'stderr',
      breakLock: options.breakLock ?? false,
    });
    // Shipping code to production needs consent too, when converging did not just ask for it.
    if (environment.stage === 'production' && converged.applied.length === 0) {
      await confirmOrRefuse(io, { yes: options.yes, action: 'deploy', productionApps: [environment.app], question: '' });
    }
    const before = (await connection.delivery.releases(environment.app, 5)).find((r) => r.current);
    const shipped = await shipCommit(connection.delivery, { app: environment.app, tarball: code.tarball, commit: code.commit }, progress, timing);
    const formation = await applyDeferred(io, connection, prepared, new Set(converged.after.deferred.map((d) => d.address)));
    const verdict = await healthCheckEnvironment(connection, environment, progress, timing);
    const summary = [
      `Deployed ${code.commit.sha.slice(0, 7)} (${code.commit.subject}) to ${environment.name} (${environment.app})`,
      `  release:   v${shipped.release.version} (${shipped.release.status})`,
      `  commit:    ${code.commit.sha}`,
      `  build:     ${formatDuration(shipped.buildMs)} (build ${shipped.build.id})`,
      `  url:       ${await urlOf(connection, environment)}`,
      `  health:    ${describeVerdict(verdict)}`,
      ...(formation.applied.length > 0 ? [`  formation: applied ${formation.applied.join(', ')}`] : []),
      ...formation.stillDeferred.map((d) => `  deferred:  ${d.address} (${d.reason})`),
    ];
    if (verdict.kind === 'checked' && !verdict.outcome.ok) {
      io.stderr(`${summary.join('\n')}\n`);
      const rollback = before === undefined ? '' : ` or roll back with \`heroku rollback v${before.version} -a ${environment.app}\``;
      throw new DaffError(
        `Release v${shipped.release.version} of ${environment.app} is live but failed its health check: ${verdict.outcome.url} answered ${verdict.outcome.last}${await recentLogLines(connection, environment.app)}`,
        { hint: `Read the app's logs above (\`heroku logs -a ${environment.app}\`); fix the code and deploy again,${rollback}.` },
      );
    }
    io.stdout(`${summary.join('\n')}\n`);
    return ExitCode.Ok;
  } finally {
    progress.close();
    await connection.close();
  }
}

/** Where users reach the environment: its first custom domain, else the app's web URL. */
async function urlOf(connection: Connection, environment: EnvironmentConfig): Promise<string> {
  const domain = environment.domains[0];
  if (domain !== undefined) return `https://${domain}/`;
  return (await connection.delivery.app(environment.app)).webUrl ?? '(no web URL)';
}
