import { actionStyle, createPalette, type Palette, type Style } from './colors.js';
import { diagnosticLines } from './diagnostics.js';
import { expectedSummary } from './expected.js';
import type { AttributeRow, ChangeView, PlanView, ViewValue } from './view-model.js';
import { groupBy, rowNotes } from './view-model.js';
import { MIN_COLUMN, remaining, wordWrap, wrapValue } from './wrap.js';

export interface HumanRenderOptions {
  /** ANSI colour; the caller decides (TTY, NO_COLOR). Default false. */
  readonly color?: boolean;
  /** Column at which long values and notes wrap. Addresses and diagnostics never wrap. Default 100. */
  readonly width?: number;
  /**
   * List what is expected (add-on vars, certificate statuses) and, in a drift check, what is
   * deferred, item by item; otherwise each is one line. Default false.
   */
  readonly verbose?: boolean;
}

export const DEFAULT_WIDTH = 100;
const CHANGE_INDENT = '  ';
const ROW_INDENT = '      ';

/** A run of text and its style; widths are measured on the text, before colour is added. */
interface Piece {
  readonly text: string;
  readonly style?: Style;
}
type Line = readonly Piece[];

/**
 * Terraform-like text: changes grouped by provider then scope, attribute rows aligned, then the
 * Deferred, "Unmanaged (not touched)" and accepted-drift sections, diagnostics, the expected items
 * as one line (listed with `verbose`), and the summary line last. A drift check also shows its
 * deferrals as one line unless `verbose`: a clean check is a few lines.
 * Layout only: every value was formatted and redacted by `toPlanView`. Ends in a newline.
 */
