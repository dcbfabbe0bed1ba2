import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadedSources, writeModuleTrace } from '../../bench/module-trace.js';
import { cli } from '../helpers/cli.js';

// The built bin answers `--version` alone without loading the CLI (bin/daffeinated.js): what it
// prints must stay what the CLI prints, and commander must stay unloaded. The bin runs the CLI's
// bundle (dist/bundle/): `sources` are the source files the loaded files of it hold.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'bin/daffeinated.js');

const HEAVY = /^node_modules\/(cloudflare|heroku-client|zod|yaml|execa)\/|^dist\/(commands|config|providers|sandbox|workflows)\//;
const TRACE = pathToFileURL(writeModuleTrace(mkdtempSync(join(tmpdir(), 'daff-version-hooks-')))).href;

function spawnBin(args: readonly string[]): { code: number | null; stdout: string; stderr: string; modules: string[]; sources: string[] } {
  const result = spawnSync(process.execPath, ['--import', TRACE, bin, ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'daff-version-')),
    env: { PATH: process.env['PATH'], NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const modules = [...result.stderr.matchAll(/^@@module (.*)$/gm)].map((m) => m[1] as string);
  const stderr = result.stderr.replace(/^@@module .*\n/gm, '');
  return { code: result.status, stdout: result.stdout, stderr, modules, sources: loadedSources(root, modules) };
}

describe('daffeinated --version', () => {
  it.each([['--version'], ['-v']])('%s alone prints what the CLI prints, without loading commander', async (flag) => {
    const inProcess = await cli([flag], { cwd: root });
    const spawned = spawnBin([flag]);
    expect(inProcess.code).toBe(0);
    expect({ code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr }).toEqual({
      code: 0,
      stdout: inProcess.stdout,
      stderr: '',
    });
    expect(spawned.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(spawned.sources).toContain('dist/version.js');
    expect(spawned.sources.some((path) => path.startsWith('node_modules/commander/'))).toBe(false);
    expect(spawned.sources).not.toContain('dist/cli.js');
  });

  it('with other arguments goes through the CLI', () => {
    const spawned = spawnBin(['--version', '--debug']);
    expect(spawned.code).toBe(0);
    expect(spawned.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(spawned.sources.some((path) => path.startsWith('node_modules/commander/'))).toBe(true);
  });

  it('leaves readline to prompts (runtime/io.ts): --help does not load it', () => {
    const spawned = spawnBin(['--help']);
    expect(spawned.code).toBe(0);
    expect(spawned.sources).toContain('dist/cli.js');
    expect(spawned.modules.filter((url) => url.startsWith('node:readline'))).toEqual([]);
    // Nor any command's code: the bundle is split at the CLI's lazy imports.
    expect(spawned.sources.filter((path) => HEAVY.test(path))).toEqual([]);
  });
});
