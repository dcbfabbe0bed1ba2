import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Everything that touches the process, injected everywhere else. Tests build their own `Io` with
 * captured streams, a fixed clock and a fake environment.
 */
export interface Io {
  /** Result output only (plans, reports), so `--format json | jq` works. */
  readonly stdout: (text: string) => void;
  /** Progress, logs, warnings and errors. */
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
  /** Whether a person can answer a prompt (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** Colour on stdout/stderr: a TTY and no NO_COLOR. */
  readonly color: boolean;
  readonly stderrIsTTY: boolean;
  /** Asks on stderr, reads one line from stdin. Only called when `interactive`. */
  readonly prompt: (question: string) => Promise<string>;
  /** This machine's name and this process's id (recorded in apply locks); absent in some tests. */
  readonly host?: string;
  readonly pid?: number;
  /** This boot's process namespace, opaque (`processNamespace`); absent where it cannot be told. */
  readonly machine?: string;
  /** Whether a process of this machine is still running (a killed apply's lock is stale). */
  readonly processAlive?: (pid: number) => boolean;
}

/** The real process, used only by cli.ts. */
export function processIo(): Io {
  const env = process.env;
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const forceColor = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  const machine = processNamespace();
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    env,
    cwd: process.cwd(),
    now: () => new Date(),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    color: !noColor && (forceColor || Boolean(process.stdout.isTTY)),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    prompt: async (question) => {
      // Imported on the first prompt: most runs never ask anything.
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    host: hostname(),
    pid: process.pid,
    ...(machine === undefined ? {} : { machine }),
    processAlive,
  };
}

/**
 * Where process ids name the same processes: this boot (Linux's boot id) and this pid namespace
 * (a container has its own), hashed to 16 hex digits. Two containers may share a host name, but
 * never this. Undefined off Linux (or without /proc), where the host name has to do.
 */
export function processNamespace(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const namespace = readlinkSync('/proc/self/ns/pid');
    return createHash('sha256').update(`${boot} ${namespace}`).digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}

/** Signal 0 checks without signalling: ESRCH means gone; EPERM means it runs as someone else. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to every process of the group `pid` leads; throws when the group is gone. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  process.kill(-pid, signal);
}
