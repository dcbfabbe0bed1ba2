import type { AttributeRow, ChangeView, PlanView, SourceView } from './view-model.js';

/**
 * GitHub Actions workflow commands for a drift report: one `::error` per drifted attribute (or
 * change) pointing at the app.yaml line that declares it, `::warning` for unmanaged resources
 * (`::error` with `strict`), `::notice` for accepted drift, and diagnostics with their locations.
 * Values come from the view, so they are already redacted. Ends in a newline, or is empty.
 */
export function renderGithubAnnotations(view: PlanView, options: { readonly strict?: boolean } = {}): string {
  const lines: string[] = [];
  for (const change of view.changes) {
    const changed = change.rows.filter((row) => row.changed);
    if (change.action === 'update' && changed.length > 0) {
      for (const row of changed) lines.push(command('error', row.source ?? change.source, `Drift: ${change.address}`, rowMessage(row)));
    } else {
      lines.push(command('error', change.source, `Drift: ${change.address}`, changeMessage(change)));
    }
  }
  for (const u of view.unmanaged) {
    const what = u.attribute === undefined ? u.address : `${u.address} ${u.attribute}`;
    lines.push(command(options.strict ? 'error' : 'warning', undefined, `Unmanaged: ${what}`, u.note));
  }
  for (const a of view.accepted) {
    const what = a.attribute === undefined ? a.address : `${a.address} ${a.attribute}`;
    lines.push(command('notice', a.source, `Accepted drift: ${what}`, `${a.reason}${a.expires ? ` (until ${a.expires})` : ''}`));
  }
  for (const d of view.diagnostics) {
    const source = d.file !== undefined && d.line !== undefined ? { file: d.file, line: d.line, col: d.col ?? 1, text: '' } : undefined;
    lines.push(command(d.severity === 'error' ? 'error' : 'warning', source, 'daffeinated', d.hint ? `${d.message} (${d.hint})` : d.message));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
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

function command(level: 'error' | 'warning' | 'notice', source: Omit<SourceView, 'text'> | undefined, title: string, message: string): string {
  const properties = [
    ...(source === undefined ? [] : [`file=${property(source.file)}`, `line=${source.line}`, `col=${source.col}`]),
    `title=${property(title)}`,
  ];
  return `::${level} ${properties.join(',')}::${data(message)}`;
}

/** Escaping of workflow command data, as the runner decodes it. */
function data(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function property(text: string): string {
  return data(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
