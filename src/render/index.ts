import type { Plan } from '../engine/types.js';
import { assertNever } from '../runtime/errors.js';
import { type HumanRenderOptions, renderHuman } from './human.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { type RenderMode, toPlanView } from './view-model.js';

export { createPalette, type Palette } from './colors.js';
export {
  type DiagnosticsRenderOptions,
  type ErrorRenderOptions,
  renderDiagnostics,
  renderError,
} from './diagnostics.js';
export { DEFAULT_WIDTH, type HumanRenderOptions, renderHuman } from './human.js';
export { JSON_FORMAT_VERSION, renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export type { AttributeRow, ChangeView, PlanView, RenderMode, SummaryView, ViewValue } from './view-model.js';
export { toPlanView } from './view-model.js';

export type PlanFormat = 'human' | 'json' | 'markdown';

export interface PlanRenderOptions extends HumanRenderOptions {
  readonly format: PlanFormat;
  readonly mode: RenderMode;
}

/**
 * Builds the view once and lays it out in `format`. `color` and `width` apply to `human` only (JSON
 * and markdown are never coloured). Returns the text for stdout, ending in a newline.
 */
export function renderPlan(plan: Plan, options: PlanRenderOptions): string {
  const view = toPlanView(plan, { mode: options.mode });
  switch (options.format) {
    case 'human':
      return renderHuman(view, options);
    case 'json':
      return renderJson(view);
    case 'markdown':
      return renderMarkdown(view);
    default:
      return assertNever(options.format, 'format');
  }
}
