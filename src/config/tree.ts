/**
 * The neutral form of a parsed app.yaml that every stage after `load.ts` works on: plain data
 * (maps are plain objects, sequences arrays, scalars as YAML resolved them) plus, per node, where it
 * was written. Nothing here knows about the YAML library.
 */

/** One step into the tree: a map key or a sequence index. */
export type Segment = string | number;
export type Path = readonly Segment[];

/** 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export interface NodeInfo {
  /** Where the value starts. */
  readonly value: Position;
  /** Where the key starts, for map entries. */
  readonly key?: Position;
  /** Character offsets covered by the entry (key included), used to place syntax errors. */
  readonly range: readonly [number, number];
  /** The text as written, for plain scalars (`1.10` for the number 1.1). */
  readonly text?: string;
}

export interface ParsedTree {
  /** The file name used in diagnostics and locations. */
  readonly file: string;
  readonly value: unknown;
  /** Keyed by `pathId`. Nodes under an alias are not listed: lookups fall back to the alias. */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
}

export type PlainMap = { readonly [key: string]: unknown };

/** Dotted form for people and for `sources` keys: `environments.staging.dns[0].name`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Unambiguous map key for a path (dotted paths are ambiguous when a key contains a dot). */
export function pathId(path: Path): string {
  return JSON.stringify(path);
}

export function isPlainMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined when any step is missing or of the wrong kind. */
export function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isPlainMap(current) || !Object.hasOwn(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/** A map entry of a plain map, or undefined (also for non-maps). */
export function entry(map: unknown, key: string): unknown {
  return isPlainMap(map) && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Own entries of a map in declaration order; empty for anything else. */
export function entries(map: unknown): [string, unknown][] {
  return isPlainMap(map) ? Object.entries(map) : [];
}

/** Sets an own enumerable property, safe for keys such as `__proto__`. */
export function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` is the only accessor of Object.prototype: for every other key, assigning to a plain
  // object defines the same own property, faster.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/**
 * The recorded node at `path`, else at its nearest recorded ancestor (a value under an alias, or a
 * key that is missing). `exact` tells which of the two it is.
 */
export function nearestNode(tree: ParsedTree, path: Path): { info: NodeInfo; exact: boolean } | undefined {
  for (let length = path.length; length >= 0; length--) {
    const info = tree.nodes.get(pathId(length === path.length ? path : path.slice(0, length)));
    if (info) return { info, exact: length === path.length };
  }
  return undefined;
}

/**
 * Where to point for a value: the value itself when recorded; for a missing key, the entry that
 * should hold it (its key), else the nearest recorded ancestor.
 */
export function valuePosition(tree: ParsedTree, path: Path): Position {
  const found = nearestNode(tree, path);
  if (!found) return { line: 1, col: 1 };
  if (found.exact) return found.info.value;
  return found.info.key ?? found.info.value;
}

/** Where a declaration is: the key of a map entry, else the value (sequence items, the root). */
export function declarationPosition(tree: ParsedTree, path: Path): Position {
  const found = nearestNode(tree, path);
  if (!found) return { line: 1, col: 1 };
  return found.info.key ?? found.info.value;
}
