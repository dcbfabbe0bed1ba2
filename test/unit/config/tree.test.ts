import { describe, expect, it } from 'vitest';
import { parseYamlTree } from '../../../src/config/load.js';
import {
  declarationPosition,
  defineEntry,
  entries,
  entry,
  formatPath,
  isPlainMap,
  nearestNode,
  type ParsedTree,
  pathId,
  valueAt,
  valuePosition,
} from '../../../src/config/tree.js';

function tree(text: string): ParsedTree {
  const parsed = parseYamlTree(text, 'app.yaml');
  if (!parsed.tree) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.tree;
}

describe('paths', () => {
  it('formats dotted paths with [index] for list items', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['environments', 'staging', 'app'])).toBe('environments.staging.app');
    expect(formatPath(['cloudflare', 'zones', 'example.com', 'dns', 0, 'name'])).toBe(
      'cloudflare.zones.example.com.dns[0].name',
    );
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('ids paths unambiguously even when keys contain dots', () => {
    expect(pathId(['a.b'])).not.toBe(pathId(['a', 'b']));
    expect(pathId(['0'])).not.toBe(pathId([0]));
  });
});

describe('plain data helpers', () => {
  const data = { a: { b: [10, { c: 'x' }] }, n: null };

  it('reads values by path and stops at missing or ill-typed steps', () => {
    expect(valueAt(data, [])).toBe(data);
    expect(valueAt(data, ['a', 'b', 1, 'c'])).toBe('x');
    expect(valueAt(data, ['n'])).toBeNull();
    expect(valueAt(data, ['a', 'b', 5])).toBeUndefined();
    expect(valueAt(data, ['a', 0])).toBeUndefined();
    expect(valueAt(data, ['a', 'b', 'c'])).toBeUndefined();
    expect(valueAt(data, ['missing'])).toBeUndefined();
    expect(valueAt(data, ['toString'])).toBeUndefined();
  });

  it('reads entries of maps only', () => {
    expect(isPlainMap({})).toBe(true);
    expect(isPlainMap([])).toBe(false);
    expect(isPlainMap(null)).toBe(false);
    expect(entry({ a: 1 }, 'a')).toBe(1);
    expect(entry({ a: 1 }, 'constructor')).toBeUndefined();
    expect(entry('text', 'length')).toBeUndefined();
    expect(entries({ a: 1, b: 2 })).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(entries([1, 2])).toEqual([]);
  });

  it('defines keys such as __proto__ as plain own properties', () => {
    const target: Record<string, unknown> = {};
    defineEntry(target, '__proto__', { polluted: true });
    expect(Object.keys(target)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('positions', () => {
  const t = tree('a:\n  b: 1\n  list:\n    - x\nalias: &x { k: v }\nuse: *x\n');

  it('points at values and at declarations (keys)', () => {
    expect(valuePosition(t, ['a', 'b'])).toEqual({ line: 2, col: 6 });
    expect(declarationPosition(t, ['a', 'b'])).toEqual({ line: 2, col: 3 });
    expect(declarationPosition(t, ['a', 'list', 0])).toEqual({ line: 4, col: 7 });
    expect(valuePosition(t, [])).toEqual({ line: 1, col: 1 });
  });

  it('falls back to the nearest recorded ancestor', () => {
    // A missing key: the map entry that should hold it.
    expect(nearestNode(t, ['a', 'missing'])?.exact).toBe(false);
    expect(valuePosition(t, ['a', 'missing'])).toEqual({ line: 1, col: 1 });
    // A node under an alias: the entry holding the alias.
    expect(valuePosition(t, ['use'])).toEqual({ line: 6, col: 6 });
    expect(valuePosition(t, ['use', 'k'])).toEqual({ line: 6, col: 1 });
    expect(declarationPosition(t, ['use', 'k'])).toEqual({ line: 6, col: 1 });
  });

  it('uses 1:1 when nothing is recorded', () => {
    const empty: ParsedTree = { file: 'x', value: null, nodes: new Map() };
    expect(nearestNode(empty, ['a'])).toBeUndefined();
    expect(valuePosition(empty, ['a'])).toEqual({ line: 1, col: 1 });
    expect(declarationPosition(empty, ['a'])).toEqual({ line: 1, col: 1 });
  });
});
