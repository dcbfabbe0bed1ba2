import picocolors from 'picocolors';
import type { Action } from '../engine/types.js';
import { assertNever } from '../runtime/errors.js';

/** A string styler. Identity when colour is off. */
export type Style = (text: string) => string;

/**
 * The styles the renderers use. The only importer of picocolors: every renderer receives a Palette,
 * so colour is decided once by the caller (TTY and NO_COLOR are the CLI's business, not render's).
 */
export interface Palette {
  readonly enabled: boolean;
  readonly create: Style;
  readonly update: Style;
  readonly replace: Style;
  readonly delete: Style;
  /** Unchanged rows and meta text: source locations, "(sensitive)", comments. */
  readonly dim: Style;
  readonly bold: Style;
  readonly error: Style;
  readonly warning: Style;
}

/** A palette with ANSI colours when `enabled`, identity functions otherwise. Ignores the environment. */
export function createPalette(enabled: boolean): Palette {
  const c = picocolors.createColors(enabled);
  return {
    enabled,
    create: c.green,
    update: c.yellow,
    replace: c.magenta,
    delete: c.red,
    dim: c.dim,
    bold: c.bold,
    error: c.red,
    warning: c.yellow,
  };
}

/** The colour of an action: green create, yellow update, magenta replace, red delete. */
export function actionStyle(palette: Palette, action: Action): Style {
  switch (action) {
    case 'create':
      return palette.create;
    case 'update':
      return palette.update;
    case 'replace':
      return palette.replace;
    case 'delete':
      return palette.delete;
    default:
      return assertNever(action, 'action');
  }
}
