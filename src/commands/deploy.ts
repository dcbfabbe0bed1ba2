import { assertNever, DaffError, ExitCode, InternalError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { readCode } from '../workflows/code.js';
import { type Deployed, deployEnvironment } from '../workflows/deployment.js';
import { formatDuration } from '../workflows/progress.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { type DeployJournal, deployDocument, journalObserver } from './deploy-report.js';
import { convergeHooks } from './hooks.js';
import { realTiming, stderrProgress } from './progress.js';
import { describeLogs, describePurge, describeVerdict, purgeFailure } from './verdict.js';

export interface DeployOptions {
  readonly environment: string;
  readonly yes: boolean;
  readonly allowDirty: boolean;
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  /** Take over another run's apply lock while converging. */
  readonly breakLock?: boolean;
  /** `json`: one document on stdout at the end, also on failure (deploy-report.ts); default `human`. */
  readonly format?: 'human' | 'json';
}

/**
 * `deploy ENV`: the code at git HEAD, live on ENV's app.
 * 1. Offline first: app.yaml, the git repository, a clean tree (or --allow-dirty), HEAD's tarball.
 * 2. Converge ENV's infrastructure exactly as `apply ENV` (plan, safety, confirmation); for a
 *    production stage, consent to ship the code too (typed app name, or --yes).
 * 3. Upload, build, stream the build output, wait for the release (release phase included).
 * 4. Apply the formation that waited for the release's process types.
 * 5. Health check, when app.yaml has one.
 * 6. Purge Cloudflare's cache as app.yaml's `purge` says, only when the release is healthy.
 * (2–6: `deployEnvironment`.) The summary (release, commit, build time, URL, health) is the result,
 * on stdout; progress goes to stderr. Any failure exits non-zero with the output's last lines and
 * what to do next. With `--format json` the result is one document instead, also on failure (with
 * the error and the same exit code).
 */
export async function deployCommand(io: Io, global: GlobalOptions, options: DeployOptions): Promise<ExitCode> {
  const json = options.format === 'json';
  const journal: DeployJournal = { where: 'config', environment: options.environment };
  let deployed: Deployed | undefined;
  try {
    deployed = await deploy(io, global, options, journal);
    const summary = `${summaryLines(deployed).join('\n')}\n`;
    const { environment, verdict, shipped, before, logs } = deployed;
    if (verdict.kind === 'checked' && !verdict.outcome.ok) {
      io.stderr(summary);
      const rollback =
        before === undefined ? '' : ` or roll back with \`heroku rollback v${before.version} -a ${environment.app}\``;
      throw new DaffError(
        `Release v${shipped.release.version} of ${environment.app} is live but failed its health check: ${verdict.outcome.url} answered ${verdict.outcome.last}${logs === undefined ? '' : describeLogs(logs)}`,
        {
          hint: `Read the app's logs above (\`heroku logs -a ${environment.app}\`); fix the code and deploy again,${rollback}.`,
        },
      );
    }
    if (deployed.purge.kind === 'failed') {
      journal.where = 'purge';
      io.stderr(summary);
      throw purgeFailure(deployed.purge, environment.name, environment.app, `run \`daffeinated deploy ${environment.name}\` again (it reuses this build)`);
    }
    // With --format json the summary is progress (stderr): stdout holds only the document.
    if (json) {
      io.stderr(summary);
      io.stdout(deployDocument(journal, deployed, undefined));
    } else io.stdout(summary);
    return ExitCode.Ok;
  } catch (error) {
    if (json) io.stdout(deployDocument(journal, deployed, error));
    throw error;
  }
}

/** Steps 1–5, `journal` kept up to date as they run. */
async function deploy(io: Io, global: GlobalOptions, options: DeployOptions, journal: DeployJournal): Promise<Deployed> {
  const prepared = prepare(io, global, { names: [options.environment], all: false, defaultAll: false });
  const environment = prepared.config.environments[options.environment];
  if (environment === undefined)
    throw new InternalError(`environment ${options.environment} vanished after validation`);
  journal.app = environment.app;
  journal.where = 'code';
  const code = await readCode(io.cwd, options.allowDirty);
  journal.commit = code.commit;
  journal.where = 'connect';
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  const hooks = convergeHooks(io, { planTo: 'stderr', format: 'human' }, options.yes);
  try {
    return await deployEnvironment(connection, prepared, environment, code, {
      converge: { allowDestroy: options.allowDestroy, force: options.force, breakLock: options.breakLock ?? false },
      hooks: {
        ...hooks,
        showPlan: (plan) => {
          journal.plan = plan;
          hooks.showPlan(plan);
        },
      },
      progress,
      timing,
      observe: journalObserver(journal),
    });
  } finally {
    progress.close();
    await connection.close();
  }
}

function summaryLines({ environment, commit, shipped, formation, verdict, url, purge }: Deployed): string[] {
  return [
    `Deployed ${commit.sha.slice(0, 7)} (${commit.subject}) to ${environment.name} (${environment.app})`,
    `  release:   v${shipped.release.version} (${shipped.release.status})`,
    `  commit:    ${commit.sha}`,
    `  build:     ${describeBuild(shipped)}`,
    `  url:       ${url}`,
    `  health:    ${describeVerdict(verdict)}`,
    `  purge:     ${describePurge(purge)}`,
    ...(formation.applied.length > 0 ? [`  formation: applied ${formation.applied.join(', ')}`] : []),
    ...formation.stillDeferred.map((d) => `  deferred:  ${d.address} (${d.reason})`),
  ];
}

/** How long the build took, or that an earlier run's build was followed or reused (one build per commit). */
function describeBuild(shipped: Deployed['shipped']): string {
  switch (shipped.origin) {
    case 'built':
      return `${formatDuration(shipped.buildMs)} (build ${shipped.build.id})`;
    case 'followed':
      return `${formatDuration(shipped.buildMs)} (build ${shipped.build.id}, started by an earlier run and followed)`;
    case 'reused':
      return `none: build ${shipped.build.id} of this commit succeeded earlier and was reused`;
    default:
      return assertNever(shipped.origin, 'build origin');
  }
}
