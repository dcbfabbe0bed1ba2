/**
 * Runs daffeinated in this process, as `daffeinated ARGS --sandbox URL` would, with captured
 * streams. In-process on purpose for the round counts: module loading happens once (cold start is
 * measured on its own, by spawning the bin), so a command's wall time is its requests and its CPU.
 */
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import type { Io } from '../src/runtime/io.js';

export interface DaffRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the whole command, in milliseconds. */
  readonly ms: number;
  /** Each API exchange as daffeinated timed it (`--debug` lines), on this process's clock. */
  readonly exchanges: readonly Exchange[];
  /** TCP connections opened (over TLS each costs a handshake: one or two more round trips). */
  readonly connections: number;
}

/** Every client socket this process opens (http.request and fetch alike) is counted here. */
let socketsOpened = 0;
subscribe('net.client.socket', () => {
  socketsOpened += 1;
});

export interface Exchange {
  readonly startMs: number;
  readonly endMs: number;
}

/** `debug: GET /apps/x → 200 in 153 ms (request id …)`, one line per exchange (commands/connect.ts). */
const DEBUG_LINE = /^debug: \S+ \S+ → \S+ in (\d+) ms/;

/** A working directory with an app.yaml, and the environment its commands see. */
export class Workspace {
  readonly cwd = mkdtempSync(join(tmpdir(), 'daff-bench-'));

  constructor(
    yaml: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {
    this.write(yaml);
  }

  write(yaml: string): void {
    writeFileSync(join(this.cwd, 'app.yaml'), yaml);
  }

  io(out: string[], err: string[], exchanges: Exchange[] = []): Io {
    return {
      stdout: (text) => out.push(text),
      stderr: (text) => {
        // The line is written when the exchange ends; it says how long the exchange took.
        const timed = DEBUG_LINE.exec(text);
        if (timed === null) err.push(text);
        else exchanges.push({ startMs: performance.now() - Number(timed[1]), endMs: performance.now() });
      },
      env: { HOME: this.cwd, PATH: process.env['PATH'], ...this.env },
      cwd: this.cwd,
      now: () => new Date(),
      interactive: false,
      color: false,
      stderrIsTTY: false,
      prompt: () => Promise.reject(new Error('the benchmark never answers prompts')),
    };
  }

  /** `--debug` makes daffeinated time each exchange; nothing else about the command changes. */
  async run(args: readonly string[], sandboxUrl: string): Promise<DaffRun> {
    const out: string[] = [];
    const err: string[] = [];
    const exchanges: Exchange[] = [];
    const sockets = socketsOpened;
    const started = performance.now();
    const code = await runCli([...args, '--sandbox', sandboxUrl, '--debug'], this.io(out, err, exchanges));
    const ms = performance.now() - started;
    return { code, stdout: out.join(''), stderr: err.join(''), ms, exchanges, connections: socketsOpened - sockets };
  }
}

/**
 * Time with at least one request in flight: the union of the exchanges' intervals. Divided by the
 * injected latency it is the number of request rounds on the critical path, without the CPU time
 * spent between rounds and without fixed sleeps (the first add-on poll waits 250 ms).
 */
export function busyMs(exchanges: readonly Exchange[]): number {
  const sorted = [...exchanges].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let current: { start: number; end: number } | undefined;
  for (const e of sorted) {
    if (current !== undefined && e.startMs <= current.end) current.end = Math.max(current.end, e.endMs);
    else {
      if (current !== undefined) total += current.end - current.start;
      current = { start: e.startMs, end: e.endMs };
    }
  }
  return total + (current === undefined ? 0 : current.end - current.start);
}

/** Fails the benchmark loudly when a command that must succeed did not. */
export function expectCode(run: DaffRun, codes: readonly number[], what: string): DaffRun {
  if (!codes.includes(run.code)) {
    const tail = run.stderr
      .split('\n')
      .filter((l) => !l.includes(': applying'))
      .slice(-15)
      .join('\n');
    throw new Error(`${what} exited ${run.code} (expected ${codes.join(' or ')}):\n${tail}`);
  }
  return run;
}
