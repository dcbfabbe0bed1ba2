/**
 * Parsing app.yaml text: the only file that imports `yaml`. Produces a `ParsedTree` (plain data
 * plus the position of every node) so later stages never see YAML nodes.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { defineEntry, formatPath, type NodeInfo, type ParsedTree, type Path, type Position, pathId } from './tree.js';

/**
 * Bound on alias expansion (yaml's `maxAliasCount`): refuses "billion laughs" documents whose
 * aliases expand exponentially. A real app.yaml uses a handful of aliases, if any.
 */
export const MAX_ALIAS_COUNT = 100;

/** Bound on nesting, so that converting a hostile document cannot exhaust the stack. */
export const MAX_DEPTH = 64;

const SYNTAX_HINTS: { readonly [code: string]: string } = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation of this line against the lines above',
  MULTIPLE_DOCS: 'keep the whole configuration in one YAML document (remove the extra `---`)',
};

/**
 * Parses YAML text into a `ParsedTree`. Syntax errors, duplicate keys, non-scalar keys, unknown
 * tags and excessive or recursive aliases are reported (all of them, each located); any of them
 * means no tree, since the data cannot be trusted.
 */
export function parseYamlTree(text: string, file: string): { tree?: ParsedTree; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const position = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return p.line >= 1 ? p : { line: 1, col: p.col };
  };
  const walker = new Walker(doc, file, position);
  const value = walker.root();
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number, message: string, code: string) => {
    const path = walker.pathAt(offset);
    const hint = SYNTAX_HINTS[code];
    diagnostics.push({
      severity: 'error',
      message,
      file,
      ...position(offset),
      ...(path.length ? { path: formatPath(path) } : {}),
      ...(hint === undefined ? {} : { hint }),
    });
  };
  for (const error of doc.errors) report(error.pos[0], firstLine(error.message), error.code);
  for (const warning of doc.warnings) {
    const unknownTag = warning.code === 'TAG_RESOLVE_FAILED';
    diagnostics.push({
      severity: 'error',
      message: firstLine(warning.message),
      file,
      ...position(warning.pos[0]),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax.
      ...(unknownTag ? { hint: 'custom YAML tags are not supported; use ${VAR} or {from_env: VAR}' } : {}),
    });
  }
  diagnostics.push(...walker.diagnostics);
  if (diagnostics.length === 0) {
    const bomb = checkAliasExpansion(doc);
    if (bomb !== undefined) {
      diagnostics.push({
        severity: 'error',
        message: `too many alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb`,
        file,
        ...position(bomb),
        hint: 'use `defaults:` instead of deeply nested YAML aliases',
      });
    }
  }
  if (diagnostics.length > 0) return { diagnostics };
  return { tree: { file, value, nodes: walker.nodes }, diagnostics };
}

/**
 * YAML text for plain data (what `daffeinated import` writes): block style, keys in insertion
 * order, strings quoted only where YAML needs it, no line folding, no anchors; each `comments`
 * line becomes a leading `# ` comment. Reading the text back with `parseYamlTree` gives the data.
 */
