/** Plain-text tables of the benchmark results (the JSON file holds every number). */
import type { BreakEvenRow } from './break-even.js';
import type { BudgetRow } from './budget.js';
import type { ColdStart } from './cold-start.js';
import { type CpuResult, totalCpu } from './cpu.js';
import type { DriftStart } from './drift-start.js';
import type { PeerResult } from './peer.js';
import type { ScenarioResult } from './scenarios.js';
import type { ConcurrencyWhatIf, RequestSetupCost } from './whatif.js';

export interface BenchResults {
  readonly meta: Record<string, unknown>;
  readonly scenarios?: readonly ScenarioResult[];
  readonly whatIf?: { readonly herokuConcurrency?: ConcurrencyWhatIf; readonly herokuRequestSetup?: RequestSetupCost };
  readonly findings?: readonly string[];
  readonly coldStart?: ColdStart;
  readonly driftStart?: DriftStart;
  readonly peer?: PeerResult;
  readonly cpu?: CpuResult;
  readonly budget?: BudgetRow[];
  readonly breakEven?: readonly BreakEvenRow[];
}

const LABELS: Record<string, string> = {
  'plan-empty': 'plan (empty account)',
  'apply-empty': 'apply (empty account)',
  plan: 'plan (converged)',
  drift: 'drift --all',
  'apply-one': 'apply (one change)',
};

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const ms = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${Math.round(n)}`);
const num = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  const scenarios = results.scenarios ?? [];
  if (scenarios.length > 0) {
    out.push(
      '1. Calls: requests made / the minimum (from the desired state; latency 0). API minimum: the reads and writes the APIs force;',
      '   design minimum: that plus the confirmation re-read that ends an apply (it makes "live matches app.yaml" a reading of live',
      '   state after the writes, not of their answers). The apply lock is in neither.',
    );
    out.push(
      table(
        [
          'config',
          'command',
          'made',
          'API min',
          'ratio',
          'design min',
          'ratio',
          'avoidable',
          'trade-off',
          'Heroku',
          'Cloudflare',
          'TCP conns',
        ],
        scenarios.map((s) => [
          s.config,
          LABELS[s.scenario] ?? s.scenario,
          `${s.calls.made}`,
          `${s.calls.apiMinimum ?? '–'}`,
          num(s.calls.apiRatio),
          `${s.calls.minimum}`,
          num(s.calls.ratio),
          `${s.calls.extras.filter((e) => e.kind !== 'trade-off').length}`,
          `${s.calls.extras.filter((e) => e.kind === 'trade-off').length}`,
          `${s.calls.heroku}`,
          `${s.calls.cloudflare}`,
          `${s.connections}`,
        ]),
      ),
    );
    out.push('', 'Extra requests, by reason:');
    for (const s of scenarios) {
      const counts = new Map<string, number>();
      for (const e of s.calls.extras)
        counts.set(`[${e.kind}] ${e.reason}`, (counts.get(`[${e.kind}] ${e.reason}`) ?? 0) + 1);
      for (const [reason, count] of counts) out.push(`  ${s.config} ${LABELS[s.scenario]}: ${count} × ${reason}`);
      for (const missing of s.calls.missing) out.push(`  ${s.config} ${LABELS[s.scenario]}: MISSING ${missing}`);
    }
    const latencies = [...new Set(scenarios.flatMap((s) => Object.keys(s.wallMs).map(Number)))].sort((a, b) => a - b);
    out.push(
      '',
      '2. Rounds: wall time (ms, median) per injected latency; rounds = least-squares slope of the fastest run over latency',
    );
    out.push(
      table(
        [
          'config',
          'command',
          ...latencies.map((l) => `wall@${l}`),
          ...latencies.filter((l) => l > 0).map((l) => `wall/L@${l}`),
          'rounds',
          'target',
        ],
        scenarios.map((s) => [
          s.config,
          LABELS[s.scenario] ?? s.scenario,
          ...latencies.map((l) => ms(s.wallMs[l])),
          ...latencies.filter((l) => l > 0).map((l) => num((s.wallMs[l] ?? Number.NaN) / l, 1)),
          num(s.roundsSlope, 1),
          `${s.target}`,
        ]),
      ),
    );
  }
  const concurrency = results.whatIf?.herokuConcurrency;
  if (concurrency !== undefined) {
    out.push(
      '',
      `What-if, Heroku reads of the large plan (${concurrency.requests} requests) at ${concurrency.latencyMs} ms, by HerokuClient concurrency:`,
    );
    for (const [bound, wall] of Object.entries(concurrency.wallMs))
      out.push(
        `  concurrency ${bound.padStart(3)}: ${ms(wall)} ms = ${num(concurrency.rounds[Number(bound)], 1)} rounds`,
      );
  }
  const setup = results.whatIf?.herokuRequestSetup;
  if (setup !== undefined) {
    out.push(
      `What-if, heroku-client set-up per request (sync, blocks the event loop): ${num(setup.msPerRequestAsFound)} ms with SSL_CERT_DIR=${setup.sslCertDir ?? '(unset)'} SSL_CERT_FILE=${setup.sslCertFile ?? '(unset)'}; ${num(setup.msPerRequestUnset)} ms unset`,
    );
  }
  for (const finding of results.findings ?? []) out.push(`Finding: ${finding}`);
  const cold = results.coldStart;
  if (cold !== undefined) {
    out.push('', `3. Cold start (spawned; ${cold.tool}; ${cold.rows[0]?.runs ?? 0} runs)`);
    out.push(
      table(
        ['command', '', 'median ms', 'mean ms', '± ms', 'max RSS MB'],
        cold.rows.map((r) => [r.command, '', ms(r.medianMs), ms(r.meanMs), ms(r.stddevMs), num(r.maxRssMb, 1)]),
      ),
    );
    for (const [command, loaded] of Object.entries(cold.modules)) {
      out.push(
        `  ${command}: ${loaded.count} modules, heavy: ${loaded.heavy.length === 0 ? 'none' : loaded.heavy.join(', ')}`,
      );
    }
  }
  out.push(...driftStartReport(results.driftStart));
  const peer = results.peer;
  if (peer !== undefined) {
    out.push(
      '',
      '4. Peer: the official Heroku CLI, one command per kind and app, vs `daffeinated drift --all` (both spawned)',
    );
    if (peer.status === 'skipped') out.push(`  skipped: ${peer.notice}`);
    else {
      out.push(
        `  heroku ${peer.cliVersion}; ${peer.commands?.length} commands: ${peer.commands?.slice(0, 3).join('; ')}; …`,
      );
      out.push(
        table(
          ['latency', '', 'Heroku CLI ms', 'requests', 'daffeinated ms', 'requests', 'ratio'],
          (peer.byLatency ?? []).map((r) => [
            `${r.latencyMs} ms`,
            '',
            ms(r.herokuCliMs),
            `${r.herokuCliRequests}`,
            ms(r.daffeinatedMs),
            `${r.daffeinatedRequests}`,
            `${num(r.ratio, 1)}×`,
          ]),
        ),
      );
      for (const r of peer.byLatency ?? [])
        for (const failure of r.herokuCliFailures) out.push(`  failed at ${r.latencyMs} ms: ${failure}`);
    }
  }
  const cpu = results.cpu;
  if (cpu !== undefined) {
    out.push('', '5. CPU and memory: planning the large config (latency 0; CPU excludes waits)');
    const c = cpu.command;
    out.push(
      `  daffeinated plan --all, spawned (median of ${c.runs}): CPU ${ms(c.cpuMs)} ms, wall ${ms(c.wallMs)} ms, peak RSS ${num(c.maxRssMb, 0)} MB`,
    );
    out.push(`  of which loading the modules (plain node): CPU ${ms(cpu.loadModules.cpuMs)} ms`);
    const [first, warm] = cpu.runs;
    const names = [...new Set([...Object.keys(first?.stages ?? {}), ...Object.keys(warm?.stages ?? {})])];
    out.push(
      table(
        ['stage (in process)', '', 'CPU ms (first)', 'CPU ms (warm)', 'wall ms (warm)'],
        [
          ...names.map((n) => [
            n,
            '',
            ms(first?.stages[n]?.cpuMs),
            ms(warm?.stages[n]?.cpuMs),
            ms(warm?.stages[n]?.wallMs),
          ]),
          [
            'total',
            '',
            ms(first === undefined ? undefined : totalCpu(first.stages)),
            ms(warm === undefined ? undefined : totalCpu(warm.stages)),
            '',
          ],
        ],
      ),
    );
    out.push(
      `  ${first?.resources ?? 0} desired / ${first?.liveResources ?? 0} live resources, ${warm?.changes ?? 0} changes; JS heap after two plans ${num(cpu.heapUsedMb, 0)} MB`,
    );
  }
  out.push(...budgetReport(results.budget ?? []), ...breakEvenReport(results.breakEven ?? []));
  return `${out.join('\n')}\n`;
}

function budgetReport(rows: readonly BudgetRow[]): string[] {
  if (rows.length === 0) return [];
  const latencies = [...new Set(rows.flatMap((r) => Object.keys(r.rounds).map(Number)))].sort((a, b) => a - b);
  return [
    '',
    '6. Rate budget: Heroku requests of a converged drift --all of N environments (limit 4.5·N + 10), and its rounds',
    '   (rounds: the longest chain of exchanges in the sandbox log, each sent after the one before was answered)',
    table(
      ['config', 'N', 'lock survey', 'requests', 'per N', 'limit', ...latencies.map((l) => `rounds@${l}`), ...latencies.map((l) => `wall@${l}`)],
      rows.map((r) => [
        r.config,
        `${r.environments}`,
        r.lockSurvey ? 'on' : 'off (--no-lock-survey)',
        `${r.requests}`,
        num(r.requests / r.environments),
        `${r.limit}`,
        ...latencies.map((l) => `${r.rounds[l] ?? '–'}`),
        ...latencies.map((l) => ms(r.wallMs[l])),
      ]),
    ),
    ...rows.map(
      (r) =>
        `  ${r.config}${r.lockSurvey ? '' : ' --no-lock-survey'}: ${Object.entries(r.byPath)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([path, count]) => `${path} ×${count}`)
          .join(', ')}`,
    ),
  ];
}

function breakEvenReport(rows: readonly BreakEvenRow[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    '7. Break-even: requests for the apps and their add-ons (2 per app in the account), as chosen vs per app vs listings to the end',
    table(
      ['account apps', 'named', 'chosen', 'per app', 'listings'],
      rows.map((r) => [`${r.accountApps}`, `${r.named}`, `${r.chosen}`, `${r.perApp}`, `${r.listings}`]),
    ),
  ];
}

function driftStartReport(start: DriftStart | undefined): string[] {
  if (start === undefined) return [];
  const share = (n: number) => `${Math.round((100 * n) / start.wallMs)} %`;
  return [
    '',
    `3b. A zone command from a cold start: drift --all of the reference config, spawned, sandbox in its own process, latency 0 (median of ${start.runs})`,
    table(
      ['part', '', 'ms', 'share'],
      [
        ['node start (node -e 0)', '', ms(start.nodeMs), share(start.nodeMs)],
        [`module loading (${start.modules} files)`, '', ms(start.loadModulesMs), share(start.loadModulesMs)],
        ['app.yaml + desired state', '', ms(start.prepareMs), share(start.prepareMs)],
        [`requests (${start.requests}; ≥1 in flight)`, '', ms(start.requestsMs), share(start.requestsMs)],
        ['the rest (connect, reading answers, diff, render, exit)', '', ms(start.restMs), share(start.restMs)],
        ['wall', '', ms(start.wallMs), ''],
      ],
    ),
    `  CPU ${ms(start.cpuMs)} ms. On the command's clock: first request at ${ms(start.firstRequestAtMs)} ms, last answer at ${ms(start.lastAnswerAtMs)} ms, exit at ${ms(start.exitAtMs)} ms.`,
    `  Goal: wall ≤ 3 × node start + requests = ${ms(start.goalMs)} ms: ${start.goalMet ? 'met' : `not met (${num(start.wallMs / start.goalMs)}× of it)`}`,
  ];
}
