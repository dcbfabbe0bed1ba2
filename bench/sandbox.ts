/**
 * Starting and steering the benchmark's sandbox (bench/sandbox-process.ts) over its admin routes
 * (docs/SANDBOX.md): reset, injected latency, the request log. Every setting that would make wall
 * time measure the sandbox rather than daffeinated is switched off here, and the docs say so:
 * Heroku's asynchronous work (add-on provisioning, domains, ACM, builds…) is due at once, and both
 * rate limits are lifted (the benchmark sends thousands of requests in a few minutes; the budget a
 * command uses is reported from the request counts instead).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RequestLogEntry, SandboxOptions } from '../src/sandbox/index.js';

/** Fixed seed: same ids and names on every run. */
export const SANDBOX_SEED = 20_261_122;

export const BENCH_SANDBOX_OPTIONS: SandboxOptions = {
  seed: SANDBOX_SEED,
  heroku: { addonProvisionMs: 0, buildMs: 0, releaseStartMs: 0, releasePhaseMs: 0, promotionMs: 0, domainMs: 0, acmMs: 0 },
  rateLimit: { capacity: 1_000_000_000, refillPerMinute: 1_000_000_000 },
  cloudflareRateLimit: { requests: 1_000_000_000, windowSeconds: 300 },
};

export class BenchSandbox {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(root: string, zones: SandboxOptions['zones']): Promise<BenchSandbox> {
    const options = JSON.stringify({ ...BENCH_SANDBOX_OPTIONS, zones });
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sandbox-process.ts', options], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the bench sandbox exited (${code}) before listening`)));
    });
    return new BenchSandbox((JSON.parse(line) as { url: string }).url, child);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin?.end();
    await exited;
  }

  /** A fresh world (same seed and zones); also clears the log and rate limits. */
  async reset(): Promise<void> {
    await this.admin('POST', '/reset');
  }

  /** Latency added to every API request from now on (no jitter: the same on every run). */
  async setLatency(latencyMs: number): Promise<void> {
    await this.admin('PUT', '/faults', { latencyMs });
  }

  async clearLog(): Promise<void> {
    await this.admin('DELETE', '/requests');
  }

  async log(): Promise<RequestLogEntry[]> {
    return ((await this.admin('GET', '/requests')) as { requests: RequestLogEntry[] }).requests;
  }

  /** Admin routes are idempotent; one retry covers a kept-alive socket the server closed meanwhile. */
  private async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const send = () =>
      fetch(`${this.url}/__sandbox${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      });
    const response = await send().catch(send);
    if (!response.ok)
      throw new Error(`sandbox admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  }
}
