/**
 * Section 4, the peer: the reads of a nightly drift check done with the official Heroku CLI the
 * way a user scripts them — one command per kind and app, one after the other — against the same
 * sandbox and latency as `daffeinated drift --all`, both spawned cold. The CLI (npm `heroku@11`,
 * ~400 MB) is installed into a temporary folder (or taken from HEROKU_CLI_DIR), isolated as in
 * test/peers/heroku-cli.ts (own HOME, telemetry and update checks off, every host the sandbox),
 * and never becomes a dependency; without network the section is skipped with a notice.
 *
 * daffeinated also reads the Cloudflare zone in the same run; the Heroku CLI reads no Cloudflare.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchConfig } from './config.js';
import { expectCode, type Workspace } from './cli.js';
import type { BenchSandbox } from './sandbox.js';
import { isolatedHerokuCliEnv } from '../test/peers/heroku-cli-env.js';

const run = promisify(execFile);

export interface PeerResult {
  readonly status: 'ok' | 'skipped';
  readonly notice?: string;
  readonly cliVersion?: string;
  readonly commands?: readonly string[];
  readonly byLatency?: readonly PeerRow[];
}

export interface PeerRow {
  readonly latencyMs: number;
  readonly herokuCliMs: number;
  readonly herokuCliRequests: number;
  readonly herokuCliFailures: readonly string[];
  readonly daffeinatedMs: number;
  readonly daffeinatedRequests: number;
  /** Heroku CLI wall time / daffeinated wall time. */
  readonly ratio: number;
}

/** The Heroku CLI's bin, installing it first when needed; undefined (with why) when that fails. */
export async function herokuCli(onProgress: (line: string) => void): Promise<{ bin?: string; notice?: string }> {
  const dir = process.env['HEROKU_CLI_DIR'] || join(tmpdir(), 'daffeinated-bench-heroku-cli');
  const bin = join(dir, 'node_modules/heroku/bin/run.js');
  if (existsSync(bin)) return { bin };
  onProgress(`installing the official Heroku CLI into ${dir} (npm install heroku@11, about a minute)…`);
  try {
    mkdirSync(dir, { recursive: true });
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, 'heroku@11'], {
      maxBuffer: 64 << 20,
      timeout: 600_000,
    });
  } catch (error) {
    return {
      notice: `the official Heroku CLI could not be installed (${(error as Error).message.split('\n')[0]}); peer comparison skipped`,
    };
  }
  return existsSync(bin) ? { bin } : { notice: `npm installed no ${bin}; peer comparison skipped` };
}

export async function peerComparison(
  root: string,
  bin: string,
  config: BenchConfig,
  workspace: Workspace,
  sandbox: BenchSandbox,
  apps: readonly string[],
  pipeline: string,
  latencies: readonly number[],
): Promise<PeerResult> {
  await sandbox.setLatency(0);
  await sandbox.reset();
  workspace.write(config.yaml);
  expectCode(await workspace.run(['apply', '--all', '--yes'], sandbox.url), [0], 'peer set-up apply');
  const env = isolatedHerokuCliEnv(join(tmpdir(), 'daffeinated-bench-heroku-home'), sandbox.url, 'bench-token');
  const version = spawnSync(process.execPath, ['--no-deprecation', bin, '--version'], {
    env,
    encoding: 'utf8',
  }).stdout.trim();
  const kinds = ['apps:info', 'config', 'ps', 'addons', 'domains', 'buildpacks', 'features', 'drains'];
  const commands = [...apps.flatMap((app) => kinds.map((kind) => [kind, '-a', app])), ['pipelines:info', pipeline]];
  const rows: PeerRow[] = [];
  for (const latency of latencies) {
    await sandbox.setLatency(latency);
    await sandbox.clearLog();
    const failures: string[] = [];
    const started = performance.now();
    for (const args of commands) {
      const result = spawnSync(process.execPath, ['--no-deprecation', bin, ...args], {
        env,
        encoding: 'utf8',
        maxBuffer: 16 << 20,
      });
      if (result.status !== 0)
        failures.push(
          `heroku ${args.join(' ')} (exit ${result.status}): ${(result.stderr || result.stdout).trim().split('\n')[0]}`,
        );
    }
    const herokuCliMs = performance.now() - started;
    const herokuCliRequests = (await sandbox.log()).length;
    await sandbox.clearLog();
    const daffStarted = performance.now();
    const daff = spawnSync(
      process.execPath,
      [join(root, 'bin/daffeinated.js'), 'drift', '--all', '--sandbox', sandbox.url],
      {
        cwd: workspace.cwd,
        env: { PATH: process.env['PATH'], HOME: workspace.cwd, NO_COLOR: '1', ...config.env },
        encoding: 'utf8',
      },
    );
    const daffeinatedMs = performance.now() - daffStarted;
    if (daff.status !== 0) throw new Error(`daffeinated drift --all exited ${daff.status}: ${daff.stderr}`);
    const daffeinatedRequests = (await sandbox.log()).length;
    rows.push({
      latencyMs: latency,
      herokuCliMs,
      herokuCliRequests,
      herokuCliFailures: failures,
      daffeinatedMs,
      daffeinatedRequests,
      ratio: herokuCliMs / daffeinatedMs,
    });
  }
  await sandbox.setLatency(0);
  return { status: 'ok', cliVersion: version, commands: commands.map((c) => `heroku ${c.join(' ')}`), byLatency: rows };
}
