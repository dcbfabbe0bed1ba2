import { describe, expect, it } from 'vitest';
import { hardWrap, MIN_COLUMN, remaining, wordWrap, wrapValue } from '../../../src/render/wrap.js';

describe('hardWrap', () => {
  it('cuts at exactly the width, losing nothing', () => {
    expect(hardWrap('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(hardWrap('abc', 3)).toEqual(['abc']);
  });

  it('treats a width below 1 as 1', () => {
    expect(hardWrap('ab', 0)).toEqual(['a', 'b']);
  });
});

describe('wrapValue', () => {
  it('breaks after a comma or at a space in the second half of a piece', () => {
    expect(wrapValue('"aaaa,bbbb,cccc"', 12)).toEqual(['"aaaa,bbbb,', 'cccc"']);
    expect(wrapValue('[1, 2, 3, 4, 5]', 8)).toEqual(['[1, 2,', '3, 4, 5]']);
    expect(wrapValue('one two three', 8)).toEqual(['one two', 'three']);
  });

  it('cuts at the width when no break point is late enough', () => {
    expect(wrapValue('a,bcdefghijk', 5)).toEqual(['a,bcd', 'efghi', 'jk']);
  });

  it('leaves a value that fits alone', () => {
    expect(wrapValue('short', 10)).toEqual(['short']);
  });
});

describe('wordWrap', () => {
  it('breaks prose at spaces and keeps its own line breaks', () => {
    expect(wordWrap('the quick brown fox\njumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('splits a word longer than the width', () => {
    expect(wordWrap('a abcdefghij b', 4)).toEqual(['a', 'abcd', 'efgh', 'ij b']);
  });
});

describe('remaining', () => {
  it('never goes below the minimum column', () => {
    expect(remaining(100, 10)).toBe(90);
    expect(remaining(30, 25)).toBe(MIN_COLUMN);
  });
});
