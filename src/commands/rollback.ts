import { DaffError, ExitCode, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { prepareEnvironments } from '../workflows/prepare.js';
import { carryOutRollback, examineRollback, type RollbackExamined } from '../workflows/rollback.js';
import { connectFor, type GlobalOptions, loadAppYaml } from './context.js';
import { consentOf } from './hooks.js';
import { realTiming, stderrProgress } from './progress.js';
import { type RollbackJournal, rollbackDocument } from './rollback-report.js';
import { describeVerdict } from './verdict.js';

export interface RollbackOptions {
  readonly environment: string;
  /** `vN` or `N`; default: the previous good release. */
  readonly to?: string;
  readonly yes: boolean;
  /** Roll back although the target release's config var names differ from the current ones. */
  readonly force: boolean;
  /** `json`: one document on stdout at the end, also on failure (rollback-report.ts); default `human`. */
  readonly format?: 'human' | 'json';
}

/**
 * `rollback ENV [--to vN]`: ENV's app back to an earlier release's code and config vars (Heroku's
 * rollback), verified (the new current release runs the target's slug) and health checked.
 * Refused (exit 3, nothing written) when the target's config var names differ from the current
 * ones, unless `--force`; confirmation as deploy (typed app name for a production stage). Exit 0
 * rolled back and healthy; 1 when the rollback or its health check failed, or for bad input.
 * With `--format json` the result is one document instead, also on failure (with the error and the
 * same exit code).
 */
export async function rollbackCommand(io: Io, global: GlobalOptions, options: RollbackOptions): Promise<ExitCode> {
  const json = options.format === 'json';
  const journal: RollbackJournal = { where: 'config', environment: options.environment };
  try {
    const summary = await rollback(io, global, options, journal);
    if (json) io.stderr(summary);
    io.stdout(json ? rollbackDocument(journal, undefined) : summary);
    return ExitCode.Ok;
  } catch (error) {
    if (json) io.stdout(rollbackDocument(journal, error));
    throw error;
  }
}

/** The rollback, `journal` kept up to date as it runs; returns the human summary of a healthy one. */
async function rollback(io: Io, global: GlobalOptions, options: RollbackOptions, journal: RollbackJournal): Promise<string> {
  const to = parseVersion(options.to);
  const config = loadAppYaml(io, global);
  const prepared = prepareEnvironments(config, { names: [options.environment], all: false, defaultAll: false }, io.env);
  const environment = config.environments[options.environment];
  if (environment === undefined) throw new UsageError(`There is no environment "${options.environment}"`);
  journal.app = environment.app;
  journal.where = 'connect';
  // Heroku only: a rollback needs no Cloudflare token.
  const connection = await connectFor(io, global, { ...prepared, desired: { resources: [], prune: [] } });
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    journal.where = 'checks';
    const examined = await examineRollback(connection, environment, to);
    journal.examined = examined;
    io.stderr(`${preview(examined)}\n`);
    const { removed, restored } = examined.keys;
    if ((removed.length > 0 || restored.length > 0) && !options.force) {
      throw new DaffError(
        `Rollback refused: the config vars of v${examined.target.version} differ from ${environment.app}'s current ones; nothing was changed`,
        {
          hint: `${describeKeys(examined)}. Rolling back restores v${examined.target.version}'s config vars exactly; pass --force to accept that, or choose another release with --to.`,
          exitCode: ExitCode.Refused,
        },
      );
    }
    journal.where = 'confirmation';
    await consentOf(
      io,
      options.yes,
    )({
      action: 'roll back',
      productionApps: environment.stage === 'production' ? [environment.app] : [],
      question: `Roll ${environment.app} back to v${examined.target.version}?`,
    });
    journal.where = 'rollback';
    const result = await carryOutRollback(connection, examined, progress, timing);
    journal.result = result;
    if (result.kind === 'failed') {
      throw new DaffError(`Rollback of ${environment.app} to v${examined.target.version} failed: ${result.reason}`, {
        hint: `Check the releases (\`daffeinated releases ${environment.name}\`) before trying again.`,
      });
    }
    const summary = [
      `Rolled ${environment.name} (${environment.app}) back to v${examined.target.version} as v${result.release.version} (verified: current runs slug ${examined.target.slugId ?? 'none'}, commit ${examined.targetCommit ?? 'unknown'})`,
      `  health: ${describeVerdict(result.verdict)}`,
    ].join('\n');
    if (result.verdict.kind === 'checked' && !result.verdict.outcome.ok) {
      journal.where = 'health';
      io.stderr(`${summary}\n`);
      throw new DaffError(`${environment.app} v${result.release.version} (the rollback) failed its health check`, {
        hint: `Read the app's logs (\`heroku logs -a ${environment.app}\`); roll back further with --to vN.`,
      });
    }
    return `${summary}\n`;
  } finally {
    progress.close();
    await connection.close();
  }
}

/** `v12` or `12`; anything else is a usage error. */
function parseVersion(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^v?(\d+)$/.exec(text.trim());
  if (match === null)
    throw new UsageError(`--to expects a release version like v12, not "${text}"`, {
      hint: 'List the releases with `daffeinated releases ENV`.',
    });
  return Number(match[1]);
}

function preview(e: RollbackExamined): string {
  const short = (commit: string | null) => (commit === null ? 'unknown' : commit.slice(0, 7));
  return [
    `Rollback of ${e.environment.name} (${e.environment.app}):`,
    `  now:  v${e.current.version} (commit ${short(e.currentCommit)}) — ${e.current.description}`,
    `  to:   v${e.target.version} (commit ${short(e.targetCommit)}) — ${e.target.description}`,
    `  config vars: ${e.keys.removed.length + e.keys.restored.length === 0 ? 'same names' : describeKeys(e)}`,
  ].join('\n');
}

function describeKeys(e: RollbackExamined): string {
  const parts = [
    ...(e.keys.removed.length > 0 ? [`removed by the rollback: ${e.keys.removed.join(', ')}`] : []),
    ...(e.keys.restored.length > 0 ? [`brought back by the rollback: ${e.keys.restored.join(', ')}`] : []),
  ];
  return parts.join('; ');
}
