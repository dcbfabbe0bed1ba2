import { describe, expect, it } from 'vitest';
import { canonicalJson, containsUnknown, isRecord, isUnknown, Unknown, valuesEqual } from '../../../src/model/value.js';

describe('Unknown', () => {
  it('defaults to no preservation, generation or reference, and serializes as {"unknown": reason}', () => {
    const unknown = new Unknown('known after apply');
    expect([unknown.preserveLive, unknown.generate, unknown.ref]).toEqual([false, undefined, undefined]);
    expect(JSON.stringify(unknown)).toBe('{"unknown":"known after apply"}');
    expect(isUnknown(unknown)).toBe(true);
    expect(isUnknown({ unknown: 'x' })).toBe(false);
  });
});

describe('isRecord', () => {
  it('is true only for plain objects', () => {
    expect([{}, [], null, 'x', new Unknown('u')].map(isRecord)).toEqual([true, false, false, false, false]);
  });
});

describe('containsUnknown', () => {
  it('looks through arrays and records', () => {
    expect(containsUnknown([1, { a: [new Unknown('u')] }])).toBe(true);
    expect(containsUnknown({ a: [1, 'b', null] })).toBe(false);
    expect(containsUnknown('plain')).toBe(false);
  });
});

describe('valuesEqual', () => {
  it.each([
    ['equal scalars', 'a', 'a', true],
    ['different scalars', 1, 2, false],
    ['undefined and null', undefined, null, false],
    ['null and a value', null, 'a', false],
    ['both undefined', undefined, undefined, true],
    ['equal arrays', [1, [2]], [1, [2]], true],
    ['arrays of different length', [1], [1, 2], false],
    ['an array and a record', [1], { 0: 1 }, false],
    ['equal records in any key order', { a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1 }, true],
    ['records with different keys', { a: 1 }, { b: 1 }, false],
    ['records of different size', { a: 1 }, { a: 1, b: 2 }, false],
    ['a record and a scalar', { a: 1 }, 'a', false],
  ])('%s', (_what, a, b, expected) => {
    expect(valuesEqual(a as never, b as never)).toBe(expected);
  });

  it('never equates an Unknown, not even with itself', () => {
    const unknown = new Unknown('u');
    expect(valuesEqual(unknown, unknown)).toBe(false);
    expect(valuesEqual(unknown, 'x')).toBe(false);
    expect(valuesEqual('x', unknown)).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys deeply, writes Unknowns as {"unknown": reason} and drops undefined properties', () => {
    expect(canonicalJson({ b: [{ z: 1, y: new Unknown('later') }], a: undefined, c: null })).toBe(
      '{"b":[{"y":{"unknown":"later"},"z":1}],"c":null}',
    );
  });

  it('indents when asked', () => {
    expect(canonicalJson({ b: 1, a: [true] }, 2)).toBe('{\n  "a": [\n    true\n  ],\n  "b": 1\n}');
  });
});
