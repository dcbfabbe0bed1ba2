import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plan } from '../engine/types.js';
import { describeSpendGrowth } from '../render/budget.js';
import { DaffError, describeError, ExitCode, ProviderError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { checkDrift } from '../workflows/drift.js';
import { withLockWarnings } from '../workflows/lock-report.js';
import type { Prepared } from '../workflows/prepare.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { reportDriftToGithub, reportFailureToGithub } from './drift-github.js';
import { lockContext } from './hooks.js';
import { type OutputFormat, type PlanOutputOptions, renderPlanFor } from './output.js';

export interface DriftOptions {
  readonly environments: readonly string[];
  readonly all: boolean;
  readonly format: OutputFormat;
  /** Unexpected unmanaged things fail the check too (add-on vars and certificate statuses never do). */
  readonly strict: boolean;
  /** List expected items and deferrals one by one instead of one line each (human format). */
  readonly verbose?: boolean;
  /** Also write the markdown report to this file (for an issue or PR comment). */
  readonly report?: string;
  /** Read the apply locks and report them as warnings (`--no-lock-survey`: not; the human and markdown reports say so). */
  readonly lockSurvey: boolean;
}

/**
 * `drift [ENV…|--all]`: a read-only plan of every targeted environment, less the drift app.yaml
 * accepts (`drift.ignore`). Exit 0 clean, 2 drift, 1 when the check could not run — an unreachable
 * API or a bad token is never "no drift". Under GitHub Actions it also writes annotations for what
 * a person must act on (stderr) and appends the markdown report, or why the check could not run,
 * to $GITHUB_STEP_SUMMARY.
 */
export async function driftCommand(io: Io, global: GlobalOptions, options: DriftOptions): Promise<ExitCode> {
  const github = io.env['GITHUB_ACTIONS'] === 'true';
  const survey = options.lockSurvey;
  let prepared: Prepared;
  let plan: Plan;
  let drifted: boolean;
  try {
    prepared = prepare(io, global, { names: options.environments, all: options.all, defaultAll: true });
    const connection = await connectFor(io, global, prepared);
    try {
      const checked = checkDrift(connection, prepared, { today: io.now(), strict: options.strict });
      const planned = checked.then((c) => c.plan);
      plan = survey ? await withLockWarnings(connection, planned, prepared.environments, lockContext(io)) : await planned;
      ({ drifted } = await checked);
    } finally {
      await connection.close();
    }
  } catch (error) {
    const failure = couldNotRun(error);
    if (github) await reportFailureToGithub(io, failure);
    throw failure;
  }
  const output: PlanOutputOptions = {
    scopeOrder: [...Object.keys(prepared.config.environments), ...Object.keys(prepared.config.cloudflare.zones)],
    verbose: options.verbose ?? false,
  };
  io.stdout(renderPlanFor(plan, options.format, io, 'drift', output));
  // JSON carries the cost lines already; human and markdown say what the difference means.
  if (options.format !== 'json') io.stdout(describeSpendGrowth(plan, options.format) + unsurveyed(survey));
  if (options.report !== undefined)
    await writeFile(
      resolve(io.cwd, options.report),
      renderPlanFor(plan, 'markdown', io, 'drift', output) + describeSpendGrowth(plan, 'markdown') + unsurveyed(survey),
    );
  if (github) await reportDriftToGithub(io, plan, { strict: options.strict, scopeOrder: output.scopeOrder ?? [] });
  return drifted ? ExitCode.Changes : ExitCode.Ok;
}

/** Under `--no-lock-survey`, the human and markdown reports say that no lock was looked for (JSON readers set the flag themselves). */
function unsurveyed(survey: boolean): string {
  return survey ? '' : '\nApply locks were not read (--no-lock-survey): a lock left by a killed apply is not reported.\n';
}

/**
 * The error a failed check ends with. A failed request becomes one error that says the check could
 * not run and names the request's URL, the status or network error, and what to check; config and
 * usage errors keep their own (located) form.
 */
function couldNotRun(error: unknown): unknown {
  if (!(error instanceof ProviderError)) return error;
  const request = error.url === undefined ? '' : `Request: ${error.url}. `;
  return new DaffError(`The drift check could not run: ${describeError(error)}`, {
    hint: `${request}${error.hint ?? 'Run it again; if it keeps failing, check the API status page.'}`,
    cause: error,
  });
}
