import type { Diagnostic } from '../runtime/diagnostics.js';
import { expectedSummary } from './expected.js';
import { formatLocation } from '../runtime/diagnostics.js';
import type { AttributeRow, ChangeView, PlanView, ViewValue } from './view-model.js';
import { rowNotes } from './view-model.js';

const HEADER = ['| Action | Address | Attribute | Before | After |', '| --- | --- | --- | --- | --- |'];
const DRIFT_HEADER = ['| Action | Address | Attribute | Live | app.yaml |', '| --- | --- | --- | --- | --- |'];

/**
 * GitHub-flavoured markdown for an issue or PR comment: a title, the summary line, one table per
 * provider (`| Action | Address | Attribute | Before | After |`, one row per attribute, action and
 * address on a change's first row), then Deferred, Unmanaged (not touched), Cost and Diagnostics as
 * lists, and the expected items as one collapsed line.
 * Every cell is escaped (pipes, line breaks); values are code spans. Ends in a newline.
 */
export function renderMarkdown(view: PlanView): string {
  const blocks: string[][] = [[`## daffeinated ${view.mode}`], [`**${escapeText(view.summary.text)}**`]];
  if (view.scopes.length > 0) blocks.push([`Scopes: ${view.scopes.map(code).join(', ')}`]);
  // One table per provider, Heroku first; within it the view's order (a drift's is app.yaml's).
  for (const provider of ['heroku', 'cloudflare'] as const) {
    const items = view.changes.filter((c) => c.provider === provider);
    if (items.length === 0) continue;
    const header = view.kind === 'drift' ? DRIFT_HEADER : HEADER;
    blocks.push([`### ${provider}`], [...header, ...items.flatMap(changeRows)]);
  }
  if (view.steps.length > 0) {
    blocks.push(['### Applied in steps'], view.steps.map((s) => `- ${code(s.address)}: ${escapeText(s.note)}`));
  }
  if (view.deferred.length > 0) {
    blocks.push(
      ['### Deferred'],
      view.deferred.map((d) => `- ${code(d.address)}: ${escapeText(d.reason)}`),
    );
  }
  if (view.unmanaged.length > 0) {
    const items = view.unmanaged.map(
      (u) =>
        `- ${code(u.address)}${u.attribute === undefined ? '' : ` ${code(u.attribute)}`}` +
        `${u.source === undefined ? '' : ` (${code(u.source.text)})`}: ${escapeText(u.note)}`,
    );
    blocks.push(['### Unmanaged (not touched)'], items);
  }
  if (view.accepted.length > 0) {
    const items = view.accepted.map(
      (a) =>
        `- ${code(a.address)}${a.attribute === undefined ? '' : ` ${code(a.attribute)}`}: ${escapeText(a.reason)}` +
        `${a.expires === undefined ? '' : ` (until ${a.expires})`}${a.source === undefined ? '' : ` — ${code(a.source.text)}`}`,
    );
    blocks.push(['### Accepted drift (drift.ignore)'], items);
  }
  if (view.cost !== undefined) {
    const items = [
      ...view.cost.lines.map((line) => `- ${code(line.address)}: ${escapeText(line.text)}`),
      ...view.cost.unpriced.map((u) => `- ${code(u.address)}: not priced: ${escapeText(u.reason)}`),
      `- **Total: ${escapeText(view.cost.totalText)}**`,
    ];
    blocks.push(['### Cost (monthly)'], items);
  }
  if (view.diagnostics.length > 0) blocks.push(['### Diagnostics'], view.diagnostics.map(diagnosticItem));
  const expected = expectedSummary(view.expected);
  if (expected !== undefined) {
    const items = view.expected.map(
      (e) => `- ${code(e.address)}${e.attribute === undefined ? '' : ` ${code(e.attribute)}`}: ${escapeText(e.note)}`,
    );
    blocks.push(['<details>', `<summary>${escapeText(expected)}</summary>`], items, ['</details>']);
  }
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function changeRows(change: ChangeView): string[] {
  const first = [escapeCell(change.action), escapeCell(code(change.address))];
  if (change.rows.length === 0) return [tableRow([...first, '', '', ''])];
  return change.rows.map((row, i) => tableRow([...(i === 0 ? first : ['', '']), ...attributeCells(row)]));
}

function attributeCells(row: AttributeRow): string[] {
  const notes = rowNotes(row);
  const name = `${code(row.name)}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
  return [name, valueCell(row.before), valueCell(row.after)].map(escapeCell);
}

function valueCell(value: ViewValue | undefined): string {
  if (!value) return '';
  return value.kind === 'literal' ? code(value.text) : `_${value.text}_`;
}

function diagnosticItem(d: Diagnostic): string {
  const where = formatLocation(d);
  const at = d.path ? ` (at ${code(d.path)})` : '';
  const hint = d.hint ? `<br>hint: ${escapeText(d.hint)}` : '';
  return `- **${d.severity}**${where ? ` ${code(where)}` : ''}: ${escapeText(d.message)}${at}${hint}`;
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A code span whose fence is longer than any backtick run inside, so any text survives. */
export function code(text: string): string {
  if (text === '') return '` `';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Table cell: a pipe would end the cell and a line break the row (GFM unescapes `\|` in code spans too). */
export function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

/** Prose outside code spans: markdown punctuation escaped, line breaks kept as `<br>`. */
export function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`).replace(/\r?\n/g, '<br>');
}
