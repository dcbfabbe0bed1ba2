/**
 * Section 6 (rate budget, issue #20): the Heroku requests of a converged `drift --all` of N
 * environments, against DESIGN.md §8's ≤ 4.5·N + 10, for the large config's 20 environments and
 * 200 that declare only their apps (`bare-200`; `large-200` is the large shape with 200, about an
 * hour to set up on a loaded 2-core machine); and its rounds at each latency. Each account is set
 * up once (latency 0), then drifted once per latency, with the lock survey (the default) and with
 * `--no-lock-survey` (one row each); every request counts, `/account/rate-limits` (free) apart.
 *
 * The sandbox runs in this process here, unlike the other sections': a spawned one closes idle
 * connections on its own clock, and when a loaded machine holds up daffeinated's (the plan of
 * 3,500 records takes seconds of CPU) the client reuses one the sandbox has closed, and a POST
 * fails with ECONNRESET (not resent: client.ts). At a load of 16 on 2 cores every setup apply
 * stopped so. In one process both wait alike. The rounds are the slope of wall time over latency,
 * which leaves the sandbox's CPU (constant per latency) out.
 */
import { type SandboxHandle, startSandbox } from '../src/sandbox/index.js';
import { busyMs, expectCode, Workspace } from './cli.js';
import type { BenchConfig } from './config.js';
import { BENCH_SANDBOX_OPTIONS } from './sandbox.js';
import type { RequestLogEntry } from '../src/sandbox/index.js';

export interface BudgetRow {
  readonly config: string;
  readonly environments: number;
  /** Whether the drift read the apply locks (false: `--no-lock-survey`). */
  readonly lockSurvey: boolean;
  /** Heroku requests of the drift (latency 0), and the design's limit for N environments. */
  readonly requests: number;
  readonly limit: number;
  /** Heroku requests by path, the app's name replaced by `{app}`. */
  readonly byPath: Record<string, number>;
  /** Wall time per latency (ms): on a loaded machine mostly CPU, so not the rounds. */
  readonly wallMs: Record<number, number>;
  /** Time with requests in flight / latency (the scenarios' measure; CPU inflates it here). */
  readonly busyRounds: Record<number, number>;
  /** Rounds from the sandbox's log (`logRounds`), per latency. */
  readonly rounds: Record<number, number>;
}

/** Environments per apply while the account is set up. */
const APPLY_BATCH = 20;
/** Applies of one batch before the section gives up. */
const APPLY_ATTEMPTS = 5;

/** DESIGN.md §8: a converged drift of N environments costs at most this many Heroku requests. */
export function budgetLimit(environments: number): number {
  return 4.5 * environments + 10;
}

/** `/apps/daff-bench-env07/domains` → `/apps/{app}/domains`. */
function pathKind(path: string): string {
  return path.replace(/^\/apps\/[^/]+/, '/apps/{app}').replace(/^\/pipelines\/[^/]+/, '/pipelines/{pipeline}');
}

export async function runBudget(
  configs: readonly { readonly config: BenchConfig; readonly environments: number }[],
  latencies: readonly number[],
  onProgress: (line: string) => void,
  onRow: (row: BudgetRow) => void,
): Promise<void> {
  for (const { config, environments } of configs) {
    const sandbox = await startSandbox({ ...BENCH_SANDBOX_OPTIONS, zones: config.zones });
    try {
      onProgress(`rate budget: setting up ${config.name} (${environments} environments)`);
      const workspace = new Workspace(config.yaml, config.env);
      if (config.setUp === 'create-apps') await createApps(sandbox, config);
      else await applyInBatches(sandbox, workspace, config, onProgress);
      // Warm-up: module loading and JIT are not measured.
      expectCode(await workspace.run(['drift', '--all'], sandbox.url), [0], `${config.name} drift`);
      for (const lockSurvey of [true, false])
        onRow(await measure(sandbox, workspace, { config, environments, lockSurvey }, latencies, onProgress));
    } finally {
      await sandbox.close();
    }
  }
}

