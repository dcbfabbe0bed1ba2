import { execa } from 'execa';
import { DaffError, UsageError } from './errors.js';
import { signalProcessGroup } from './io.js';

/**
 * Subprocesses: the only importer of execa. Two kinds of use:
 * - git, for `deploy`: the commit of HEAD, whether tracked files changed, and `git archive` of HEAD
 *   (what is deployed is exactly the commit, never the working tree);
 * - long-running commands in their own process group (`startProcessGroup`), for the sandbox's
 *   local dynos: stopping one ends everything it started, and none outlives this process;
 * - programs run to completion (`runProgram`), for the sandbox's local PostgreSQL (initdb, psql, pg_dump…).
 */

/** The commit `deploy` ships. */
export interface GitCommit {
  readonly sha: string;
  /** First line of the commit message. */
  readonly subject: string;
}

/** Runs git in `cwd`; a missing git binary is a usage error, never a crash. */
async function git(cwd: string, args: readonly string[]) {
  const result = await execa('git', args, { cwd, reject: false, stripFinalNewline: true });
  const code = (result as { code?: string }).code;
  if (code === 'ENOENT') {
    throw new UsageError('git is not installed (or not on PATH): deploy builds the code of the current git commit', {
      hint: 'Install git, then run the command again in your app’s clone.',
    });
  }
  return { ok: result.exitCode === 0, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** The top directory of the repository holding `cwd`; a UsageError outside a git repository. */
export async function gitRepoRoot(cwd: string): Promise<string> {
  const result = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (!result.ok) {
    throw new UsageError(`${cwd} is not inside a git repository: deploy builds and ships the code of git HEAD`, {
      hint: 'Run deploy in your app’s clone (or `git init` and commit the app first).',
    });
  }
  return result.stdout.trim();
}

/** The commit at HEAD; a UsageError when the repository has no commit yet. */
export async function gitHead(cwd: string): Promise<GitCommit> {
  const result = await git(cwd, ['log', '-1', '--format=%H%n%s', 'HEAD']);
  const [sha, subject] = result.stdout.split('\n');
  if (!result.ok || sha === undefined || !/^[0-9a-f]{40,64}$/.test(sha)) {
    throw new UsageError(`The git repository at ${cwd} has no commit to deploy`, {
      hint: 'Commit the app (`git add -A && git commit`), then deploy.',
    });
  }
  return { sha, subject: subject ?? '' };
}

/**
 * Tracked files whose content differs from HEAD (staged or not), as `git status --porcelain`
 * lines. Untracked files are not listed: `git archive` never ships them, and tools (the sandbox's
 * `.daffeinated/`, editors) create them all the time.
 */
export async function gitChangedFiles(cwd: string): Promise<string[]> {
  const result = await git(cwd, ['status', '--porcelain=v1', '--untracked-files=no']);
  if (!result.ok) throw new DaffError(`git status failed in ${cwd}: ${result.stderr.trim() || 'no message'}`);
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/**
 * How many commits of `ahead`'s history `behind` lacks (`git rev-list --count behind..ahead`), for
 * `status`; undefined when `cwd` is no repository, git is missing, or the clone lacks either commit.
 */
export async function gitCommitsBehind(cwd: string, behind: string, ahead: string): Promise<number | undefined> {
  if (![behind, ahead].every((sha) => /^[0-9a-f]{7,64}$/.test(sha))) return undefined;
  try {
    const result = await git(cwd, ['rev-list', '--count', `${behind}..${ahead}`]);
    const count = Number(result.stdout.trim());
    return result.ok && Number.isInteger(count) ? count : undefined;
  } catch {
    return undefined;
  }
}

/** `git archive --format=tar.gz HEAD`: the committed tree, as Heroku's build system receives it. */
export async function gitArchive(cwd: string): Promise<Buffer> {
  const result = await execa('git', ['archive', '--format=tar.gz', 'HEAD'], {
    cwd,
    reject: false,
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.exitCode !== 0) {
    const message = Buffer.from(result.stderr ?? new Uint8Array()).toString('utf8').trim();
    throw new DaffError(`git archive of HEAD failed in ${cwd}: ${message || `exit code ${result.exitCode}`}`, {
      hint: 'Check that HEAD is a commit (`git log -1`) and that the repository is not corrupt (`git fsck`).',
    });
  }
  return Buffer.from(result.stdout);
}

/** What to run: a shell command line (as a Procfile entry is), with exactly this environment. */
export interface ProcessSpec {
  readonly command: string;
  readonly cwd: string;
  /** The whole environment: nothing is inherited from this process. */
  readonly env: Readonly<Record<string, string>>;
  /** Each line of standard output and standard error, as it arrives. */
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** A started process group. */
export interface ProcessGroup {
  readonly pid: number | undefined;
  /** Resolves once the command ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: string | null }>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the command has ended. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The command runs under a small POSIX sh wrapper, the leader of a new process group (session).
 * The wrapper keeps a "lifeline" (its stdin, a pipe from this process) open in a watcher: when
 * this process ends for any reason (even SIGKILL), the pipe closes and the watcher terminates the
 * whole group, so no command outlives daffeinated. The wrapper ignores SIGTERM itself only after
 * starting the command, so it can report the command's exit status after a group SIGTERM.
 */
const WRAPPER = [
  'exec 3<&0',
  'sh -c "$1" </dev/null 3<&- &',
  'app=$!',
  '{ cat <&3 >/dev/null; kill -TERM 0; } 2>/dev/null &',
  'exec 3<&-',
  "trap '' TERM",
  'wait "$app"',
  'status=$?',
  'kill -TERM 0 2>/dev/null',
  'exit "$status"',
].join('\n');

export function startProcessGroup(spec: ProcessSpec): ProcessGroup {
  const child = execa('/bin/sh', ['-c', WRAPPER, 'daffeinated-process', spec.command], {
    cwd: spec.cwd,
    env: { ...spec.env },
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdin: 'pipe',
    buffer: false,
    reject: false,
    encoding: 'utf8',
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) spec.onLine(line, stream);
    });
    child[stream]?.on('end', () => {
      if (pending !== '') spec.onLine(pending, stream);
      pending = '';
    });
  }
  const exited = child.then(
    (result) => ({ code: result.exitCode ?? null, signal: result.signal ?? null }),
    () => ({ code: null, signal: null }),
  );
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || ended) return;
    try {
      signalProcessGroup(child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  return {
    pid: child.pid,
    exited,
    async stop(graceMs = 3_000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
        child.stdin?.destroy();
      }
    },
  };
}

/** A program run to completion, no shell, with exactly this environment (and `input` on its stdin). */
export interface ProgramSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly input?: string;
}

/** Its exit code (null: it did not start, or a signal ended it) and output; never rejects. */
export async function runProgram(spec: ProgramSpec): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await execa(spec.file, [...spec.args], {
    env: { ...spec.env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
    ...(spec.input === undefined ? { stdin: 'ignore' as const } : { input: spec.input }),
  });
  const failure = (result as { code?: string }).code;
  const stderr = String(result.stderr ?? '');
  return {
    code: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: failure !== undefined && stderr === '' ? `${spec.file}: ${failure}` : stderr,
  };
}
