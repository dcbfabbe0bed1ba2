import { appendFile } from 'node:fs/promises';
import type { Plan } from '../engine/types.js';
import { describeSpendGrowth } from '../render/budget.js';
import { githubError, renderGithubAnnotations } from '../render/github.js';
import { escapeText, renderMarkdown } from '../render/markdown.js';
import { toPlanView } from '../render/view-model.js';
import { formatDiagnostic } from '../runtime/diagnostics.js';
import { ConfigError, DaffError, describeError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';

/** A drift report under GitHub Actions: annotations on stderr, the markdown report in the step summary. */
export async function reportDriftToGithub(
  io: Io,
  plan: Plan,
  options: { readonly strict: boolean; readonly scopeOrder: readonly string[] },
): Promise<void> {
  const view = toPlanView(plan, { mode: 'drift', scopeOrder: options.scopeOrder });
  io.stderr(renderGithubAnnotations(view, { strict: options.strict }));
  await appendSummary(io, renderMarkdown(view) + describeSpendGrowth(plan, 'markdown'));
}

/**
 * A check that could not run, under GitHub Actions: one `::error` annotation and a step summary
 * that says nothing was compared, so no one reads the red run as drift or a green one as clean.
 */
export async function reportFailureToGithub(io: Io, error: unknown): Promise<void> {
  const message = error instanceof DaffError ? describeError(error) : error instanceof Error ? error.message : String(error);
  const hint = error instanceof DaffError ? error.hint : undefined;
  // A config error's first line only counts its problems: name the first one instead.
  const problem = error instanceof ConfigError ? error.diagnostics.find((d) => d.severity === 'error') : undefined;
  const firstLine = problem === undefined ? (message.split('\n')[0] ?? message) : formatDiagnostic(problem).split('\n')[0] ?? '';
  io.stderr(githubError('Drift check could not run', hint === undefined ? firstLine : `${firstLine} (${hint})`));
  const lines = [
    '## daffeinated drift',
    '',
    '**The drift check could not run**: nothing was compared, so this run says nothing about drift.',
    '',
    `- Error: ${escapeText(firstLine)}`,
    ...(hint === undefined ? [] : [`- What to check: ${escapeText(hint)}`]),
  ];
  await appendSummary(io, `${lines.join('\n')}\n`);
}

async function appendSummary(io: Io, markdown: string): Promise<void> {
  const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile === undefined || summaryFile === '') return;
  await appendFile(summaryFile, `${markdown}\n`).catch((error: unknown) => {
    throw new DaffError(
      `Cannot append the drift summary to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}`,
    );
  });
}
