import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

// Shell completion (`completion SHELL`, and the hidden `__complete` the scripts call) and help.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const APP_YAML = `version: 1
name: shop
defaults:
  addons:
    database: { plan: "heroku-postgresql:essential-0" }
environments:
  staging: { app: shop-staging }
  production: { app: shop-production }
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'daff-complete-'));
  writeFileSync(join(dir, 'app.yaml'), APP_YAML);
  return dir;
}

async function complete(words: readonly string[], cwd = project()): Promise<string[]> {
  const run = await cli(['__complete', ...words], { cwd });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter((line) => line !== '');
}

describe('completion', () => {
  it('completes commands, options (global ones too) and option choices from the program itself', async () => {
    expect(await complete(['']))
      .toEqual(['validate', 'plan', 'apply', 'deploy', 'promote', 'drift', 'status', 'rollback', 'dr-drill', 'releases', 'backups', 'cost', 'diff', 'import', 'init', 'sandbox', 'completion']);
    expect(await complete(['d'])).toEqual(['deploy', 'drift', 'dr-drill', 'diff']);
    expect(await complete(['plan', '--d'])).toEqual(['--detailed-exitcode', '--debug']);
    expect(await complete(['plan', '--format', ''])).toEqual(['human', 'json', 'markdown']);
    expect(await complete(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    // Values of options that take files are left to the shell.
    expect(await complete(['plan', '--out', ''])).toEqual([]);
  });

  it('completes environment names and protected addresses from app.yaml (--config honoured)', async () => {
    expect(await complete(['plan', ''])).toEqual(['production', 'staging']);
    expect(await complete(['deploy', '--yes', 's'])).toEqual(['staging']);
    expect(await complete(['promote', '--to', 'production', ''])).toEqual(['production', 'staging']);
    expect(await complete(['apply', 'staging', '--allow-destroy', 'heroku.addon['])).toEqual([
      'heroku.addon[production/database]',
      'heroku.addon[staging/database]',
    ]);
    const elsewhere = mkdtempSync(join(tmpdir(), 'daff-complete-'));
    expect(await complete(['plan', ''], elsewhere)).toEqual([]);
    expect(await complete(['--config', join(project(), 'app.yaml'), 'diff', ''], elsewhere)).toEqual(['production', 'staging']);
  });

  it('prints a script per shell; the bash one completes through the real binary', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const run = await cli(['completion', shell], { cwd: root });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('__complete');
    }
    const unknown = await cli(['completion', 'tcsh'], { cwd: root });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Choose one of: bash, zsh, fish');

    const script = (await cli(['completion', 'bash'], { cwd: root })).stdout;
    const bin = join(root, 'bin/daffeinated.js');
    const shell = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', `${script}\nCOMP_WORDS=("${bin}" deploy ""); COMP_CWORD=2; _daffeinated; printf '%s\\n' "\${COMPREPLY[@]}"`],
      { cwd: project(), encoding: 'utf8', env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toBe('production\nstaging\n');
  });
});

describe('help', () => {
  it('no arguments prints help on stderr and exits 1', async () => {
    const run = await cli([], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: daffeinated [options] [command]');
  });

  it('every command has examples, and its --help lists the global options', async () => {
    const commands = await complete([''], root);
    for (const command of commands) {
      const run = await cli([command, '--help'], { cwd: root });
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(/\nExamples:\n {2}(source <\()?daffeinated /);
      expect(run.stdout, command).toContain('Global Options:');
      expect(run.stdout, command).toContain('--sandbox [url]');
    }
  });
});
