/** The narrowest column a wrapped value or text gets, however deep its indent or small the width. */
export const MIN_COLUMN = 20;

/**
 * Splits a one-line value into pieces of at most `width` characters, breaking after a `,` or a space
 * in the second half of a piece when there is one (a space at a break is dropped: the break shows
 * it), else exactly at `width`.
 */
export function wrapValue(text: string, width: number): string[] {
  const size = Math.max(1, Math.floor(width));
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const window = rest.slice(0, size + 1);
    const at = Math.max(window.lastIndexOf(', ') + 1, window.lastIndexOf(',', size - 1) + 1, window.lastIndexOf(' '));
    const cut = at > size / 2 ? at : size;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ /, '');
  }
  pieces.push(rest);
  return pieces;
}

/** Splits `text` into pieces of exactly `width` characters (the last may be shorter). */
export function hardWrap(text: string, width: number): string[] {
  const size = Math.max(1, Math.floor(width));
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/**
 * Breaks prose at spaces into lines of at most `width` characters; keeps the text's own line breaks
 * and splits over-long words.
 */
export function wordWrap(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, width));
}

function wrapParagraph(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = hardWrap(word, width);
    line = pieces.pop() ?? '';
    lines.push(...pieces);
  }
  lines.push(line);
  return lines;
}

/** The width left after `used` columns, never below MIN_COLUMN. */
export function remaining(width: number, used: number): number {
  return Math.max(MIN_COLUMN, width - used);
}
