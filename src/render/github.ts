import type { AttributeRow, ChangeView, PlanView, SourceView } from './view-model.js';

/** Annotations of one level GitHub shows per step (10 errors, 10 warnings, 10 notices). */
export const ANNOTATIONS_PER_LEVEL = 10;

type Level = 'error' | 'warning';
interface Annotation {
  readonly level: Level;
  readonly source?: Omit<SourceView, 'text'>;
  readonly title: string;
  readonly message: string;
}

/**
 * GitHub Actions workflow commands for a drift report, only for what a person must act on: one
 * `::error` per drifted attribute (or change) at the app.yaml line that declares it, `::warning`
 * for unexpected unmanaged things (`::error` with `strict`), and diagnostics with their locations.
 * Expected items and accepted drift are in the step summary only. At most ANNOTATIONS_PER_LEVEL per
 * level: the last one shown then says how many more the step summary lists. Values come from the
 * view, so they are already redacted. Ends in a newline, or is empty.
 */
export function renderGithubAnnotations(view: PlanView, options: { readonly strict?: boolean } = {}): string {
  const all: Annotation[] = [];
  for (const change of view.changes) {
    const changed = change.rows.filter((row) => row.changed);
    const title = `Drift: ${change.address}`;
    if (change.action === 'update' && changed.length > 0) {
      for (const row of changed) {
        const source = row.source ?? change.source;
        all.push({ level: 'error', ...(source ? { source } : {}), title, message: rowMessage(row) });
      }
    } else {
      all.push({ level: 'error', ...(change.source ? { source: change.source } : {}), title, message: changeMessage(change) });
    }
  }
  for (const u of view.unmanaged) {
    const what = u.attribute === undefined ? u.address : `${u.address} ${u.attribute}`;
    const where = u.source === undefined ? {} : { source: u.source };
    all.push({ level: options.strict ? 'error' : 'warning', ...where, title: `Unmanaged: ${what}`, message: u.note });
  }
  for (const d of view.diagnostics) {
    const source = d.file !== undefined && d.line !== undefined ? { file: d.file, line: d.line, col: d.col ?? 1 } : undefined;
    const message = d.hint ? `${d.message} (${d.hint})` : d.message;
    all.push({ level: d.severity, ...(source ? { source } : {}), title: 'daffeinated', message });
  }
  const lines = (['error', 'warning'] as const).flatMap((level) => capped(all.filter((a) => a.level === level)));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The annotations GitHub will show: all of them, or the first ones and one that counts the rest. */
function capped(annotations: readonly Annotation[]): string[] {
  if (annotations.length <= ANNOTATIONS_PER_LEVEL) return annotations.map(command);
  const shown = annotations.slice(0, ANNOTATIONS_PER_LEVEL - 1);
  const rest = annotations.length - shown.length;
  const level = annotations[0]?.level ?? 'error';
  const more = `${rest} more ${level === 'error' ? 'errors' : 'warnings'} (GitHub shows ${ANNOTATIONS_PER_LEVEL} per step); the step summary lists every one`;
  return [...shown.map(command), command({ level, title: `daffeinated: ${rest} more`, message: more })];
}

function rowMessage(row: AttributeRow): string {
  const live = row.before?.text ?? '(absent)';
  const desired = row.after?.text ?? '(absent)';
  if (row.sensitive) return `${row.name} differs from app.yaml (sensitive: values not shown)`;
  return `${row.name} is ${live} live; app.yaml says ${desired}`;
}

function changeMessage(change: ChangeView): string {
  switch (change.action) {
    case 'create':
      return `${change.address} is declared in app.yaml but does not exist`;
    case 'delete':
      return `${change.address} exists but app.yaml no longer declares it`;
    case 'replace':
      return `${change.address} must be replaced (${(change.because ?? []).join(', ')})`;
    case 'update':
      return `${change.address} differs from app.yaml`;
  }
}

function command(annotation: Annotation): string {
  const { source } = annotation;
  const properties = [
    ...(source === undefined ? [] : [`file=${property(source.file)}`, `line=${source.line}`, `col=${source.col}`]),
    `title=${property(annotation.title)}`,
  ];
  return `::${annotation.level} ${properties.join(',')}::${data(annotation.message)}`;
}

/** One `::error` workflow command without a location, e.g. for a check that could not run. */
export function githubError(title: string, message: string): string {
  return `${command({ level: 'error', title, message })}\n`;
}

/** Escaping of workflow command data, as the runner decodes it. */
function data(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function property(text: string): string {
  return data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
