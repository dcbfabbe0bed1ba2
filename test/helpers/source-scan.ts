/**
 * Reading TypeScript source without a parser, for the architecture rules: `codeOnly` blanks
 * comments, string and template text and regular expression literals (a template's `${…}` stays
 * code), keeping every other character where it was, so a position in the result is the same
 * position in the source.
 */
export function codeOnly(text: string): string {
  const out = [...text];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  /** For each `${` still open, the brace depth its `}` returns to. */
  const templates: number[] = [];
  let depth = 0;
  let previous = '';
  let i = 0;
  const templateText = (start: number) => {
    let k = start;
    while (k < text.length && text[k] !== '`' && !(text[k] === '$' && text[k + 1] === '{')) k += text[k] === '\\' ? 2 : 1;
    blank(start, Math.min(k, text.length));
    if (text[k] === '$') {
      templates.push(depth);
      depth++;
      previous = '{';
      return k + 2;
    }
    previous = 'x';
    return k + 1;
  };
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < text.length && text[k] !== c && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1;
      blank(i + 1, k);
      previous = 'x';
      i = k + 1;
    } else if (c === '`') {
      i = templateText(i + 1);
    } else if (c === '/' && regexMayStart(text, i, previous)) {
      let k = i + 1;
      let inClass = false;
      while (k < text.length && text[k] !== '\n' && (inClass || text[k] !== '/')) {
        if (text[k] === '[') inClass = true;
        else if (text[k] === ']') inClass = false;
        k += text[k] === '\\' ? 2 : 1;
      }
      blank(i + 1, k);
      previous = 'x';
      i = k + 1;
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1) {
      templates.pop();
      depth--;
      i = templateText(i + 1);
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (!/\s/.test(c)) previous = c;
      i++;
    }
  }
  return out.join('');
}

/** A `/` starts a regular expression after an operator or keyword, never after a value. */
function regexMayStart(text: string, at: number, previous: string): boolean {
  if (previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous)) return true;
  const word = /([A-Za-z_$][\w$]*)\s*$/.exec(text.slice(Math.max(0, at - 20), at))?.[1];
  return word !== undefined && ['return', 'typeof', 'case', 'in', 'of', 'void', 'delete', 'throw', 'new', 'yield', 'await'].includes(word);
}

/**
 * Where the source reaches Node's `process` object, in any form: `process.env`, `process['env']`,
 * `const { env } = process`, `{ process }`, `globalThis.process`, `globalThis['process']`,
 * destructuring it from `globalThis`, or importing or requiring `process` / `node:process`.
 * Not counted: comments, strings, messages, and properties or members that happen to be named
 * `process` (`dyno.process`, `{ process: child }`, `private process(…)`).
 */
export function processUses(text: string): string[] {
  const code = codeOnly(text);
  const uses: string[] = [];
  const line = (at: number) => text.slice(text.lastIndexOf('\n', at - 1) + 1, text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at)).trim();
  for (const match of code.matchAll(/(?<![\w$.])process(?![\w$])/g)) {
    const before = code.slice(Math.max(0, match.index - 200), match.index).replace(/[ \t]+$/, '');
    const after = code.slice(match.index + 'process'.length, match.index + 'process'.length + 20);
    // A property or member named `process` (object key, interface field, method): not the global.
    const keyPosition = before.trim() === '' || /[{,;\n]$/.test(before) || /\b(private|public|protected|static|readonly|async|get|set)$/.test(before);
    if (keyPosition && /^\s*(\?\s*:|:|\()/.test(after)) continue;
    uses.push(line(match.index));
  }
  for (const match of code.matchAll(/\b(globalThis|global)\s*(\?\.|\.)\s*process\b/g)) uses.push(line(match.index));
  for (const match of text.matchAll(/\b(globalThis|global)\s*(\?\.)?\s*\[\s*(['"`])process\3\s*\]/g)) {
    if (code[match.index] !== ' ') uses.push(line(match.index));
  }
  for (const match of code.matchAll(/\{([^{}]*)\}\s*=\s*(globalThis|global)\b/g)) {
    if (/(?<![\w$])process(?![\w$])/.test(match[1] ?? '')) uses.push(line(match.index));
  }
  for (const match of text.matchAll(/\b(?:from|import|require)\s*\(?\s*(['"])(?:node:)?process\1/g)) {
    if (code[match.index] !== ' ') uses.push(line(match.index));
  }
  return uses;
}
