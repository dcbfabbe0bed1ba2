import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';

export interface SandboxOptions {
  readonly port: number;
  readonly host: string;
  readonly state: string;
  readonly zones: readonly string[];
  readonly latencyMs: number;
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
  });
  io.stdout(`${sandbox.url}\n`);
  io.stderr(
    `Sandbox listening on ${sandbox.url} (state in ${options.state}). Use it with: daffeinated plan --sandbox ${sandbox.url}\nPress Ctrl-C to stop.\n`,
  );
  await stopped;
  await sandbox.close();
  return ExitCode.Ok;
}
