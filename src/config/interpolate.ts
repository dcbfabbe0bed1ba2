/**
 * `${VAR}` interpolation in string values (never in keys). `$${` writes a literal `${`. An unset
 * variable is an error located at the value (never an empty string); an empty one is a value.
 */
import type { Diagnostic } from '../runtime/diagnostics.js';
import { NAMES } from './constants.js';
import { defineEntry, formatPath, isPlainMap, type ParsedTree, pathId, type Segment, valuePosition } from './tree.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  /** The tree with every string interpolated; values that failed keep their text as written. */
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
  /** `pathId`s of values that failed: later checks skip them, the problem is already reported. */
  readonly failed: ReadonlySet<string>;
  /**
   * `pathId`s of values that took text from the environment (`${VAR}`, not `$${`): such a value may
   * hold a secret (`postgres://u:${DB_PASS}@host/db`), so a config var made of it is sensitive.
   */
  readonly substituted: ReadonlySet<string>;
}

export function interpolateTree(tree: ParsedTree, env: Env): Interpolated {
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<string>();
  const substituted = new Set<string>();
  // The path of the value being visited, extended and shortened in place (read only on failure).
  const path: Segment[] = [];
  const child = (key: Segment, item: unknown): unknown => {
    path.push(key);
    const result = visit(item);
    path.pop();
    return result;
  };
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const result = interpolateString(value, env);
      if (result.ok) {
        if (result.substituted) substituted.add(pathId(path));
        return result.value;
      }
      failed.add(pathId(path));
      diagnostics.push({
        severity: 'error',
        message: result.message,
        file: tree.file,
        ...valuePosition(tree, path),
        ...(path.length ? { path: formatPath(path) } : {}),
        hint: result.hint,
      });
      return value;
    }
    if (Array.isArray(value)) return value.map((item, index) => child(index, item));
    if (isPlainMap(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) defineEntry(out, key, child(key, item));
      return out;
    }
    return value;
  };
  return { value: visit(tree.value), diagnostics, failed, substituted };
}

export type StringResult =
  | { readonly ok: true; readonly value: string; readonly substituted: boolean }
  | { readonly ok: false; readonly message: string; readonly hint: string };

export function interpolateString(text: string, env: Env): StringResult {
  // Without `${` (which `$${` also contains) every character is copied as it is.
  if (!text.includes('${')) return { ok: true, value: text, substituted: false };
  let out = '';
  let substituted = false;
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    const name = end === -1 ? undefined : text.slice(i + 2, end);
    if (name === undefined || !NAMES.envVar.pattern.test(name)) {
      const shown = end === -1 ? text.slice(i) : text.slice(i, end + 1);
      return {
        ok: false,
        message: `malformed interpolation ${JSON.stringify(shown)}`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax.
        hint: 'write ${NAME} with a variable name (letters, digits, _), or $${ for a literal ${',
      };
    }
    const value = env[name];
    if (value === undefined) {
      return {
        ok: false,
        message: `environment variable ${name} is not set`,
        hint: `set ${name}, or write $\${${name}} for a literal \${${name}}`,
      };
    }
    out += value;
    substituted = true;
    i = end + 1;
  }
  return { ok: true, value: out, substituted };
}
