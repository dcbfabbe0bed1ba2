/**
 * Sections 1 (calls) and 2 (rounds): each config is run through the same story at each injected
 * latency — plan of an empty account, apply of it, plan and drift of the converged result, and
 * apply of one config var change — with daffeinated in this process and the sandbox in its own.
 *
 * Rounds: wall time / latency at 50 and 150 ms, and the least-squares slope of the fastest run's
 * wall time over the latencies (0, 50, 150 ms): the number of request rounds on the critical path,
 * with every cost that does not grow with latency (CPU, the first add-on poll's fixed 250 ms sleep)
 * taken out.
 * Calls come from the first latency-0 run; the other latencies must send the same number of
 * requests (reported per latency).
 */
import { parseDocument } from 'yaml';
import { prepare } from '../src/commands/context.js';
import type { Resource } from '../src/model/resource.js';
import { busyMs, expectCode, Workspace } from './cli.js';
import type { BenchConfig } from './config.js';
import type { Scenario } from './desired.js';
import { type CallsResult, compareCalls, minimumRequests } from './minimum.js';
import type { BenchSandbox } from './sandbox.js';

/**
 * The dependency depth of each scenario (docs/BENCHMARKS.md): the rounds a client needs when every
 * request is sent as soon as what it depends on has answered, and no concurrency bound binds.
 */
export const TARGET_ROUNDS: Record<Scenario, number> = {
  // The zone lookup ∥ every Heroku read; then DNS listing, settings (with ssl_automatic_mode) and
  // WAF phases — and the price lists of a plan with priced changes: they depend only on the Heroku reads.
  'plan-empty': 2,
  plan: 2,
  drift: 2,
  // Read 2 (prices included); apps, pipeline and the zone's settings and phases 1; each app's parts
  // (ACM, config vars, add-ons, domains, buildpacks, features) and its coupling 1; the DNS batch (it
  // needs the domains' DNS targets) ∥ the add-on provisioning polls 1; the confirming re-read 1 (zone
  // id known). What the APIs force; the lock check, ACM after the app and the coupling after the
  // add-ons are daffeinated's choices (docs/BENCHMARKS.md).
  'apply-empty': 6,
  // Read 2, one PATCH, the confirming re-read 1; the apply lock adds its own rounds.
  'apply-one': 4,
};

export interface ScenarioResult {
  readonly config: string;
  readonly scenario: Scenario;
  /** Median wall time per latency, in ms. */
  readonly wallMs: Record<number, number>;
  /** Every run's wall time per latency. */
  readonly runsMs: Record<number, number[]>;
  /** Median time with a request in flight, divided by the latency: rounds on the critical path. */
  readonly rounds: Record<number, number>;
  readonly calls: CallsResult;
  /** Requests sent at each latency (must all equal calls.made). */
  readonly requestsByLatency: Record<number, number>;
  /** TCP connections daffeinated opened (latency-0 run). */
  readonly connections: number;
  /** Least-squares slope of the busy time (requests in flight) over latency: a cross-check of `roundsSlope`. */
  readonly busySlope: number;
  readonly roundsSlope: number;
  readonly target: number;
}

const COMMANDS: Record<Scenario, readonly string[]> = {
  'plan-empty': ['plan', '--all'],
  plan: ['plan', '--all'],
  drift: ['drift', '--all'],
  'apply-empty': ['apply', '--all', '--yes'],
  'apply-one': ['apply', '--all', '--yes'],
};