async function measure(
  sandbox: SandboxHandle,
  workspace: Workspace,
  drift: { readonly config: BenchConfig; readonly environments: number; readonly lockSurvey: boolean },
  latencies: readonly number[],
  onProgress: (line: string) => void,
): Promise<BudgetRow> {
  const { config, environments, lockSurvey } = drift;
  const args = ['drift', '--all', ...(lockSurvey ? [] : ['--no-lock-survey'])];
  const wallMs: Record<number, number> = {};
  const rounds: Record<number, number> = {};
  const busyRounds: Record<number, number> = {};
  let requests = 0;
  const byPath: Record<string, number> = {};
  for (const latency of latencies) {
    onProgress(`rate budget: ${args.join(' ')} of ${config.name} at ${latency} ms`);
    sandbox.setFaults({ latencyMs: latency });
    sandbox.resetLog();
    const run = expectCode(await workspace.run(args, sandbox.url), [0], `${config.name} ${args.join(' ')}`);
    wallMs[latency] = run.ms;
    if (latency > 0) busyRounds[latency] = busyMs(run.exchanges) / latency;
    const heroku = sandbox.requestLog().filter(
      (e) => !e.path.startsWith('/client/v4') && e.path !== '/account/rate-limits',
    );
    if (latency > 0) rounds[latency] = logRounds(sandbox.requestLog());
    if (latency === latencies[0]) {
      requests = heroku.length;
      for (const e of heroku) byPath[`${e.method} ${pathKind(e.path)}`] = (byPath[`${e.method} ${pathKind(e.path)}`] ?? 0) + 1;
    }
  }
  sandbox.setFaults({});
  return {
    config: config.name,
    environments,
    lockSurvey,
    requests,
    limit: budgetLimit(environments),
    byPath,
    wallMs,
    rounds,
    busyRounds,
  };
}

/**
 * Applies 20 environments at a time: one apply of 200 empty apps (about 9,000 requests) had a
 * loaded 2-core machine's sandbox answering in over 20 s. An apply stopped by a failed POST (not
 * resent: client.ts) is finished by the same apply again.
 */
async function applyInBatches(
  sandbox: SandboxHandle,
  workspace: Workspace,
  config: BenchConfig,
  onProgress: (line: string) => void,
): Promise<void> {
  const all = config.environments ?? [];
  for (let from = 0; from < all.length; from += APPLY_BATCH) {
    const batch = all.slice(from, from + APPLY_BATCH);
    for (let attempt = 1; ; attempt++) {
      const run = await workspace.run(['apply', ...batch, '--yes'], sandbox.url);
      if (run.code === 0) break;
      if (attempt === APPLY_ATTEMPTS) expectCode(run, [0], `${config.name} apply of ${batch[0]}…${batch.at(-1)}`);
      onProgress(`rate budget: the apply of ${batch[0]}…${batch.at(-1)} stopped (exit ${run.code}); applying again`);
    }
  }
}

/** A `POST /apps` per environment, with a token of its own (its bucket is not the drift's). */
async function createApps(sandbox: SandboxHandle, config: BenchConfig): Promise<void> {
  const names = [...config.yaml.matchAll(/^ {4}app: (\S+)$/gm)].map((m) => m[1] as string);
  for (const name of names) {
    const response = await fetch(`${sandbox.url}/apps`, {
      method: 'POST',
      headers: {
        Accept: 'application/vnd.heroku+json; version=3',
        Authorization: 'Bearer bench-seed',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name, region: 'us', stack: 'heroku-24' }),
    });
    if (response.status !== 201) throw new Error(`creating ${name}: HTTP ${response.status} ${await response.text()}`);
  }
}

/**
 * The request rounds of a command from the sandbox's log: the longest chain of requests each sent
 * after the one before it was answered. Every exchange takes at least the injected latency, so
 * this counts the exchanges on the critical path — dependencies and waves held back by the
 * concurrency bound or the pacer alike — and none of the CPU time between them, which on a loaded
 * machine outweighs the latency (wall time / latency is then no measure of rounds).
 */
export function logRounds(log: readonly RequestLogEntry[]): number {
  const events = log.flatMap((e, i) => [
    { at: e.startedMs, i, start: true },
    { at: e.startedMs + e.durationMs, i, start: false },
  ]);
  // Answers before starts at the same instant: a request sent as another is answered follows it.
  events.sort((a, b) => a.at - b.at || Number(a.start) - Number(b.start));
  const depth = new Array<number>(log.length).fill(0);
  let answered = 0;
  for (const event of events) {
    if (event.start) depth[event.i] = answered + 1;
    else answered = Math.max(answered, depth[event.i] as number);
  }
  return answered;
}
