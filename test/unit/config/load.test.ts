// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax, written literally here.
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_DEPTH, parseYamlTree } from '../../../src/config/load.js';
import { pathId } from '../../../src/config/tree.js';
import { oneLine } from './support.js';

describe('parseYamlTree', () => {
  const parse = (text: string) => parseYamlTree(text, 'app.yaml');
  const problems = (text: string) => parse(text).diagnostics.map(oneLine);

  it('returns plain data and the position of every node', () => {
    const { tree, diagnostics } = parse('name: shop\nlist:\n  - a\n  - { k: 2 }\nempty:\n');
    expect(diagnostics).toEqual([]);
    expect(tree?.value).toEqual({ name: 'shop', list: ['a', { k: 2 }], empty: null });
    const at = (path: (string | number)[]) => tree?.nodes.get(pathId(path));
    expect(at([])).toMatchObject({ value: { line: 1, col: 1 } });
    expect(at(['name'])).toEqual({ value: { line: 1, col: 7 }, key: { line: 1, col: 1 }, range: [0, 10] });
    expect(at(['list', 1])).toMatchObject({ value: { line: 4, col: 5 } });
    expect(at(['list', 1, 'k'])).toMatchObject({ value: { line: 4, col: 10 }, key: { line: 4, col: 7 }, text: '2' });
    // A key with no value is null, located just after the colon.
    expect(at(['empty'])).toMatchObject({ value: { line: 5, col: 7 }, key: { line: 5, col: 1 } });
  });

  it('keeps the text of plain numbers as written', () => {
    const { tree } = parse('a: 1.10\nb: 0x1F\nc: "1.10"\n');
    expect(tree?.value).toEqual({ a: 1.1, b: 31, c: '1.10' });
    expect(tree?.nodes.get(pathId(['a']))?.text).toBe('1.10');
    expect(tree?.nodes.get(pathId(['b']))?.text).toBe('0x1F');
    expect(tree?.nodes.get(pathId(['c']))?.text).toBeUndefined();
  });

  it('turns scalar keys into strings as written', () => {
    expect(parse('1.0: a\ntrue: b\n2: c\n').tree?.value).toEqual({ '1.0': 'a', true: 'b', '2': 'c' });
  });

  it('reports every duplicate key with where the first one is', () => {
    expect(problems('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n')).toEqual([
      'app.yaml:4:3: error: duplicate key "c" (at b.c) — hint: "c" is already set at line 3, column 3; each key may appear once in a map',
      'app.yaml:5:1: error: duplicate key "a" (at a) — hint: "a" is already set at line 1, column 1; each key may appear once in a map',
    ]);
  });

  it('refuses keys that are not plain scalars', () => {
    expect(problems('? [a, b]\n: 1\n')).toEqual([
      'app.yaml:1:3: error: map keys must be plain strings — hint: write the key as a plain word, e.g. `web:`',
    ]);
    expect(problems('a:\n  ? \n  : 1\n')).toEqual([
      'app.yaml:2:5: error: map keys must be plain strings (at a) — hint: write the key as a plain word, e.g. `web:`',
    ]);
  });

  it('locates syntax errors with the YAML path around them', () => {
    expect(problems('a:\n  b: [1, 2\n  c: 3\n')).toEqual([
      'app.yaml:3:3: error: Flow sequence in block collection must be sufficiently indented and end with a ] (at a.b) — hint: check the indentation of this line against the lines above',
    ]);
    expect(problems('a: 1\n\tb: 2\n')[0]).toMatch(/^app\.yaml:2:1: error: .*hint: indent with spaces, not tabs$/);
    expect(problems('a: "unterminated\n')).toEqual(['app.yaml:2:1: error: Missing closing "quote (at a)']);
  });

  it('refuses more than one document', () => {
    expect(problems('a: 1\n---\nb: 2\n')).toEqual([
      'app.yaml:2:1: error: Source contains multiple documents; please use YAML.parseAllDocuments() — hint: keep the whole configuration in one YAML document (remove the extra `---`)',
    ]);
  });

  it('refuses custom tags rather than silently reading them as strings', () => {
    expect(problems('token: !vault secret/path\n')).toEqual([
      'app.yaml:1:8: error: Unresolved tag: !vault — hint: custom YAML tags are not supported; use ${VAR} or {from_env: VAR}',
    ]);
  });

  it('shares aliased values and locates nodes under an alias at the alias', () => {
    const { tree } = parse('base: &b { size: basic }\nweb: *b\n');
    expect(tree?.value).toEqual({ base: { size: 'basic' }, web: { size: 'basic' } });
    expect(tree?.nodes.get(pathId(['web']))).toMatchObject({ value: { line: 2, col: 6 } });
    expect(tree?.nodes.has(pathId(['web', 'size']))).toBe(false);
  });

  it('refuses recursive aliases', () => {
    expect(problems('a: &x\n  b: *x\n')).toEqual([
      'app.yaml:2:6: error: alias *x refers to a node that contains it (at a.b) — hint: a configuration cannot be recursive',
    ]);
  });

  it('refuses unknown aliases', () => {
    expect(problems('a: *nowhere\n')).toEqual([
      'app.yaml:1:4: error: unknown alias *nowhere (at a) — hint: define the anchor &nowhere before using it',
    ]);
  });

  it('refuses absurd nesting', () => {
    const deep = `a: ${'['.repeat(MAX_DEPTH + 5)}${']'.repeat(MAX_DEPTH + 5)}\n`;
    expect(problems(deep)).toEqual([
      `app.yaml:1:${4 + MAX_DEPTH - 1}: error: nested deeper than ${MAX_DEPTH} levels (at a${'[0]'.repeat(MAX_DEPTH - 1)}) — hint: app.yaml is a shallow document`,
    ]);
    // yaml itself reports documents nested deeply enough to exhaust its parser's stack.
    expect(problems(`a: ${'['.repeat(5000)}${']'.repeat(5000)}`)[0]).toMatch(/Maximum call stack size exceeded/);
  });

  it('refuses alias bombs (yaml maxAliasCount)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(problems(lines.join('\n'))).toEqual([
      `app.yaml:2:10: error: too many alias expansions (more than ${MAX_ALIAS_COUNT}): refusing a possible alias bomb — hint: use \`defaults:\` instead of deeply nested YAML aliases`,
    ]);
    // A handful of aliases is fine.
    expect(problems('a: &a [1, 2]\nb: [*a, *a, *a]\n')).toEqual([]);
  });

  it('parses an empty document as null and a scalar document as a scalar', () => {
    expect(parse('').tree?.value).toBeNull();
    expect(parse('# only a comment\n').tree?.value).toBeNull();
    expect(parse('just text').tree?.value).toBe('just text');
  });

  it('keeps __proto__ as an ordinary key', () => {
    const value = parse('__proto__: { polluted: true }\n').tree?.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
