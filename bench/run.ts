/**
 * `npm run bench`: daffeinated against its sandbox with injected latency (docs/BENCHMARKS.md).
 * Prints a table and writes every number to bench/results/<name>.json.
 *
 *   npm run bench [-- --name NAME] [--only scenarios,cold,peer,cpu,budget,breakeven] [--repeats N] [--runs N] [--budget-configs large-20,bare-200] [--budget-latencies 0,50,150]
 *
 * Reproducible: fixed sandbox seed, generated configs without randomness, no jitter. The build is
 * refreshed first (cold start spawns bin/daffeinated.js, which runs dist/).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepare } from '../src/commands/context.js';
import { expectCode, Workspace } from './cli.js';
import { breakEven } from './break-even.js';
import { runBudget } from './budget.js';
import { coldStart } from './cold-start.js';
import { bareConfig, largeConfig, referenceConfig } from './config.js';
import { cpuAndMemory } from './cpu.js';
import { driftStart } from './drift-start.js';
import { herokuCli, peerComparison } from './peer.js';
import { type BenchResults, renderReport } from './report.js';
import { BENCH_SANDBOX_OPTIONS, BenchSandbox } from './sandbox.js';
import { runScenarios, type ScenarioResult } from './scenarios.js';
import { herokuConcurrencyWhatIf, herokuRequestSetupCost } from './whatif.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LATENCIES = [0, 50, 150];

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const name = option('name', 'latest');
const only = new Set(option('only', 'scenarios,cold,peer,cpu,budget,breakeven').split(','));
const repeats = Number(option('repeats', '3'));
const coldRuns = Number(option('runs', '20'));
/** The configs the rate-budget section drifts: `large-N` (the large config's shape) or `bare-N`. */
const budgetConfigs = option('budget-configs', 'large-20,bare-200').split(',');
/** Its latencies: a loaded machine's CPU between requests stretches rounds of 150 ms, not of 1 s. */
const budgetLatencies = option('budget-latencies', LATENCIES.join(',')).split(',').map(Number);
const progress = (line: string) => process.stderr.write(`• ${line}\n`);
const sectionSeconds: Record<string, number> = {};
const failures: string[] = [];

/** Runs one section; a failure is reported and recorded, and the other sections still run. */
async function section(name: string, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    const message = `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    progress(message);
    failures.push(message);
  }
  sectionSeconds[name] = Math.round((performance.now() - started) / 1000);
}

// heroku-client reads SSL_CERT_FILE and every file of SSL_CERT_DIR synchronously on each request
// (see whatif.ts). They mean nothing to a plain-HTTP sandbox; left set, this machine's CA store
// would be measured instead of daffeinated. Their cost is measured on its own and reported.
const sslEnv = { SSL_CERT_DIR: process.env['SSL_CERT_DIR'], SSL_CERT_FILE: process.env['SSL_CERT_FILE'] };
delete process.env['SSL_CERT_DIR'];
delete process.env['SSL_CERT_FILE'];

async function main(): Promise<void> {
  const started = performance.now();
  progress('building dist/ (tsc, then the bundles: the build a user runs)');
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'ignore',
  });
  spawnSync(process.execPath, [join(root, 'scripts/bundle-packages.mjs')], { cwd: root, stdio: 'ignore' });

  const reference = referenceConfig(root);
  const large = largeConfig();
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      latenciesMs: LATENCIES,
      repeats,
      sandbox: BENCH_SANDBOX_OPTIONS,
      sslEnvUnsetForMeasurement: sslEnv,
    },
  };
  const sandbox = await BenchSandbox.start(root, [...reference.zones, ...large.zones]);
  try {
    if (only.has('scenarios'))
      await section('scenarios', async () => {
        const scenarios: ScenarioResult[] = [];
        scenarios.push(...(await runScenarios(reference, sandbox, LATENCIES, repeats, progress)));
        scenarios.push(
          ...(await runScenarios(large, sandbox, LATENCIES, repeats, progress, async (latency, _workspace, desired) => {
            if (latency !== LATENCIES.at(-1)) return;
            progress('what-if: Heroku concurrency');
            const herokuConcurrency = await herokuConcurrencyWhatIf(
              sandbox.url,
              desired,
              latency,
              [32, 64, 200],
              repeats,
            );
            results.whatIf = { ...results.whatIf, herokuConcurrency };
          })),
        );
        results.scenarios = scenarios;
        results.whatIf = { ...results.whatIf, herokuRequestSetup: herokuRequestSetupCost(sslEnv) };
      });
    if (only.has('budget'))
      await section('budget', async () => {
        const configs = budgetConfigs.map((name) => {
          const n = Number(name.slice(name.indexOf('-') + 1));
          return { config: name.startsWith('bare-') ? bareConfig(n) : n === 20 ? large : largeConfig(n), environments: n };
        });
        results.budget = [];
        await runBudget(configs, budgetLatencies, progress, (row) => results.budget?.push(row));
      });
    if (only.has('breakeven'))
      await section('breakeven', async () => {
        progress('break-even of the account-wide listings');
        results.breakEven = await breakEven([1, 2, 3, 5, 20, 200], [100, 1_000, 1_001, 5_000, 20_000]);
      });
    if (only.has('cpu'))
      await section('cpu', async () => {
        progress('CPU and memory of planning the large config');
        const workspace = new Workspace(large.yaml, large.env);
        await sandbox.setLatency(0);
        await sandbox.reset();
        expectCode(await workspace.run(['apply', '--all', '--yes'], sandbox.url), [0], 'CPU set-up apply');
        results.cpu = await cpuAndMemory(root, sandbox.url, workspace.cwd, large.env);
      });
    const cli = only.has('cold') || only.has('peer') ? await herokuCli(progress) : {};
    if (only.has('cold'))
      await section('cold', async () => {
        progress('cold start');
        results.coldStart = coldStart(root, coldRuns, cli.bin);
        progress('cold start: drift --all of the reference config, spawned');
        results.driftStart = await driftStart(root, join(root, 'bin/daffeinated.js'), sandbox, reference, coldRuns);
      });
    if (only.has('peer'))
      await section('peer', async () => {
        if (cli.bin === undefined) {
          progress(`notice: ${cli.notice}`);
          results.peer = { status: 'skipped', notice: cli.notice ?? 'no Heroku CLI' };
        } else {
          progress('peer: the official Heroku CLI');
          const workspace = new Workspace(reference.yaml, reference.env);
          const prepared = prepare(workspace.io([], []), { debug: false }, { names: [], all: true, defaultAll: true });
          const apps = Object.values(prepared.config.environments).map((e) => e.app);
          const pipeline = prepared.config.pipeline?.name ?? 'daffeinated';
          results.peer = await peerComparison(
            root,
            cli.bin,
            reference,
            workspace,
            sandbox,
            apps,
            pipeline,
            LATENCIES.filter((l) => l > 0),
          );
        }
      });
  } finally {
    await sandbox.close();
  }
  results.meta['durationSeconds'] = Math.round((performance.now() - started) / 1000);
  results.meta['sectionSeconds'] = sectionSeconds;
  results.meta['failures'] = failures;
  const file = join(root, 'bench/results', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(renderReport(results));
  process.stdout.write(`\nWritten to ${file} in ${results.meta['durationSeconds']} s.\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
