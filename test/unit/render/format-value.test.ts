import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { compareStrings, formatValue, toJsonValue } from '../../../src/render/format-value.js';

describe('formatValue', () => {
  it('quotes strings JSON-style, escaping quotes and line breaks', () => {
    expect(formatValue('say "hi"\nbye')).toBe('"say \\"hi\\"\\nbye"');
  });

  it('prints scalars as JSON', () => {
    expect([1.5, 0, true, false, null].map(formatValue)).toEqual(['1.5', '0', 'true', 'false', 'null']);
  });

  it('prints arrays and objects compactly with keys sorted', () => {
    expect(formatValue({ b: [1, 'x'], a: {}, c: [] })).toBe('{"a": {}, "b": [1, "x"], "c": []}');
  });

  it('prints an Unknown, also nested, as (known after apply) without its reason', () => {
    expect(formatValue(new Unknown('secret reason'))).toBe('(known after apply)');
    expect(formatValue([new Unknown('r')])).toBe('[(known after apply)]');
  });
});

describe('toJsonValue', () => {
  it('replaces Unknown with a fixed marker and sorts keys', () => {
    const json = toJsonValue({ z: new Unknown('r', { ref: { address: 'a', attribute: 'b' } }), a: [1, null] });
    expect(json).toEqual({ a: [1, null], z: { unknown: 'known after apply' } });
    expect(Object.keys(json as object)).toEqual(['a', 'z']);
  });

  it('returns scalars unchanged', () => {
    expect(['s', 2, false, null].map(toJsonValue)).toEqual(['s', 2, false, null]);
  });
});

describe('compareStrings', () => {
  it('orders by code unit, independent of locale', () => {
    expect(['b', 'B', 'a', 'A', 'a'].sort(compareStrings)).toEqual(['A', 'B', 'a', 'a', 'b']);
  });
});