export async function runScenarios(
  config: BenchConfig,
  sandbox: BenchSandbox,
  latencies: readonly number[],
  repeats: number,
  onProgress: (line: string) => void,
  atLatency?: (latencyMs: number, workspace: Workspace, desired: readonly Resource[]) => Promise<void>,
): Promise<ScenarioResult[]> {
  const workspace = new Workspace(config.yaml, config.env);
  const prepared = prepare(workspace.io([], []), { debug: false }, { names: [], all: true, defaultAll: true });
  const desired = prepared.desired.resources;
  const changedApp = prepared.config.environments[config.oneChange.environment]?.app ?? '';
  const zonePlans = Object.fromEntries(config.zones.map((z) => [z.name, z.plan]));
  const results = new Map<Scenario, Entry>();
  // One warm-up plan: module loading and JIT are not part of any measured run.
  await sandbox.reset();
  await workspace.run(['plan', '--all'], sandbox.url);

  const measure = async (scenario: Scenario, latency: number, zoneRecords: number, codes: readonly number[]) => {
    await sandbox.clearLog();
    const run = expectCode(
      await workspace.run(COMMANDS[scenario], sandbox.url),
      codes,
      `${config.name} ${scenario} at ${latency} ms`,
    );
    const log = await sandbox.log();
    const entry = results.get(scenario) ?? { runs: {}, busy: {}, requests: {} };
    entry.runs[latency] = [...(entry.runs[latency] ?? []), run.ms];
    entry.busy[latency] = [...(entry.busy[latency] ?? []), busyMs(run.exchanges)];
    entry.requests[latency] = log.length;
    if (latency === 0 && entry.calls === undefined) {
      entry.connections = run.connections;
      const expected = minimumRequests({ desired, scenario, zoneRecords, changedApp, zonePlans });
      entry.calls = compareCalls(log, expected, desired, scenario);
    }
    results.set(scenario, entry);
  };

  for (const latency of latencies) {
    onProgress(`${config.name}: latency ${latency} ms`);
    const times = repeats;
    for (let i = 0; i < times; i++) {
      await sandbox.setLatency(0);
      await sandbox.reset();
      workspace.write(config.yaml);
      await sandbox.setLatency(latency);
      await measure('plan-empty', latency, 0, [0]);
      await measure('apply-empty', latency, 0, [0]);
    }
    const converged = desired.filter((r) => r.kind === 'cloudflare.dns').length;
    for (let i = 0; i < times; i++) await measure('plan', latency, converged, [0]);
    for (let i = 0; i < times; i++) await measure('drift', latency, converged, [0]);
    for (let i = 0; i < times; i++) {
      workspace.write(withConfigVar(config, `bench-${latency}-${i}`));
      await measure('apply-one', latency, converged, [0]);
    }
    workspace.write(config.yaml);
    if (atLatency !== undefined) await atLatency(latency, workspace, desired);
  }
  await sandbox.setLatency(0);

  return [...results.entries()].map(([scenario, entry]) => {
    const wallMs = Object.fromEntries(Object.entries(entry.runs).map(([l, runs]) => [Number(l), median(runs)]));
    const rounds = Object.fromEntries(
      Object.entries(entry.busy)
        .filter(([l]) => Number(l) > 0)
        .map(([l, busy]) => [Number(l), median(busy) / Number(l)]),
    );
    // Interference (GC, the other processes on the machine) only ever adds time: the fastest run
    // at each latency is the best estimate of the command's own time, so the slope uses it.
    const fastest = Object.fromEntries(Object.entries(entry.runs).map(([l, runs]) => [Number(l), Math.min(...runs)]));
    const busyFastest = Object.fromEntries(
      Object.entries(entry.busy).map(([l, busy]) => [Number(l), Math.min(...busy)]),
    );
    if (entry.calls === undefined) throw new Error(`no latency-0 run of ${scenario}`);
    return {
      config: config.name,
      scenario,
      wallMs,
      runsMs: entry.runs,
      rounds,
      calls: entry.calls,
      requestsByLatency: entry.requests,
      roundsSlope: slope(fastest),
      busySlope: slope(busyFastest),
      connections: entry.connections ?? 0,
      target: TARGET_ROUNDS[scenario],
    };
  });
}

interface Entry {
  readonly runs: Record<number, number[]>;
  readonly busy: Record<number, number[]>;
  readonly requests: Record<number, number>;
  calls?: CallsResult;
  connections?: number;
}

/** The config with the one-change scenario's var set to `value` in its environment only. */
function withConfigVar(config: BenchConfig, value: string): string {
  const document = parseDocument(config.yaml);
  document.setIn(['environments', config.oneChange.environment, 'config', config.oneChange.key], value);
  return document.toString({ lineWidth: 0 });
}

/** Least-squares slope of milliseconds over latency: rounds on the critical path. */
export function slope(points: Record<number, number>): number {
  const xs = Object.keys(points).map(Number);
  const ys = xs.map((x) => points[x] as number);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : xs.reduce((sum, x, i) => sum + (x - mx) * ((ys[i] as number) - my), 0) / sxx;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
