import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8Offset, MAX_CONFIG_BYTES } from '../../../src/config/text.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('firstInvalidUtf8Offset', () => {
  it('accepts ASCII and well-formed 2-, 3- and 4-byte sequences', () => {
    expect(firstInvalidUtf8Offset(utf8('a é € 😀 \u{10FFFF}'))).toBeUndefined();
    expect(firstInvalidUtf8Offset(bytes())).toBeUndefined();
  });

  it.each([
    ['a lone continuation byte', [0x41, 0x80], 1],
    ['an overlong 2-byte lead (C0)', [0xc0, 0x80], 0],
    ['a lead byte above F4', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a truncated sequence at the end', [0x41, 0xe2, 0x82], 1],
    ['an overlong 3-byte form (E0 80..9F)', [0xe0, 0x80, 0x80], 0],
    ['a UTF-16 surrogate (ED A0..BF)', [0xed, 0xa0, 0x80], 0],
    ['an overlong 4-byte form (F0 80..8F)', [0xf0, 0x80, 0x80, 0x80], 0],
    ['a code point above U+10FFFF (F4 90..)', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a bad third byte', [0xe2, 0x82, 0x41], 0],
    ['Latin-1 text', [0x63, 0x61, 0x66, 0xe9], 3],
  ])('rejects %s', (_what, input, offset) => {
    expect(firstInvalidUtf8Offset(bytes(...input))).toBe(offset);
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a leading byte-order mark', () => {
    expect(decodeUtf8(utf8('\uFEFFversion: 1\nname: café\n'))).toEqual({ ok: true, text: 'version: 1\nname: café\n' });
  });

  it('locates the first bad byte by line and character column', () => {
    const input = Uint8Array.from([...utf8('a: 1\nnamé: caf'), 0xe9, ...utf8('\n')]);
    expect(decodeUtf8(input)).toEqual({ ok: false, line: 2, col: 10 });
    expect(decodeUtf8(bytes(0xff))).toEqual({ ok: false, line: 1, col: 1 });
  });

  it('has a 1 MiB limit', () => {
    expect(MAX_CONFIG_BYTES).toBe(1_048_576);
  });
});
