import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggestionHint } from '../../../src/config/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['formation', 'formation', 0],
    ['formaton', 'formation', 1],
    ['fromation', 'formation', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('closest', () => {
  const keys = ['formation', 'features', 'log_drains', 'domains', 'app'];

  it('ignores case, underscores and dashes', () => {
    expect(closest('logDrains', keys)).toBe('log_drains');
    expect(closest('LOG-DRAINS', keys)).toBe('log_drains');
  });

  it('finds near misses, preferring the closest', () => {
    expect(closest('formaton', keys)).toBe('formation');
    expect(closest('domain', keys)).toBe('domains');
    expect(closest('apps', keys)).toBe('app');
  });

  it('completes an unambiguous abbreviation of three letters or more', () => {
    expect(closest('prod', ['staging', 'production'])).toBe('production');
    expect(closest('dom', keys)).toBe('domains');
    expect(closest('fe', keys)).toBeUndefined();
    expect(closest('log', ['log_drains', 'logging_level'])).toBeUndefined();
  });

  it('does not guess wildly', () => {
    expect(closest('zzz', keys)).toBeUndefined();
    expect(closest('x', ['y'])).toBe('y');
    expect(closest('xy', ['ab'])).toBeUndefined();
  });
});

describe('suggestionHint', () => {
  it('says "did you mean" for a close match', () => {
    expect(suggestionHint('stagin', ['staging', 'production'])).toBe('did you mean "staging"?');
  });

  it('lists the candidates otherwise, shortened when long', () => {
    expect(suggestionHint('qqq', ['staging', 'production'])).toBe('allowed: staging, production');
    expect(suggestionHint('qqq', ['a1', 'b2'], 'known')).toBe('known: a1, b2');
    const many = Array.from({ length: 14 }, (_, i) => `name-${i}`);
    expect(suggestionHint('zzzzzzzzzzzzzz', many)).toBe(`allowed: ${many.slice(0, 12).join(', ')}, …`);
  });

  it('has nothing to say without candidates', () => {
    expect(suggestionHint('x', [])).toBeUndefined();
  });
});
