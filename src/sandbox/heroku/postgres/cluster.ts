import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { LaunchedProcess, LaunchSpec, RunResult, RunSpec } from '../runner/processes.js';

/** PostgreSQL refuses to run as root: then initdb and the server run as this user, through `setpriv`. */
export interface ServerUser {
  readonly uid: number;
  readonly gid: number;
  readonly setpriv: string;
}

export interface ClusterOptions {
  /** The directory of PostgreSQL's binaries (binaries.ts). */
  readonly bin: string;
  /** The data directory: created by initdb on first start, reused by later runs. */
  readonly data: string;
  readonly port: number;
  readonly user: ServerUser | undefined;
  readonly launch: (spec: LaunchSpec) => LaunchedProcess;
  readonly run: (spec: RunSpec) => Promise<RunResult>;
  /** `PATH` for the tools (nothing else of ours reaches them). */
  readonly path: string;
}

/** The cluster's superuser: reachable only through the unix socket, in a directory only the server's user can enter. */
export const SUPERUSER = 'daffeinated';
const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;

/**
 * One local PostgreSQL server. Local (unix socket) connections are trusted, so the socket lives in
 * a fresh private directory; TCP listens on loopback only, with passwords (scram-sha-256). The
 * server runs under the embedder's launcher, so it cannot outlive the sandbox's process; `stop`
 * shuts it down cleanly (a fast shutdown: open sessions are ended).
 */
export class PostgresCluster {
  private starting: Promise<void> | undefined;
  private server: LaunchedProcess | undefined;
  private socketDir: string | undefined;
  private readonly lines: string[] = [];
  private stopped = false;

  constructor(private readonly options: ClusterOptions) {}

  get port(): number {
    return this.options.port;
  }

  /** Whether the server accepts connections now. */
  get running(): boolean {
    return this.server !== undefined;
  }

