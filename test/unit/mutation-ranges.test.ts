import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// stryker.config.mjs mutates some files only in a line range, the functions named in the comment
// beside it. When code above such a function is edited, the range silently mutates other lines:
// the score then says nothing about the function. This keeps the ranges honest.

const CONFIG = readFileSync('stryker.config.mjs', 'utf8');
const RANGED = /^\s*'(src\/[^':]+):(\d+)-(\d+)',\s*\/\/\s*([A-Za-z_$][\w$]*(?:,\s*[A-Za-z_$][\w$]*)*)/gm;

const ranges = [...CONFIG.matchAll(RANGED)].map(([, file, from, to, names]) => ({
  file: file as string,
  from: Number(from),
  to: Number(to),
  names: (names as string).split(/,\s*/),
}));

/** The 1-based lines of a top-level function's declaration and of its closing brace. */
function lines(source: readonly string[], name: string): { start: number; end: number } | undefined {
  const start = source.findIndex((line) => new RegExp(`^(export )?(async )?function ${name}\\b`).test(line));
  if (start < 0) return undefined;
  const end = source.findIndex((line, i) => i > start && line === '}');
  return { start: start + 1, end: end + 1 };
}

describe('the line ranges stryker.config.mjs mutates', () => {
  it('are found, each naming the functions it covers', () => {
    const ranged = CONFIG.match(/'src\/[^']+:\d+-\d+'/g) ?? [];
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranges).toHaveLength(ranged.length);
  });

  it.each(ranges.map((r) => [`${r.file}:${r.from}-${r.to}`, r] as const))('%s holds the whole of the functions it names', (_, range) => {
    const source = readFileSync(range.file, 'utf8').split('\n');
    for (const name of range.names) {
      const found = lines(source, name);
      expect(found, `${name} in ${range.file}`).toBeDefined();
      expect([found?.start, found?.end], `${name}: lines ${found?.start}-${found?.end}`).toSatisfy(
        ([start, end]: (number | undefined)[]) => (start ?? 0) >= range.from && (end ?? Number.POSITIVE_INFINITY) <= range.to,
      );
    }
  });
});
