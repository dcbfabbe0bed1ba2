/**
 * Map keys that JavaScript objects treat specially (`__proto__` sets the prototype; `constructor`
 * and `prototype` are found on every object): as names they would be dropped or read as
 * something else downstream, so app.yaml refuses them wherever a key is a name.
 */
import type { Diagnostic } from '../runtime/diagnostics.js';
import { declarationPosition, entries, formatPath, type ParsedTree, type Path, type Segment } from './tree.js';

const RESERVED: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** What the keys of a map are, by the map's own key (`environments`, `config`, …). */
const NAMED: Readonly<Record<string, string>> = {
  environments: 'environment name',
  config: 'config var name',
  addons: 'add-on name',
  formation: 'process type',
  options: 'add-on option',
  zones: 'zone name',
};

/** One error per reserved key in the parsed document, at the key. */
export function reservedKeys(tree: ParsedTree): Diagnostic[] {
  const found: Diagnostic[] = [];
  // The path of the node being visited, extended and shortened in place (copied only on a find).
  const path: Segment[] = [];
  const visit = (value: unknown): void => {
    const children: [Segment, unknown][] = Array.isArray(value) ? [...value.entries()] : entries(value);
    for (const [key, item] of children) {
      if (typeof key === 'string' && RESERVED.has(key)) {
        found.push(reserved(tree, [...path, key]));
        continue;
      }
      path.push(key);
      visit(item);
      path.pop();
    }
  };
  visit(tree.value);
  return found;
}

function reserved(tree: ParsedTree, at: Path): Diagnostic {
  const key = String(at[at.length - 1]);
  const parent = at[at.length - 2];
  const what = (typeof parent === 'string' ? NAMED[parent] : undefined) ?? 'key';
  return {
    severity: 'error',
    message: `"${key}" cannot be used as ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}: it is reserved`,
    file: tree.file,
    ...declarationPosition(tree, at),
    path: formatPath(at),
    hint: 'choose another name: __proto__, constructor and prototype are reserved',
  };
}
