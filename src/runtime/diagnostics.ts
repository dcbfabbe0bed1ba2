/**
 * A problem found while validating or planning, collected rather than thrown so one run reports
 * every problem. `file`/`line`/`col` are 1-based and point at the YAML node that declares the value.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Dotted YAML path, e.g. `environments.staging.formation.web.quantity`. */
  readonly path?: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  /** What to do next, e.g. `did you mean "formation"?`. */
  readonly hint?: string;
}

/** `file:line:col` (or the parts that are known) for a diagnostic; empty when nothing is known. */
export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'col'>): string {
  if (!d.file) return '';
  if (d.line === undefined) return d.file;
  return d.col === undefined ? `${d.file}:${d.line}` : `${d.file}:${d.line}:${d.col}`;
}

/** One line per diagnostic: `file:line:col: error: message (at path) — hint`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatLocation(d);
  const at = d.path ? ` (at ${d.path})` : '';
  const hint = d.hint ? `\n    hint: ${d.hint}` : '';
  return `${where ? `${where}: ` : ''}${d.severity}: ${d.message}${at}${hint}`;
}

/** Deterministic order: by file, line, column, then message. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.message.localeCompare(b.message),
  );
}
