import { describe, expect, it } from 'vitest';
import { splitKeyedList } from '../../../src/render/list-diff.js';

const rule = (ref: string, expression: string, action = 'block') => ({ ref, expression, action });
const source = { file: 'app.yaml', line: 46, col: 5 };

describe('splitKeyedList', () => {
  it('shows only the changed fields of a rule both sides have, and whole rules added or removed', () => {
    const parts = splitKeyedList({
      attribute: 'rules',
      before: [rule('a', 'x'), rule('b', 'y'), rule('gone', 'z')],
      after: [rule('a', 'x'), rule('b', 'y2', 'challenge'), rule('new', 'w')],
      sensitive: false,
      source,
    });
    expect(parts).toEqual([
      { attribute: 'rules[b].action', before: 'block', after: 'challenge', sensitive: false, source },
      { attribute: 'rules[b].expression', before: 'y', after: 'y2', sensitive: false, source },
      { attribute: 'rules[new]', after: rule('new', 'w'), sensitive: false, source },
      { attribute: 'rules[gone]', before: rule('gone', 'z'), sensitive: false, source },
    ]);
  });

  it('leaves a reordering, and lists that are not keyed by ref, whole', () => {
    expect(splitKeyedList({ attribute: 'rules', before: [rule('a', 'x'), rule('b', 'y')], after: [rule('b', 'y'), rule('a', 'x')], sensitive: false })).toBeUndefined();
    expect(splitKeyedList({ attribute: 'managed', before: ['cloudflare'], after: ['cloudflare', 'owasp'], sensitive: false })).toBeUndefined();
    expect(splitKeyedList({ attribute: 'rules', before: [rule('a', 'x'), rule('a', 'y')], after: [rule('a', 'x')], sensitive: false })).toBeUndefined();
  });
});
