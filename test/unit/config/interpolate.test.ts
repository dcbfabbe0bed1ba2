// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax, written literally here.
import { describe, expect, it } from 'vitest';
import { interpolateString, interpolateTree } from '../../../src/config/interpolate.js';
import { parseYamlTree } from '../../../src/config/load.js';
import { pathId } from '../../../src/config/tree.js';
import { oneLine } from './support.js';

describe('interpolateString', () => {
  const env = { REGION: 'eu', EMPTY: '', NAME_2: 'x' };

  it('replaces ${VAR} anywhere in the string, as often as it appears', () => {
    expect(interpolateString('plain', env)).toEqual({ ok: true, value: 'plain', substituted: false });
    expect(interpolateString('${REGION}', env)).toEqual({ ok: true, value: 'eu', substituted: true });
    expect(interpolateString('a-${REGION}-${NAME_2}-${REGION}', env)).toEqual({ ok: true, value: 'a-eu-x-eu', substituted: true });
  });

  it('treats a set but empty variable as a value', () => {
    expect(interpolateString('[${EMPTY}]', env)).toEqual({ ok: true, value: '[]', substituted: true });
  });

  it('writes $${ as a literal ${ and leaves other dollars alone', () => {
    expect(interpolateString('$${REGION}', env)).toEqual({ ok: true, value: '${REGION}', substituted: false });
    // Read left to right: "$" then the escape "$${".
    expect(interpolateString('$$${REGION}', env)).toEqual({ ok: true, value: '$${REGION}', substituted: false });
    expect(interpolateString('costs $5 or $REGION', env)).toEqual({ ok: true, value: 'costs $5 or $REGION', substituted: false });
  });

  it('never substitutes an empty string for an unset variable', () => {
    expect(interpolateString('x-${MISSING}', env)).toEqual({
      ok: false,
      message: 'environment variable MISSING is not set',
      hint: 'set MISSING, or write $${MISSING} for a literal ${MISSING}',
    });
  });

  it.each(['${}', '${1ABC}', '${A B}', '${UNCLOSED', 'x ${A-B} y'])('refuses the malformed %j', (text) => {
    const result = interpolateString(text, env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^malformed interpolation "\$\{/);
  });
});

describe('interpolateTree', () => {
  const parse = (text: string) => {
    const parsed = parseYamlTree(text, 'app.yaml');
    if (!parsed.tree) throw new Error('parse failed');
    return parsed.tree;
  };

  it('interpolates string values in maps and lists, never keys or other scalars', () => {
    // In flow collections `{` is syntax, so interpolated values there are quoted.
    const tree = parse('${KEY}: ${V}\nlist: ["a-${V}", 3, true, null]\n');
    const result = interpolateTree(tree, { V: 'v', KEY: 'k' });
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toEqual({ '${KEY}': 'v', list: ['a-v', 3, true, null] });
    // Which values took text from the environment (they may hold a secret).
    expect([...result.substituted]).toEqual([pathId(['${KEY}']), pathId(['list', 0])]);
  });

  it('reports each unset variable at its value and remembers which values failed', () => {
    const tree = parse('app: ${APP}\nnested:\n  list:\n    - ok\n    - ${GONE}\n');
    const result = interpolateTree(tree, {});
    expect(result.diagnostics.map(oneLine)).toEqual([
      'app.yaml:1:6: error: environment variable APP is not set (at app) — hint: set APP, or write $${APP} for a literal ${APP}',
      'app.yaml:5:7: error: environment variable GONE is not set (at nested.list[1]) — hint: set GONE, or write $${GONE} for a literal ${GONE}',
    ]);
    expect([...result.failed]).toEqual([pathId(['app']), pathId(['nested', 'list', 1])]);
    // The text stays as written so later stages can skip it.
    expect(result.value).toEqual({ app: '${APP}', nested: { list: ['ok', '${GONE}'] } });
  });

  it('reports a failure in a document that is a single string without a path', () => {
    const result = interpolateTree(parse('${NOPE}'), {});
    expect(result.diagnostics.map(oneLine)).toEqual([
      'app.yaml:1:1: error: environment variable NOPE is not set — hint: set NOPE, or write $${NOPE} for a literal ${NOPE}',
    ]);
  });
});
