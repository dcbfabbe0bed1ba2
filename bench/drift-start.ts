/**
 * Section 3b, a zone command from a cold start: `daffeinated drift --all` of the reference config,
 * spawned as a user runs it (the built bin, no `--debug`), against the converged sandbox in its own
 * process at 0 ms injected latency, next to `node -e 0`. Median of N runs after 2 warm-ups, each
 * number its own median. The breakdown of the command's wall time:
 * - node start: `node -e 0`'s wall time (Node's start-up and exit, nothing of ours);
 * - module loading: importing every module the command loads (the list comes from a traced run of
 *   it) in a fresh `node` process, timed inside that process;
 * - app.yaml + desired state: the first `prepare()` (read, parse, validate, build the desired state)
 *   in that same process, after loading (dist/'s module tree: the same code as the bundle's);
 * - requests: time with at least one request in flight, from the client side: the union of the
 *   intervals from a request's creation to its response's last byte (or its error), taken from
 *   Node's diagnostics channels by a preloaded hook (undici's for fetch, http's for heroku-client);
 * - the rest: wall − the above: connecting, the CPU between and after the requests (reading the
 *   answers, diffing, rendering) and exiting.
 * The goal (issue #20): wall ≤ 3 × node start + requests. CPU (user + system) is reported too: on
 * a loaded machine it moves less than wall time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { busyMs, type Exchange, expectCode, Workspace } from './cli.js';
import type { BenchConfig } from './config.js';
import { tracedModules } from './module-trace.js';
import type { BenchSandbox } from './sandbox.js';
import { median } from './scenarios.js';

export interface DriftStart {
  readonly runs: number;
  /** Every part in ms, each the median of its runs. */
  readonly nodeMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly loadModulesMs: number;
  readonly prepareMs: number;
  readonly requestsMs: number;
  readonly restMs: number;
  /** On the command's own clock (from its process's start): when the first request left (a cross-check of node + loading + prepare), when the last answer ended, and when it began to exit. */
  readonly firstRequestAtMs: number;
  readonly lastAnswerAtMs: number;
  readonly exitAtMs: number;
  readonly requests: number;
  readonly modules: number;
  readonly goalMs: number;
  readonly goalMet: boolean;
}

/** Prints, at exit: the CPU used, when the process started, and each request's interval on its clock. */
const HOOK = `import { subscribe } from 'node:diagnostics_channel';
const requests = [];
const open = () => { const r = { start: performance.now(), end: undefined }; requests.push(r); return r; };
const close = (r) => { if (r !== undefined && r.end === undefined) r.end = performance.now(); };
const undici = new WeakMap();
subscribe('undici:request:create', ({ request }) => undici.set(request, open()));
subscribe('undici:request:trailers', ({ request }) => close(undici.get(request)));
subscribe('undici:request:error', ({ request }) => close(undici.get(request)));
subscribe('http.client.request.start', ({ request }) => {
  const r = open();
  request.once('error', () => close(r));
  request.once('close', () => close(r));
  request.once('response', (response) => response.once('end', () => close(r)));
});
process.on('exit', () => {
  const u = process.cpuUsage();
  const exchanges = requests.map((r) => ({ startMs: r.start, endMs: r.end ?? performance.now() }));
  process.stderr.write('\\n@@drift-start ' + JSON.stringify({ cpuMs: (u.user + u.system) / 1000, exitMs: performance.now(), exchanges }) + '\\n');
});
`;

/** Loads the modules given in argv[1] (JSON), then runs one prepare() of the app.yaml in cwd; prints both times. */
const PROBE = `const [urls, context, env] = JSON.parse(process.argv[1]);
const started = performance.now();
for (const url of urls) await import(url);
const loadModulesMs = performance.now() - started;
const { prepare } = await import(context);
const io = { env, cwd: process.cwd(), stdout() {}, stderr() {}, now: () => new Date(), interactive: false, color: false, stderrIsTTY: false, prompt: () => Promise.reject(new Error('no prompts')) };
const before = performance.now();
prepare(io, { debug: false }, { names: [], all: true, defaultAll: true });
console.log(JSON.stringify({ loadModulesMs, prepareMs: performance.now() - before }));
`;

export async function driftStart(
  root: string,
  bin: string,
  sandbox: BenchSandbox,
  reference: BenchConfig,
  runs: number,
): Promise<DriftStart> {
  const workspace = new Workspace(reference.yaml, reference.env);
  await sandbox.setLatency(0);
  await sandbox.reset();
  expectCode(await workspace.run(['apply', '--all', '--yes'], sandbox.url), [0], 'drift-start set-up apply');
  const dir = mkdtempSync(join(tmpdir(), 'daff-bench-start-'));
  const hook = join(dir, 'requests.mjs');
  writeFileSync(hook, HOOK);
  const env = { PATH: process.env['PATH'], HOME: workspace.cwd, NO_COLOR: '1', ...reference.env };
  const argv = [bin, 'drift', '--all', '--sandbox', sandbox.url];
  const spawn = (args: readonly string[]) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: workspace.cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { result, ms: performance.now() - started };
  };

  const node = [];
  const drift: { wall: number; cpu: number; exit: number; exchanges: Exchange[] }[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const bare = spawn(['-e', '0']);
    const { result, ms } = spawn(['--import', pathToFileURL(hook).href, ...argv]);
    if (result.status !== 0) throw new Error(`drift --all exited ${result.status}: ${result.stderr.slice(-2000)}`);
    const usage = JSON.parse(/@@drift-start (\{.*\})/.exec(result.stderr)?.[1] ?? '{}') as {
      cpuMs: number;
      exitMs: number;
      exchanges: Exchange[];
    };
    if (i < 2) continue;
    node.push(bare.ms);
    drift.push({ wall: ms, cpu: usage.cpuMs, exit: usage.exitMs, exchanges: usage.exchanges });
  }

  const urls = tracedModules(bin, argv.slice(1), { cwd: workspace.cwd, env });
  const context = pathToFileURL(join(root, 'dist/commands/context.js')).href;
  const probes = Array.from({ length: runs }, () => {
    const { result } = spawn(['--input-type=module', '-e', PROBE, JSON.stringify([urls, context, env])]);
    if (result.status !== 0) throw new Error(`the loading probe exited ${result.status}: ${result.stderr.slice(-2000)}`);
    return JSON.parse(result.stdout.trim()) as { loadModulesMs: number; prepareMs: number };
  });

  const nodeMs = median(node);
  const wallMs = median(drift.map((d) => d.wall));
  const loadModulesMs = median(probes.map((p) => p.loadModulesMs));
  const prepareMs = median(probes.map((p) => p.prepareMs));
  const requestsMs = median(drift.map((d) => busyMs(d.exchanges)));
  const goalMs = 3 * nodeMs + requestsMs;
  return {
    runs,
    nodeMs,
    wallMs,
    cpuMs: median(drift.map((d) => d.cpu)),
    loadModulesMs,
    prepareMs,
    requestsMs,
    restMs: wallMs - nodeMs - loadModulesMs - prepareMs - requestsMs,
    firstRequestAtMs: median(drift.map((d) => Math.min(...d.exchanges.map((e) => e.startMs)))),
    lastAnswerAtMs: median(drift.map((d) => Math.max(...d.exchanges.map((e) => e.endMs)))),
    exitAtMs: median(drift.map((d) => d.exit)),
    requests: median(drift.map((d) => d.exchanges.length)),
    modules: urls.length,
    goalMs,
    goalMet: wallMs <= goalMs,
  };
}
