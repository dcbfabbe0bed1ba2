import { loadConfig } from '../config/index.js';
import type { Config } from '../model/config.js';
import { ExitCode, UsageError } from '../runtime/errors.js';
import { runProgram, startProcessGroup } from '../runtime/exec.js';
import type { Io } from '../runtime/io.js';
import { paidZoneHints } from '../workflows/zone-plans.js';
import { slugCacheDir } from './cache-dir.js';

export interface SandboxOptions {
  readonly port: number;
  readonly host: string;
  readonly state: string;
  readonly zones: readonly string[];
  readonly latencyMs: number;
  /** Run deployed apps' web processes (only PATH and HOME of ours reach them). */
  readonly processes: boolean;
  /** app.yaml to read zones from for the start-up hint (`--config`; default: the usual places). */
  readonly config?: string;
}

/**
 * `sandbox`: runs the local Heroku + Cloudflare API emulator in the foreground until interrupted.
 * Bound to anything but loopback it requires DAFFEINATED_SANDBOX_TOKEN.
 */
export async function sandboxCommand(io: Io, options: SandboxOptions, stopped: Promise<void>): Promise<ExitCode> {
  const { startSandbox, SandboxOptionsError } = await import('../sandbox/index.js');
  const token = io.env['DAFFEINATED_SANDBOX_TOKEN'];
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    stateFile: options.state,
    zones: [...options.zones],
    latencyMs: options.latencyMs,
    ...(token === undefined ? {} : { token }),
    ...(options.processes
      ? { processes: { launch: startProcessGroup, run: runProgram, env: pick(io.env, ['PATH', 'HOME']), slugDir: slugCacheDir(io) } }
      : {}),
    notice: (message) => io.stderr(`${message}\n`),
  }).catch((error: unknown) => {
    throw startFailure(error, options, error instanceof SandboxOptionsError);
  });
  io.stdout(`${sandbox.url}\n`);
  io.stderr(
    `Sandbox listening on ${sandbox.url} (state in ${options.state}). Use it with: daffeinated plan --sandbox ${sandbox.url}\n`,
  );
  for (const line of appYamlHints(io, options)) io.stderr(`${line}\n`);
  io.stderr('Press Ctrl-C to stop.\n');
  await stopped;
  await sandbox.close();
  return ExitCode.Ok;
}

/** Why the sandbox could not start, as a user error when it is one (bad options, an address in use). */
function startFailure(error: unknown, options: SandboxOptions, badOptions: boolean): unknown {
  const where = `${options.host}:${options.port}`;
  if (badOptions) {
    return new UsageError(`Cannot start the sandbox on ${options.host}: ${(error as Error).message}`, {
      hint: 'Bound to another address than loopback, every client must present a token: export DAFFEINATED_SANDBOX_TOKEN (printable characters, no spaces), or leave --host at 127.0.0.1.',
    });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const listen: Record<string, [string, string]> = {
    EADDRINUSE: ['the port is in use', 'Choose another port with --port, or --port 0 for any free one.'],
    EADDRNOTAVAIL: [
      'the address is not one of this machine',
      'Give --host an address of this machine, or leave it at 127.0.0.1.',
    ],
    EACCES: ['permission denied', 'Ports below 1024 need privileges: choose a higher --port.'],
  };
  const known = code === undefined ? undefined : listen[code];
  return known === undefined ? error : new UsageError(`Cannot listen on ${where}: ${known[0]}`, { hint: known[1] });
}

/** The paid-zone hints for app.yaml (none when there is none or it does not load: the sandbox needs none). */
function appYamlHints(io: Io, options: SandboxOptions): string[] {
  let config: Config;
  try {
    config = loadConfig({
      ...(options.config === undefined ? {} : { path: options.config }),
      cwd: io.cwd,
      env: io.env,
    });
  } catch {
    return [];
  }
  const named = options.zones.filter((zone) => zone.includes(':')).map((zone) => zone.split(':')[0] ?? '');
  return paidZoneHints(config, new Set(named.map((name) => name.toLowerCase().replace(/\.$/, ''))));
}

function pick(env: Io['env'], keys: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