  /** Starts the server (initdb first when the data directory is new); a failed start is retried by the next call. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the sandbox is closing: its PostgreSQL server stays stopped'));
    this.starting ??= this.boot().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Runs SQL as the superuser (psql, stopping at the first error); answers its unaligned output. */
  async sql(script: string, database = 'postgres'): Promise<string> {
    const result = await this.client('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-f', '-'], script);
    return result.stdout;
  }

  /** Runs a client program as the superuser (through the socket) with `args` after the connection options. */
  async client(tool: 'psql' | 'pg_dump' | 'pg_restore', args: readonly string[], input?: string): Promise<RunResult> {
    await this.start();
    const socket = this.socketDir as string;
    const result = await this.options.run({
      file: join(this.options.bin, tool),
      args: ['-h', socket, '-p', String(this.port), '-U', SUPERUSER, ...args],
      env: { PATH: this.options.path, PGTZ: 'UTC' },
      ...(input === undefined ? {} : { input }),
    });
    if (result.code !== 0) throw new Error(`${tool} failed: ${lastLine(result.stderr) ?? `exit code ${result.code}`}`);
    return result;
  }

  /** Stops the server for good (a later `start` fails). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => undefined);
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (server !== undefined) {
      const stopped = await this.asServer('pg_ctl', ['stop', '-D', this.options.data, '-m', 'fast', '-w', '-t', '30']);
      if (stopped.code !== 0) await server.stop(5_000);
      else await server.exited;
    }
    if (this.socketDir !== undefined) await rm(this.socketDir, { recursive: true, force: true });
    this.socketDir = undefined;
  }

  private async boot(): Promise<void> {
    const { data, user } = this.options;
    if (!existsSync(join(data, 'PG_VERSION'))) await this.initdb();
    await this.clearStalePid();
    // Short (a socket's path has ~100 characters at most) and the same for every run of this data
    // directory, so that one killed before it could remove the directory leaves no more behind.
    this.socketDir = join(tmpdir(), `daff-pg-${createHash('sha256').update(data).digest('hex').slice(0, 16)}`);
    await privateDir(this.socketDir, user);
    this.lines.length = 0;
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const args = ['-D', data, '-p', String(this.port), '-k', this.socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_permissions=0700'];
    const server = this.options.launch({
      command: `exec ${this.commandLine('postgres', args)}`,
      cwd: data,
      env: { PATH: this.options.path },
      onLine: (line) => {
        this.lines.push(line);
        if (this.lines.length > 20) this.lines.shift();
        if (line.includes(READY)) ready();
      },
    });
    void server.exited.then(() => {
      if (this.server === server) {
        this.server = undefined;
        this.starting = undefined;
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      isReady.then(() => 'ready' as const),
      server.exited.then(() => 'exited' as const),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'ready') {
      this.server = server;
      return;
    }
    await server.stop(1_000);
    throw new Error(`PostgreSQL did not start (data directory ${data}, port ${this.port}): ${this.lines.slice(-3).join(' / ') || outcome}`);
  }

  private async initdb(): Promise<void> {
    const { data, user } = this.options;
    await mkdir(dirname(data), { recursive: true, mode: 0o700 });
    if (user !== undefined) await chown(dirname(data), user.uid, user.gid);
    await rm(data, { recursive: true, force: true });
    const args = ['-D', data, '-U', SUPERUSER, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '-N'];
    const result = await this.asServer('initdb', args);
    if (result.code !== 0) throw new Error(`initdb of ${data} failed: ${lastLine(result.stderr) ?? `exit code ${result.code}`}`);
  }

  /**
   * A `postmaster.pid` left by a server that was killed: removed, unless its process is still a
   * server of this data directory (then that server is stopped first). PostgreSQL removes a stale
   * file itself only when no process has that id, which a reused id defeats.
   */
  private async clearStalePid(): Promise<void> {
    const file = join(this.options.data, 'postmaster.pid');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return;
    }
    const pid = Number(text.split('\n')[0]);
    if (Number.isInteger(pid) && servesData(pid, this.options.data)) {
      await this.asServer('pg_ctl', ['stop', '-D', this.options.data, '-m', 'immediate', '-w', '-t', '30']);
    }
    await rm(file, { force: true });
  }

  /** Runs one of the server's programs as the server's user. */
  private asServer(tool: 'initdb' | 'pg_ctl', args: readonly string[]): Promise<RunResult> {
    const program = join(this.options.bin, tool);
    const { user } = this.options;
    const env = { PATH: this.options.path, LC_ALL: 'C' };
    if (user === undefined) return this.options.run({ file: program, args, env });
    return this.options.run({ file: user.setpriv, args: [...runAs(user), program, ...args], env });
  }

  private commandLine(tool: 'postgres', args: readonly string[]): string {
    const { user } = this.options;
    const program = join(this.options.bin, tool);
    const words = user === undefined ? [program, ...args] : [user.setpriv, ...runAs(user), program, ...args];
    return words.map(shellQuote).join(' ');
  }
}

/** Makes `dir` a directory only the server's user may enter; an existing one must be that user's own (no symlink). */
async function privateDir(dir: string, user: ServerUser | undefined): Promise<void> {
  const owner = user?.uid ?? userInfo().uid;
  try {
    await mkdir(dir, { mode: 0o700 });
    if (user !== undefined) await chown(dir, user.uid, user.gid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const found = await lstat(dir);
    if (!found.isDirectory() || found.uid !== owner) throw new Error(`${dir} exists but is not a directory of the server's user: remove it`);
    await chmod(dir, 0o700);
  }
}

function runAs(user: ServerUser): string[] {
  return [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];
}

/** Whether process `pid` is a PostgreSQL server started on `data` (Linux: its command line; elsewhere unknown, so no). */
function servesData(pid: number, data: string): boolean {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return words.some((word) => word.endsWith('postgres')) && words.includes(data);
  } catch {
    return false;
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function lastLine(text: string): string | undefined {
  return text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .at(-1);
}
