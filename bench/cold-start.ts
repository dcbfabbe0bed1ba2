/**
 * Section 3, cold start: wall time of spawning `daffeinated --version` and `--help` (the built
 * bin, as a user runs it), next to `node -e 0` (the floor: Node itself), the import of each SDK
 * alone (what plan/apply/drift load on top) and, when installed, the official Heroku CLI's
 * `--version`. Timed by hyperfine when it is on PATH (`-N`: no shell, 3
 * warm-up runs), else by a loop of spawns here (median of N after 3 warm-ups). Max RSS comes from
 * separate runs with a preloaded hook that prints `process.resourceUsage().maxRSS` at exit; the
 * same mechanism lists the modules `--version` and `--help` load, which must include none of the
 * SDKs, the sandbox, zod, yaml or the providers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadedSources, writeModuleTrace } from './module-trace.js';
import { median } from './scenarios.js';

export interface ColdStartRow {
  readonly command: string;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly stddevMs: number;
  readonly maxRssMb: number;
  readonly runs: number;
}

export interface ColdStart {
  readonly tool: 'hyperfine' | 'loop';
  readonly rows: readonly ColdStartRow[];
  /** Files each daffeinated command loads; the heavy source files among those they hold (the bundle's hold several). */
  readonly modules: Record<string, { readonly count: number; readonly heavy: readonly string[] }>;
}

const HEAVY =
  /node_modules\/(cloudflare|heroku-client|zod|yaml|p-queue|p-retry|execa)\/|dist\/(sandbox|providers|config|engine|model|workflows)\//;

export function coldStart(root: string, runs: number, herokuBin: string | undefined): ColdStart {
  const bin = join(root, 'bin/daffeinated.js');
  const commands: [string, string[]][] = [
    ['node -e 0', [process.execPath, '-e', '0']],
    ['daffeinated --version', [process.execPath, bin, '--version']],
    ['daffeinated --help', [process.execPath, bin, '--help']],
  ];
  // What a real command adds on top: the SDKs plan, apply and drift load (dist/commands/connect.js imports both).
  for (const sdk of ['cloudflare', 'heroku-client']) {
    commands.push([`import '${sdk}' (alone)`, [process.execPath, '--input-type=module', '-e', `import '${sdk}';`]]);
  }
  if (herokuBin !== undefined)
    commands.push(['heroku --version (official CLI)', [process.execPath, '--no-deprecation', herokuBin, '--version']]);
  const hooks = writeHooks();
  const hyperfine = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
  const env = quietEnv(root);
  const rows = commands.map(([name, argv]) => {
    const timing = hyperfine ? viaHyperfine(argv, runs, env) : viaLoop(argv, runs, env);
    const rss = [0, 1, 2].map(() => maxRssKb(argv, hooks.rss, env));
    return { command: name, ...timing, maxRssMb: median(rss) / 1024, runs };
  });
  const modules: ColdStart['modules'] = {};
  for (const flag of ['--version', '--help']) {
    const { files, sources } = loadedModules([process.execPath, bin, flag], hooks.trace, root, env);
    modules[`daffeinated ${flag}`] = { count: files, heavy: sources.filter((m) => HEAVY.test(m)) };
  }
  return { tool: hyperfine ? 'hyperfine' : 'loop', rows, modules };
}

/** The Heroku CLI must not phone home or update itself while it is timed. */
function quietEnv(root: string): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'daff-bench-home-'));
  return {
    PATH: process.env['PATH'],
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    DISABLE_TELEMETRY: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_DISABLE_AUTOUPDATE: 'true',
    NO_COLOR: '1',
    PWD: root,
  };
}

function viaHyperfine(
  argv: string[],
  runs: number,
  env: NodeJS.ProcessEnv,
): Omit<ColdStartRow, 'command' | 'maxRssMb' | 'runs'> {
  const out = join(mkdtempSync(join(tmpdir(), 'daff-bench-hf-')), 'result.json');
  const command = argv.map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  const result = spawnSync(
    'hyperfine',
    ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, command],
    { env, encoding: 'utf8' },
  );
  if (result.status !== 0) return viaLoop(argv, runs, env);
  const [entry] = (
    JSON.parse(readFileSync(out, 'utf8')) as { results: { mean: number; stddev: number; median: number }[] }
  ).results;
  if (entry === undefined) return viaLoop(argv, runs, env);
  return { medianMs: entry.median * 1000, meanMs: entry.mean * 1000, stddevMs: entry.stddev * 1000 };
}

function viaLoop(
  argv: string[],
  runs: number,
  env: NodeJS.ProcessEnv,
): Omit<ColdStartRow, 'command' | 'maxRssMb' | 'runs'> {
  const [file, ...args] = argv as [string, ...string[]];
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now();
    spawnSync(file, args, { cwd: env['PWD'], env, stdio: 'ignore' });
    if (i >= 3) times.push(performance.now() - started);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const stddev = Math.sqrt(times.reduce((sum, t) => sum + (t - mean) ** 2, 0) / times.length);
  return { medianMs: median(times), meanMs: mean, stddevMs: stddev };
}

interface Hooks {
  readonly rss: string;
  readonly trace: string;
}

/** Two preload modules: one prints max RSS at exit, one prints every module URL resolved (module-trace.ts). */
function writeHooks(): Hooks {
  const dir = mkdtempSync(join(tmpdir(), 'daff-bench-hooks-'));
  const rss = join(dir, 'rss.mjs');
  writeFileSync(
    rss,
    "process.on('exit', () => process.stderr.write('\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n'));\n",
  );
  const trace = writeModuleTrace(dir);
  return { rss, trace };
}

function maxRssKb(argv: string[], hook: string, env: NodeJS.ProcessEnv): number {
  const [file, ...args] = argv as [string, ...string[]];
  const result = spawnSync(file, ['--import', pathToFileURL(hook).href, ...args], {
    cwd: env['PWD'],
    env,
    encoding: 'utf8',
  });
  const match = /@@maxrss (\d+)/.exec(result.stderr);
  return match === null ? Number.NaN : Number(match[1]);
}

/** How many files of ours and of the packages a command loads, and the source files they hold (module-trace.ts). */
function loadedModules(
  argv: string[],
  hook: string,
  root: string,
  env: NodeJS.ProcessEnv,
): { files: number; sources: string[] } {
  const [file, ...args] = argv as [string, ...string[]];
  const result = spawnSync(file, ['--import', pathToFileURL(hook).href, ...args], {
    cwd: env['PWD'],
    env,
    encoding: 'utf8',
  });
  const urls = [...new Set([...result.stderr.matchAll(/@@module (file:\S+)/g)].map((m) => m[1] as string))];
  return { files: urls.length, sources: loadedSources(root, urls) };
}
