/**
 * Byte-level checks on a config file before YAML sees it: size and strict UTF-8. Kept apart from
 * `load.ts` so the rules are easy to test on raw bytes.
 */

/** Config files larger than this are refused: a real app.yaml is a few kilobytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type DecodeResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly line: number; readonly col: number };

/**
 * Decodes strict UTF-8 (a leading BOM is dropped). On invalid input, reports the 1-based line and
 * column of the first bad byte, counting columns in characters of the valid prefix.
 */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  const bad = firstInvalidUtf8Offset(bytes);
  if (bad === undefined) return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
  const lines = prefix.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return { ok: false, line: lines.length, col: [...last].length + 1 };
}

/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong forms,
 * surrogates and code points above U+10FFFF are ill-formed), or undefined when all are fine.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    const length = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range depends on the lead byte (Unicode Table 3-7).
    const b1 = bytes[i + 1] as number;
    const low = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
    if (b1 < low || b1 > high) return i;
    for (let k = 2; k < length; k++) {
      const b = bytes[i + k] as number;
      if (b < 0x80 || b > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}
