import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestLogEntry, SandboxHandle } from '../../src/sandbox/index.js';
import { type CliRun, cli } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The repository's reference config (config/app.yaml) as text. */
export const REFERENCE_YAML = readFileSync(join(root, 'config/app.yaml'), 'utf8');

/** Heroku's asynchronous work due on the next request, so scenarios never wait long. */
export const QUICK_HEROKU = { addonProvisionMs: 0, domainMs: 0, acmMs: 0 } as const;

/** A working directory holding an app.yaml, and the CLI run in it against a sandbox. */
export class Scenario {
  readonly cwd = mkdtempSync(join(tmpdir(), 'daff-scenario-'));

  constructor(
    private readonly sandbox: () => SandboxHandle,
    yaml = REFERENCE_YAML,
    private readonly env: Record<string, string> = {},
  ) {
    this.write(yaml);
  }

  write(yaml: string): void {
    writeFileSync(join(this.cwd, 'app.yaml'), yaml);
  }

  /** `daffeinated ARGS --sandbox URL` in the scenario's directory (`thisMachine`: see `FakeIoOptions`). */
  run(args: readonly string[], env: Record<string, string> = {}, options: { thisMachine?: boolean } = {}): Promise<CliRun> {
    return cli([...args, '--sandbox', this.sandbox().url], { cwd: this.cwd, env: { ...this.env, ...env }, ...options });
  }
}

/** Heroku requests in the sandbox log, as `METHOD path`. */
export function herokuRequests(
  sandbox: SandboxHandle,
  filter: (entry: RequestLogEntry) => boolean = () => true,
): string[] {
  return sandbox
    .requestLog()
    .filter((entry) => entry.api === 'heroku' && filter(entry))
    .map((entry) => `${entry.method} ${entry.path}`);
}

/**
 * Heroku requests other than GET, without the apply lock's bookkeeping (providers/heroku/lock.ts
 * records a lock as an app webhook and removes it again): the configs these are used with declare none.
 */
export function herokuWrites(sandbox: SandboxHandle): string[] {
  return herokuRequests(sandbox, (entry) => entry.method !== 'GET' && !isLockBookkeeping(entry));
}

/** A write to an app's webhooks: an apply lock being taken or released (daffeinated manages no other webhooks). */
export function isLockBookkeeping(entry: RequestLogEntry): boolean {
  return entry.method !== 'GET' && /^\/apps\/[^/]+\/webhooks(\/|$)/.test(entry.path);
}

/** How many times each item occurs, keys sorted. */
export function tally(items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of [...items].sort()) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
