import type { Plan } from '../engine/types.js';
import { renderDiagnostics } from '../render/diagnostics.js';
import { renderHuman } from '../render/human.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { type RenderMode, toPlanView, type ViewOptions } from '../render/view-model.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { assertNever } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';

export type OutputFormat = 'human' | 'json' | 'markdown';

/** What a command may add to the view: drift's declared scope order, `--verbose`. */
export type PlanOutputOptions = Omit<ViewOptions, 'mode'> & { readonly verbose?: boolean };

/** Renders a plan in the chosen format; the view model is built once and redacts every secret. */
export function renderPlanFor(plan: Plan, format: OutputFormat, io: Io, mode: RenderMode, options: PlanOutputOptions = {}): string {
  const view = toPlanView(plan, { mode, ...(options.scopeOrder === undefined ? {} : { scopeOrder: options.scopeOrder }) });
  switch (format) {
    case 'human':
      return renderHuman(view, { color: io.color, width: terminalWidth(io), verbose: options.verbose ?? false });
    case 'json':
      return renderJson(view);
    case 'markdown':
      return renderMarkdown(view);
    default:
      return assertNever(format, 'format');
  }
}

export function renderDiagnosticsFor(diagnostics: readonly Diagnostic[], io: Io): string {
  return renderDiagnostics(diagnostics, { color: io.color });
}

/** `COLUMNS` when set (terminals export it), else 100; golden output never depends on the terminal. */
function terminalWidth(io: Io): number {
  const columns = Number(io.env['COLUMNS']);
  return Number.isInteger(columns) && columns >= 40 ? columns : 100;
}
