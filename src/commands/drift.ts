import { appendFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeSpendGrowth } from '../render/budget.js';
import { renderGithubAnnotations } from '../render/github.js';
import { renderMarkdown } from '../render/markdown.js';
import { toPlanView } from '../render/view-model.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { checkDrift } from '../workflows/drift.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { type OutputFormat, renderPlanFor } from './output.js';

export interface DriftOptions {
  readonly environments: readonly string[];
  readonly all: boolean;
  readonly format: OutputFormat;
  /** Unmanaged resources fail the check too. */
  readonly strict: boolean;
  /** Also write the markdown report to this file (for an issue or PR comment). */
  readonly report?: string;
}

/**
 * `drift [ENV…|--all]`: a read-only plan of every targeted environment, less the drift app.yaml
 * accepts (`drift.ignore`). Exit 0 clean, 2 drift, 1 on any error — an unreachable API or a bad
 * token is never "no drift". Under GitHub Actions it also writes error annotations (stderr) and
 * appends the markdown report to $GITHUB_STEP_SUMMARY.
 */
export async function driftCommand(io: Io, global: GlobalOptions, options: DriftOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: options.environments, all: options.all, defaultAll: true });
  const connection = await connectFor(io, global, prepared);
  try {
    const { plan, drifted } = await checkDrift(connection, prepared, { today: io.now(), strict: options.strict });
    io.stdout(renderPlanFor(plan, options.format, io, 'drift'));
    // JSON carries the cost lines already; human and markdown say what the difference means.
    if (options.format !== 'json') io.stdout(describeSpendGrowth(plan, options.format));
    if (options.report !== undefined)
      await writeFile(
        resolve(io.cwd, options.report),
        renderPlanFor(plan, 'markdown', io, 'drift') + describeSpendGrowth(plan, 'markdown'),
      );
    if (io.env['GITHUB_ACTIONS'] === 'true') await reportToGithub(io, plan, options.strict);
    return drifted ? ExitCode.Changes : ExitCode.Ok;
  } finally {
    await connection.close();
  }
}

async function reportToGithub(io: Io, plan: Parameters<typeof toPlanView>[0], strict: boolean): Promise<void> {
  const view = toPlanView(plan, { mode: 'drift' });
  io.stderr(renderGithubAnnotations(view, { strict }));
  const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile === undefined || summaryFile === '') return;
  await appendFile(summaryFile, `${renderMarkdown(view)}\n`).catch((error: unknown) => {
    throw new DaffError(
      `Cannot append the drift summary to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}`,
    );
  });
}