export function renderHuman(view: PlanView, options: HumanRenderOptions = {}): string {
  const palette = createPalette(options.color ?? false);
  const width = options.width ?? DEFAULT_WIDTH;
  const sections: string[][] = [
    ...groupBy(view.changes, (c) => `${c.provider} · ${c.scope}`).map((group) => [
      palette.bold(group.key),
      ...group.items.flatMap((change) => changeLines(change, palette, width)),
    ]),
  ];
  if (view.steps.length > 0) {
    const items = view.steps.map((s) => [s.address, s.note] as const);
    sections.push(listSection('Applied in steps:', items, palette, width));
  }
  const verbose = options.verbose ?? false;
  const quiet: string[] = [];
  if (view.deferred.length > 0 && view.kind === 'drift' && !verbose) {
    quiet.push(`${view.deferred.length} deferred until a later step, e.g. a release (--verbose lists them)`);
  } else if (view.deferred.length > 0) {
    const items = view.deferred.map((d) => [d.address, d.reason] as const);
    sections.push(listSection('Deferred:', items, palette, width));
  }
  if (view.unmanaged.length > 0) {
    const items = view.unmanaged.map(
      (u) => [`${u.attribute ? `${u.address} ${u.attribute}` : u.address}${u.source ? ` (${u.source.text})` : ''}`, u.note] as const,
    );
    sections.push(listSection('Unmanaged (not touched):', items, palette, width));
  }
  if (view.accepted.length > 0) {
    const items = view.accepted.map(
      (a) =>
        [
          a.attribute ? `${a.address} ${a.attribute}` : a.address,
          `${a.reason}${a.expires ? ` (until ${a.expires})` : ''}${a.source ? ` # ${a.source.text}` : ''}`,
        ] as const,
    );
    sections.push(listSection('Accepted drift (drift.ignore):', items, palette, width));
  }
  if (view.cost !== undefined) {
    const items = [
      ...view.cost.lines.map((line) => [line.address, line.text] as const),
      ...view.cost.unpriced.map((u) => [u.address, `not priced: ${u.reason}`] as const),
      ['Total', view.cost.totalText] as const,
    ];
    sections.push(listSection('Cost (monthly, from Heroku\'s price list):', items, palette, width));
  }
  if (view.diagnostics.length > 0) sections.push(diagnosticLines(view.diagnostics, palette));
  const expected = expectedSummary(view.expected);
  if (expected !== undefined && verbose) {
    const items = view.expected.map((e) => [e.attribute ? `${e.address} ${e.attribute}` : e.address, e.note] as const);
    sections.push(listSection(`Expected (${expected}):`, items, palette, width));
  } else if (expected !== undefined) {
    quiet.push(palette.dim(`${expected} (--verbose lists them)`));
  }
  if (quiet.length > 0) sections.push(quiet);
  sections.push([palette.bold(view.summary.text)]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function changeLines(change: ChangeView, palette: Palette, width: number): string[] {
  const head: Piece[] = [
    { text: CHANGE_INDENT },
    { text: change.symbol, style: actionStyle(palette, change.action) },
    { text: ' ' },
    { text: change.address, style: palette.bold },
  ];
  const lines: Line[] = [head];
  if (change.source) {
    const where: Piece = { text: `# ${change.source.text}`, style: palette.dim };
    if (length(head) + 2 + where.text.length <= width) head.push({ text: '  ' }, where);
    else lines.push([{ text: ROW_INDENT }, where]);
  }
  const nameWidth = Math.max(0, ...change.rows.map((r) => r.name.length));
  const out = lines.map((line) => paint(line));
  for (const row of change.rows) {
    const rowLines = attributeLines(row, nameWidth, palette, width);
    out.push(...(row.changed ? rowLines.map((line) => paint(line)) : rowLines.map((line) => palette.dim(plain(line)))));
  }
  return out;
}

/**
 * `name: before → after` when both sides exist, `+ name = after` / `- name = before` otherwise.
 * A row wider than `width` puts `→ after` on its own line; a value still too wide is cut into
 * pieces that continue at the value's column.
 */
function attributeLines(row: AttributeRow, nameWidth: number, palette: Palette, width: number): Line[] {
  const { before, after } = row;
  const label: Piece[] = [{ text: ROW_INDENT }];
  if (before && after) label.push({ text: `${`${row.name}:`.padEnd(nameWidth + 1)} ` });
  else if (after) label.push({ text: '+', style: palette.create }, { text: ` ${row.name.padEnd(nameWidth)} = ` });
  else if (before) label.push({ text: '-', style: palette.delete }, { text: ` ${row.name.padEnd(nameWidth)} = ` });
  else label.push({ text: `${row.name}:` });
  // A name so long that its values would not fit beside it (a rule's field) stands on its own line.
  const alone = width - length(label) < MIN_COLUMN;
  const head: Piece[][] = alone ? [label.map((piece, i) => (i === label.length - 1 ? { ...piece, text: piece.text.trimEnd() } : piece))] : [];
  if (alone) label.splice(0, label.length, { text: `${ROW_INDENT}    ` });
  const column = length(label);
  const valueWidth = remaining(width, column);
  let lines: Piece[][];
  if (before && after) {
    const arrow: Piece = { text: ' → ' };
    if (before.text.length + arrow.text.length + after.text.length <= valueWidth) {
      lines = [[...label, valuePiece(before, palette), arrow, valuePiece(after, palette)]];
    } else {
      lines = [
        ...valueLines(label, before, column, valueWidth, palette),
        ...valueLines([{ text: `${' '.repeat(column - 2)}→ ` }], after, column, valueWidth, palette),
      ];
    }
  } else {
    const value = after ?? before;
    lines = value ? valueLines(label, value, column, valueWidth, palette) : [label];
  }
  return [...head, ...annotate(lines, rowNotes(row), column, palette, width)];
}

function valueLines(label: Line, value: ViewValue, column: number, valueWidth: number, palette: Palette): Piece[][] {
  return wrapValue(value.text, valueWidth).map((piece, i) => [
    ...(i === 0 ? label : [{ text: ' '.repeat(column) }]),
    { ...valuePiece(value, palette), text: piece },
  ]);
}

function valuePiece(value: ViewValue, palette: Palette): Piece {
  return value.kind === 'literal' ? { text: value.text } : { text: value.text, style: palette.dim };
}

/** Appends `# note, note` to the last line, or on a line of its own when it would not fit. */
function annotate(lines: Piece[][], list: readonly string[], column: number, palette: Palette, width: number) {
  const last = lines.at(-1);
  if (list.length === 0 || !last) return lines;
  const comment: Piece = { text: `# ${list.join(', ')}`, style: palette.dim };
  if (length(last) + 2 + comment.text.length <= width) last.push({ text: '  ' }, comment);
  else lines.push([{ text: ' '.repeat(column) }, comment]);
  return lines;
}

/** `  label: text`, or the label alone with the text wrapped below it when the line is too long. */
function listSection(title: string, items: readonly (readonly [string, string])[], palette: Palette, width: number) {
  const lines = [palette.bold(title)];
  for (const [label, text] of items) {
    const line = `${CHANGE_INDENT}${label}: ${text}`;
    if (line.length <= width && !text.includes('\n')) lines.push(line);
    else lines.push(`${CHANGE_INDENT}${label}:`, ...wordWrap(text, remaining(width, 4)).map((l) => `    ${l}`));
  }
  return lines;
}

function length(line: Line): number {
  return line.reduce((n, piece) => n + piece.text.length, 0);
}

function plain(line: Line): string {
  return line.map((piece) => piece.text).join('');
}

function paint(line: Line): string {
  return line.map((piece) => (piece.style ? piece.style(piece.text) : piece.text)).join('');
}
