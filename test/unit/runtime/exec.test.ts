import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DaffError, UsageError } from '../../../src/runtime/errors.js';
import { gitArchive, gitChangedFiles, gitHead, gitRepoRoot, startProcessGroup } from '../../../src/runtime/exec.js';
import { readTarGz } from '../../../src/sandbox/heroku/runner/tar.js';
import { commitFiles, git, gitRepo } from '../../helpers/repo.js';

describe('git helpers', () => {
  it('finds the repository root, HEAD and its archive, from a subdirectory', async () => {
    const { dir, sha } = gitRepo('daff-exec-', { Procfile: 'web: node server.js\n', 'src/server.js': 'x\n' });
    const root = await gitRepoRoot(join(dir, 'src'));
    expect(root).toBe(git(dir, 'rev-parse', '--show-toplevel'));
    expect(await gitHead(root)).toEqual({ sha, subject: 'first commit' });
    const files = readTarGz(await gitArchive(root));
    expect([...files.keys()].sort()).toEqual(['Procfile', 'src/server.js']);
  });

  it('lists tracked files with uncommitted changes, not untracked ones; the archive is HEAD', async () => {
    const { dir } = gitRepo('daff-exec-', { 'a.txt': 'one\n', 'b.txt': 'two\n' });
    expect(await gitChangedFiles(dir)).toEqual([]);
    writeFileSync(join(dir, 'a.txt'), 'changed\n');
    writeFileSync(join(dir, 'untracked.txt'), 'new\n');
    git(dir, 'rm', '-q', 'b.txt');
    expect(await gitChangedFiles(dir)).toEqual([' M a.txt', 'D  b.txt']);
    const files = readTarGz(await gitArchive(dir));
    expect(files.get('a.txt')?.toString()).toBe('one\n');
    expect(files.has('untracked.txt')).toBe(false);
    commitFiles(dir, {}, 'second');
    expect(await gitChangedFiles(dir)).toEqual([]);
  });

  it('refuses outside a repository and without a commit, saying what to do', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'daff-exec-none-'));
    const error = await gitRepoRoot(outside).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('is not inside a git repository');
    execFileSync('git', ['init', '-q'], { cwd: outside });
    const empty = await gitHead(outside).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(UsageError);
    expect((empty as UsageError).hint).toContain('git commit');
    const archive = await gitArchive(outside).catch((e: unknown) => e);
    expect(archive).toBeInstanceOf(DaffError);
    expect((archive as DaffError).message).toContain('git archive of HEAD failed');
  });
});

describe('startProcessGroup', () => {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

  it('runs a command line with exactly the given environment, line by line, and reports its exit', async () => {
    const lines: string[] = [];
    const group = startProcessGroup({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, run by sh
      command: 'echo "hello $GREETING"; echo "home=${HOME:-unset}" >&2; exit 7',
      cwd: tmpdir(),
      env: { ...env, GREETING: 'world' },
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(await group.exited).toEqual({ code: 7, signal: null });
    expect(lines.sort()).toEqual(['stderr: home=unset', 'stdout: hello world']);
  });

  it('stop ends the whole group, children included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daff-group-'));
    const group = startProcessGroup({
      command: 'sleep 30 & echo $! > child.pid; sleep 31',
      cwd: dir,
      env,
      onLine: () => {},
    });
    const pid = await waitForFile(join(dir, 'child.pid'));
    expect(alive(pid)).toBe(true);
    await group.stop(1_000);
    expect(alive(pid)).toBe(false);
  });
});

async function waitForFile(path: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    try {
      const text = execFileSync('cat', [path], { encoding: 'utf8' }).trim();
      if (text !== '') return Number(text);
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} never appeared`);
}

/** Running (a zombie waiting to be reaped by init does not count: it has ended). */
function alive(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
