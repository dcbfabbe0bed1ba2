import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, slugCacheDir } from '../../../src/commands/cache-dir.js';

const at = (env: Record<string, string>) => ({ env, cwd: '/repo' });

describe('cacheDir', () => {
  it('is DAFFEINATED_CACHE_DIR (relative to the working directory), else XDG_CACHE_HOME/daffeinated, else ~/.cache/daffeinated', () => {
    expect(cacheDir(at({ DAFFEINATED_CACHE_DIR: 'tmp/c', XDG_CACHE_HOME: '/x', HOME: '/h' }))).toBe(join('/repo', 'tmp/c'));
    expect(cacheDir(at({ XDG_CACHE_HOME: '/x', HOME: '/h' }))).toBe(join('/x', 'daffeinated'));
    expect(cacheDir(at({ HOME: '/h' }))).toBe(join('/h', '.cache', 'daffeinated'));
    expect(slugCacheDir(at({ HOME: '/h' }))).toBe(join('/h', '.cache', 'daffeinated', 'slugs'));
  });

  it('ignores empty values and a relative XDG_CACHE_HOME (invalid by the XDG specification)', () => {
    expect(cacheDir(at({ DAFFEINATED_CACHE_DIR: ' ', XDG_CACHE_HOME: 'relative', HOME: '/h' }))).toBe(join('/h', '.cache', 'daffeinated'));
    expect(cacheDir(at({}))).toBe(join(homedir(), '.cache', 'daffeinated'));
  });
});