export function stringifyYaml(value: unknown, comments: readonly string[] = []): string {
  const body = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  return `${comments.map((line) => `# ${line}\n`).join('')}${body}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * yaml's own expansion guard; returns the offset of the first alias when it trips. Runs after the
 * walk, which has already refused unknown and recursive aliases, so an exception here is the guard.
 */
function checkAliasExpansion(doc: Document): number | undefined {
  try {
    // mapAsMap: non-string keys would otherwise make yaml emit a process warning.
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
    return undefined;
  } catch {
    let offset = 0;
    const find = (node: unknown): boolean => {
      if (isAlias(node)) {
        offset = node.range?.[0] ?? 0;
        return true;
      }
      if (isMap(node)) return node.items.some((pair) => find(pair.key) || find(pair.value));
      if (isSeq(node)) return node.items.some(find);
      return false;
    };
    find(doc.contents);
    return offset;
  }
}

type Offsets = readonly [number, number, ...number[]] | null | undefined;

/** Turns the YAML AST into plain data and a position index, checking keys on the way. */
class Walker {
  readonly nodes = new Map<string, NodeInfo>();
  readonly diagnostics: Diagnostic[] = [];
  /** Values of anchored nodes already converted: aliases share them instead of re-walking. */
  private readonly converted = new Map<unknown, unknown>();
  /** Anchored nodes being converted: an alias to one of them is recursive. */
  private readonly inProgress = new Set<unknown>();

  constructor(
    private readonly doc: Document,
    private readonly file: string,
    private readonly position: (offset: number) => Position,
  ) {}

  root(): unknown {
    const contents = this.doc.contents;
    const range = (contents?.range ?? [0, 0]) as Offsets;
    this.record([], { value: this.position(range?.[0] ?? 0), range: [range?.[0] ?? 0, range?.[1] ?? 0] });
    return this.convert(contents, []);
  }

  /**
   * The deepest recorded path whose text covers `offset` (for placing syntax errors); of equally
   * deep ones, the first recorded. Each path is recorded once, so `nodes` holds them in walk order.
   */
  pathAt(offset: number): Path {
    let best: Path = [];
    for (const [id, { range }] of this.nodes) {
      if (offset < range[0] || offset > range[1]) continue;
      const path = JSON.parse(id) as Path;
      if (path.length > best.length) best = path;
    }
    return best;
  }

  private record(path: Path, info: NodeInfo): void {
    this.nodes.set(pathId(path), info);
  }

  private error(offset: number, path: Path, message: string, hint: string): void {
    this.diagnostics.push({
      severity: 'error',
      message,
      file: this.file,
      ...this.position(offset),
      ...(path.length ? { path: formatPath(path) } : {}),
      hint,
    });
  }

  private convert(node: unknown, path: Path): unknown {
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) {
        this.error(
          node.range?.[0] ?? 0,
          path,
          `unknown alias *${node.source}`,
          `define the anchor &${node.source} before using it`,
        );
        return null;
      }
      if (this.inProgress.has(target)) {
        this.error(
          node.range?.[0] ?? 0,
          path,
          `alias *${node.source} refers to a node that contains it`,
          'a configuration cannot be recursive',
        );
        return null;
      }
      return this.converted.has(target) ? this.converted.get(target) : this.convert(target, path);
    }
    // An alias resolves to a node carrying its anchor: only those need remembering.
    if ((node as { anchor?: unknown } | null)?.anchor === undefined) return this.convertNode(node, path);
    this.inProgress.add(node);
    try {
      const value = this.convertNode(node, path);
      this.converted.set(node, value);
      return value;
    } finally {
      this.inProgress.delete(node);
    }
  }

  private convertNode(node: unknown, path: Path): unknown {
    if (isScalar(node)) return node.value ?? null;
    if (path.length >= MAX_DEPTH && (isSeq(node) || isMap(node))) {
      this.error(
        node.range?.[0] ?? 0,
        path,
        `nested deeper than ${MAX_DEPTH} levels`,
        'app.yaml is a shallow document',
      );
      return null;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        const range = (item as { range?: Offsets } | null)?.range;
        const start = range?.[0] ?? 0;
        const itemPath = [...path, index];
        this.record(itemPath, { value: this.position(start), range: [start, range?.[1] ?? start] });
        return this.convert(item, itemPath);
      });
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as { range?: Offsets } | null;
        const keyStart = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
        if (!isScalar(pair.key) || pair.key.value === null || pair.key.value === undefined) {
          this.error(keyStart, path, 'map keys must be plain strings', 'write the key as a plain word, e.g. `web:`');
          continue;
        }
        const raw = pair.key.value;
        const key = typeof raw === 'string' ? raw : (pair.key.source ?? String(raw));
        const keyPosition = this.position(keyStart);
        const entryPath = [...path, key];
        const id = pathId(entryPath);
        // The first entry of a key is recorded, with where its key is.
        const first = this.nodes.get(id)?.key;
        if (first) {
          this.error(
            keyStart,
            entryPath,
            `duplicate key "${key}"`,
            `"${key}" is already set at line ${first.line}, column ${first.col}; each key may appear once in a map`,
          );
          continue;
        }
        const valueNode = pair.value as { range?: Offsets; source?: unknown; type?: unknown } | null;
        const valueStart = valueNode?.range?.[0];
        const end = valueNode?.range?.[1] ?? keyNode?.range?.[1] ?? keyStart;
        const text =
          isScalar(valueNode) && valueNode.type === 'PLAIN' && typeof valueNode.value === 'number'
            ? valueNode.source
            : undefined;
        const info: NodeInfo = {
          value: valueStart === undefined ? keyPosition : this.position(valueStart),
          key: keyPosition,
          range: [keyStart, end],
        };
        this.nodes.set(id, typeof text === 'string' ? { ...info, text } : info);
        defineEntry(out, key, pair.value === null ? null : this.convert(pair.value, entryPath));
      }
      return out;
    }
    return null;
  }
}
