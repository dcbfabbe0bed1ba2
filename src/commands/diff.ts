import {
  type EnvironmentDiffView,
  renderEnvironmentDiffHuman,
  renderEnvironmentDiffJson,
  renderEnvironmentDiffMarkdown,
} from '../render/environments.js';
import { assertNever, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { compareDeclared } from '../workflows/diff.js';
import { type GlobalOptions, prepare } from './context.js';
import type { OutputFormat } from './output.js';

/**
 * `diff LEFT RIGHT`: the effective differences between two environments after inheritance, to
 * keep staging a faithful copy of production. Offline; exit 0 when equal, 2 when they differ.
 */
export function diffCommand(
  io: Io,
  global: GlobalOptions,
  left: string,
  right: string,
  format: OutputFormat,
): ExitCode {
  const prepared = prepare(io, global, { names: [left, right], all: false, defaultAll: false });
  const view: EnvironmentDiffView | undefined = compareDeclared(prepared, left, right);
  if (view === undefined) return ExitCode.Error;
  io.stdout(render(view, format));
  return view.differences.length === 0 ? ExitCode.Ok : ExitCode.Changes;
}

function render(view: EnvironmentDiffView, format: OutputFormat): string {
  switch (format) {
    case 'human':
      return renderEnvironmentDiffHuman(view);
    case 'json':
      return renderEnvironmentDiffJson(view);
    case 'markdown':
      return renderEnvironmentDiffMarkdown(view);
    default:
      return assertNever(format, 'format');
  }
}
