import { hostname } from 'node:os';
import { runCli } from '../../src/cli.js';
import { type Io, processAlive, processNamespace } from '../../src/runtime/io.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FakeIoOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  readonly interactive?: boolean;
  readonly answers?: readonly string[];
  readonly now?: Date;
  /**
   * Knows this machine as the real process does (host, pid, process namespace, which processes
   * run), so it can tell a killed child's apply lock is stale; other runs in-process cannot.
   */
  readonly thisMachine?: boolean;
}

/** An Io with captured streams, a fixed clock and no colour. */
export function fakeIo(options: FakeIoOptions): Io & { out: string[]; err: string[]; prompts: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  return {
    out,
    err,
    prompts,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: { HOME: options.cwd, ...(options.env ?? {}) },
    cwd: options.cwd,
    now: () => options.now ?? new Date('2026-11-22T12:00:00Z'),
    interactive: options.interactive ?? false,
    color: false,
    stderrIsTTY: false,
    prompt: async (question) => {
      prompts.push(question);
      return answers.shift() ?? '';
    },
    ...(options.thisMachine === true ? machineFacts() : {}),
  };
}

function machineFacts(): Pick<Io, 'host' | 'pid' | 'machine' | 'processAlive'> {
  const machine = processNamespace();
  return { host: hostname(), pid: process.pid, processAlive, ...(machine === undefined ? {} : { machine }) };
}

/** Runs the CLI in-process, as `daffeinated ARGS…` would, and captures its streams. */
export async function cli(args: readonly string[], options: FakeIoOptions): Promise<CliRun> {
  const io = fakeIo(options);
  const code = await runCli(args, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}
