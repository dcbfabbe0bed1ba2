/** Collects located diagnostics for the cross-field rules. */
import type { Diagnostic } from '../runtime/diagnostics.js';
import { declarationPosition, formatPath, type ParsedTree, type Path, valuePosition } from './tree.js';

export class Findings {
  readonly list: Diagnostic[] = [];
  constructor(readonly tree: ParsedTree) {}

  /**
   * An error about the node at `path`. `at: 'value'` points at the value (a bad name);
   * `'declaration'` at its key (a map that lacks something, a duplicate entry).
   */
  error(path: Path, message: string, options: { hint?: string; at?: 'value' | 'declaration' } = {}): void {
    const position =
      options.at === 'declaration' ? declarationPosition(this.tree, path) : valuePosition(this.tree, path);
    this.list.push({
      severity: 'error',
      message,
      file: this.tree.file,
      ...position,
      ...(path.length ? { path: formatPath(path) } : {}),
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  }
}

/** A string, else undefined (the schema reports values of the wrong type). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Items of a list with their index; empty for anything else. */
export function items(value: unknown): [number, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [index, item]) : [];
}
