/**
 * Every `test/fixtures/config/invalid/<what-is-wrong>.yaml` is loaded through `loadConfig` (real
 * file system) and must fail with exactly the diagnostics in `<what-is-wrong>.expected.txt`, one
 * per line. `UPDATE_EXPECTED=1` rewrites the expected files: review the diff before committing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/runtime/errors.js';
import { FIXTURES, oneLine } from './support.js';

const ENV = { SHOP_REGION: 'eu' };
const invalidDir = join(FIXTURES, 'invalid');
const invalid = readdirSync(invalidDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const validDir = join(FIXTURES, 'valid');
const validFiles = readdirSync(validDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function diagnosticsOf(dir: string, file: string): string[] {
  try {
    loadConfig({ path: file, cwd: dir, env: ENV });
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics.map(oneLine);
    throw error;
  }
  return [];
}

describe('invalid fixtures', () => {
  it('covers at least 15 distinct problems', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(15);
  });

  it.each(invalid)('%s fails with the expected diagnostics', (file) => {
    const actual = diagnosticsOf(invalidDir, file);
    const expectedFile = join(invalidDir, file.replace(/\.yaml$/, '.expected.txt'));
    if (process.env['UPDATE_EXPECTED'] === '1') writeFileSync(expectedFile, `${actual.join('\n')}\n`);
    expect(existsSync(expectedFile), `${expectedFile} is missing`).toBe(true);
    const expected = readFileSync(expectedFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(actual.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});

describe('valid fixtures', () => {
  it.each(validFiles)('%s loads without diagnostics', (file) => {
    expect(diagnosticsOf(validDir, file)).toEqual([]);
  });
});
