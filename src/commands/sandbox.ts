import { ExitCode } from '../runtime/errors.js';
import { startProcessGroup } from '../runtime/exec.js';
import type { Io } from '../runtime/io.js';

export interface SandboxOptions {
  readonly port: number;
  readonly host: string;
  readonly state: string;
  readonly zones: readonly string[];
  readonly latencyMs: number;
  /** Run deployed apps' web processes (only PATH and HOME of ours reach them). */
  readonly processes: boolean;
}

/**
 * `sandbox`: runs the local Heroku + Cloudflare API emulator in the foreground until interrupted.
 * Bound to anything but loopback it requires DAFFEINATED_SANDBOX_TOKEN.
 */
export async function sandboxCommand(io: Io, options: SandboxOptions, stopped: Promise<void>): Promise<ExitCode> {
  const { startSandbox } = await import('../sandbox/index.js');
  const token = io.env['DAFFEINATED_SANDBOX_TOKEN'];
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    stateFile: options.state,
    zones: [...options.zones],
    latencyMs: options.latencyMs,
    ...(token === undefined ? {} : { token }),
    ...(options.processes ? { processes: { launch: startProcessGroup, env: pick(io.env, ['PATH', 'HOME']) } } : {}),
  });
  io.stdout(`${sandbox.url}\n`);
  io.stderr(
    `Sandbox listening on ${sandbox.url} (state in ${options.state}). Use it with: daffeinated plan --sandbox ${sandbox.url}\nPress Ctrl-C to stop.\n`,
  );
  await stopped;
  await sandbox.close();
  return ExitCode.Ok;
}

function pick(env: Io['env'], keys: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
