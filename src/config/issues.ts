/**
 * Turns schema issues into located diagnostics with readable messages: unknown keys get a
 * did-you-mean, missing keys point at the map that should hold them, failed unions report the
 * alternative the value was evidently meant to be.
 */
import type { Diagnostic } from '../runtime/diagnostics.js';
import { allowedKeysAt } from './keys.js';
import { ENVIRONMENT_KEYS, type RawIssue } from './schema.js';
import { closest, suggestionHint } from './suggest.js';
import {
  declarationPosition,
  formatPath,
  isPlainMap,
  nearestNode,
  type ParsedTree,
  type Path,
  type Position,
  type Segment,
  valueAt,
  valuePosition,
} from './tree.js';

/**
 * `value` is the document the schema checked (interpolated): messages quote it, while positions
 * and the text of numbers as written come from `tree`.
 */
export function shapeDiagnostics(issues: readonly RawIssue[], tree: ParsedTree, value: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) collect(issue, [], { tree, value }, out);
  return out;
}

interface Source {
  readonly tree: ParsedTree;
  readonly value: unknown;
}

function toPath(base: Path, path: readonly PropertyKey[]): Segment[] {
  return [...base, ...path.map((s) => (typeof s === 'number' ? s : String(s)))];
}

function collect(issue: RawIssue, base: Path, source: Source, out: Diagnostic[]): void {
  const { tree } = source;
  const path = toPath(base, issue.path);
  const make = (position: Position, message: string, hint?: string): Diagnostic => ({
    severity: 'error',
    message,
    file: tree.file,
    ...position,
    ...(path.length ? { path: formatPath(path) } : {}),
    ...(hint === undefined ? {} : { hint }),
  });
  const input = valueAt(source.value, path);
  const last = path[path.length - 1];
  if (input === undefined && typeof last === 'string' && isPlainMap(valueAt(source.value, path.slice(0, -1)))) {
    out.push(make(declarationPosition(tree, path.slice(0, -1)), `missing required key "${last}"`));
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys ?? []) {
        const keyPath = [...path, key];
        out.push({
          ...make(declarationPosition(tree, keyPath), `unknown key "${key}"`, unknownKeyHint(key, path)),
          path: formatPath(keyPath),
        });
      }
      return;
    case 'invalid_union': {
      const branch = chooseBranch(issue.errors ?? []);
      if (branch) {
        for (const inner of branch) collect(inner, path, source, out);
        return;
      }
      const expected = (issue.errors ?? []).flatMap((b) => b.map((i) => alternativeName(i.expected ?? 'object')));
      out.push(
        make(
          valuePosition(tree, path),
          `expected ${orList([...new Set(expected)])}, got ${describe(input)}`,
          emptyHint(input),
        ),
      );
      return;
    }
    case 'invalid_key': {
      const inner = issue.issues?.[0];
      out.push(make(declarationPosition(tree, path), inner?.message ?? `invalid key "${String(last)}"`));
      return;
    }
    case 'invalid_type':
      out.push(
        make(
          valuePosition(tree, path),
          typeMessage(issue.expected ?? 'object', input),
          quoteHint(issue.expected, input, tree, path) ?? emptyHint(input),
        ),
      );
      return;
    case 'too_small':
    case 'too_big':
      out.push(make(valuePosition(tree, path), rangeMessage(issue)));
      return;
    case 'invalid_value': {
      // Only enums (all string-valued) produce this code in our schema.
      const values = (issue.values ?? []).map(String);
      const match = typeof input === 'string' ? closest(input, values) : undefined;
      const hint =
        quoteHint('string', input, tree, path) ?? (match === undefined ? undefined : `did you mean "${match}"?`);
      const message = `expected ${orList(values.map((v) => JSON.stringify(v)))}, got ${describe(input)}`;
      out.push(make(valuePosition(tree, path), message, hint));
      return;
    }
    default: {
      const suggest = issue.params?.suggest;
      const hint =
        issue.params?.hint ??
        (suggest && typeof input === 'string' ? suggestionHint(input.toLowerCase(), suggest, 'known') : undefined);
      out.push(make(valuePosition(tree, path), issue.message, hint));
    }
  }
}

/**
 * The union alternative the value was meant to be: one whose type matched (its issues are not a
 * type mismatch of the value itself), fewest issues first. Undefined when no alternative matched.
 */
function chooseBranch(branches: readonly (readonly RawIssue[])[]): readonly RawIssue[] | undefined {
  const matching = branches.filter((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
  return [...matching].sort((a, b) => a.length - b.length)[0];
}

function unknownKeyHint(key: string, mapPath: Path): string | undefined {
  if (key === '<<') return 'YAML merge keys are not supported: put shared settings under `defaults:`';
  if (mapPath.length === 0 && ENVIRONMENT_KEYS.includes(key)) {
    return `"${key}" is an environment setting: put it under \`defaults:\` or under an environment`;
  }
  return suggestionHint(key, allowedKeysAt(mapPath));
}

const EXPECTED: { readonly [type: string]: string } = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

function expectedName(type: string): string {
  return EXPECTED[type] ?? type;
}

/** In a list of alternatives "true or false" would read badly. */
function alternativeName(type: string): string {
  return type === 'boolean' ? 'a boolean' : expectedName(type);
}

/** `key:` with nothing after it is null in YAML. */
function emptyHint(input: unknown): string | undefined {
  return input === null ? 'write a value after the colon (`""` for an empty string)' : undefined;
}

function typeMessage(expected: string, input: unknown): string {
  if (expected === 'int' && typeof input === 'number') return `expected a whole number, got ${input}`;
  return `expected ${expectedName(expected)}, got ${describe(input)}`;
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `the string ${JSON.stringify(value)}`;
}

/** YAML reads `1.2` and `true` as a number and a boolean; where a string is wanted, say to quote. */
function quoteHint(expected: string | undefined, input: unknown, tree: ParsedTree, path: Path): string | undefined {
  if (expected !== 'string' || (typeof input !== 'number' && typeof input !== 'boolean')) return undefined;
  const found = nearestNode(tree, path);
  const written = found?.exact && found.info.text !== undefined ? found.info.text : String(input);
  return `quote it to make it a string: "${written}"`;
}

/** The schema bounds numbers (both ways), strings (non-empty) and lists (non-empty). */
function rangeMessage(issue: RawIssue): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') return 'must not be empty';
  if (issue.origin === 'array') return `needs at least ${bound} item${bound === 1 ? '' : 's'}`;
  return `must be ${small ? 'at least' : 'at most'} ${bound}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
