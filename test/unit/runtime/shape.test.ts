import { describe, expect, it } from 'vitest';
import { boolean, list, nullable, number, object, optional, record, shapeProblem, string, unknown } from '../../../src/runtime/shape.js';

const ADDON = object({ id: string, plan: object({ name: string }), vars: list(string), state: optional(string), web: nullable(string), extra: unknown });

describe('response shapes', () => {
  it('accepts what fits, ignoring fields nobody reads', () => {
    expect(shapeProblem({ id: 'a', plan: { name: 'p', price: 1 }, vars: ['X'], web: null, surprise: true }, ADDON)).toBeUndefined();
    expect(shapeProblem({ A: 'x', B: null }, record(nullable(string)))).toBeUndefined();
  });

  it('names the first field that does not fit, with its path', () => {
    expect(shapeProblem({ id: 'a', vars: [], web: null }, ADDON)).toBe('$.plan is missing, not an object');
    expect(shapeProblem({ id: 'a', plan: { name: 3 }, vars: [], web: null }, ADDON)).toBe('$.plan.name is number 3, not a string');
    expect(shapeProblem({ id: 'a', plan: { name: 'p' }, vars: ['X', false], web: null }, ADDON)).toBe('$.vars[1] is boolean false, not a string');
    expect(shapeProblem([{ id: 'a' }], ADDON)).toBe('$ is a list, not an object');
    expect(shapeProblem(null, list(ADDON))).toBe('$ is null, not a list');
    expect(shapeProblem({ q: 'x'.repeat(50) }, object({ q: number }))).toBe('$.q is a string, not a number');
    expect(shapeProblem({ on: 'yes' }, object({ on: boolean }))).toBe('$.on is the string "yes", not true or false');
    expect(shapeProblem({ A: 1 }, record(string))).toBe('$.A is number 1, not a string');
    expect(shapeProblem([], record(string))).toBe('$ is a list, not an object');
    expect(shapeProblem({ n: Number.NaN }, object({ n: number }))).toBe('$.n is number NaN, not a number');
  });
});
