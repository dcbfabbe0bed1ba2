/**
 * Section 5, CPU and memory of planning the large config (20 apps, 3,500 records, 3 WAF phases),
 * waits excluded, against the converged sandbox with no injected latency:
 * - the whole command as users run it: `node bin/daffeinated.js plan --all --sandbox URL`, with a
 *   preloaded hook printing `process.cpuUsage()` (user + system: time waiting for responses is not
 *   CPU) and `resourceUsage().maxRSS` at exit; median of 3;
 * - module loading alone: plain node importing the files the command loads (module-trace.ts);
 * - the stages (config, read, diff, render), first run and warm, from bench/cpu-probe.ts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { tracedModules } from './module-trace.js';
import { median } from './scenarios.js';

const run = promisify(execFile);

export interface CpuStage {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export interface CpuResult {
  readonly command: {
    readonly cpuMs: number;
    readonly wallMs: number;
    readonly maxRssMb: number;
    readonly runs: number;
  };
  readonly loadModules: CpuStage;
  readonly runs: readonly {
    readonly stages: Record<string, CpuStage>;
    readonly resources: number;
    readonly liveResources: number;
    readonly changes: number;
  }[];
  readonly heapUsedMb: number;
  readonly heapGrowthMb: number;
}

export async function cpuAndMemory(
  root: string,
  sandboxUrl: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
): Promise<CpuResult> {
  const clean = { PATH: process.env['PATH'], HOME: cwd, NO_COLOR: '1', ...env };
  const command = wholeCommand(root, sandboxUrl, cwd, clean, 3);
  const urls = tracedModules(join(root, 'bin/daffeinated.js'), ['plan', '--all', '--sandbox', sandboxUrl], { cwd, env: clean });
  const loader = [
    'const c = process.cpuUsage(); const t = performance.now();',
    `for (const url of ${JSON.stringify(urls)}) await import(url);`,
    'const u = process.cpuUsage(c);',
    'console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, wallMs: performance.now() - t }));',
  ].join('\n');
  const load = spawnSync(process.execPath, ['--input-type=module', '-e', loader], {
    cwd: root,
    env: clean,
    encoding: 'utf8',
  });
  const loadModules = JSON.parse(load.stdout.trim()) as CpuStage;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'bench/cpu-probe.ts', sandboxUrl, cwd, JSON.stringify(env)],
    { cwd: root, maxBuffer: 16 << 20, env: clean },
  );
  const stages = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Omit<CpuResult, 'command' | 'loadModules'>;
  return { command, loadModules, ...stages };
}

function wholeCommand(
  root: string,
  url: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  times: number,
): CpuResult['command'] {
  const hook = join(mkdtempSync(join(tmpdir(), 'daff-bench-usage-')), 'usage.mjs');
  writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\n@@usage ' + JSON.stringify({ cpuMs: (u.user + u.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }) + '\\n'); });\n",
  );
  const samples: { cpuMs: number; wallMs: number; maxRssMb: number }[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(hook).href, join(root, 'bin/daffeinated.js'), 'plan', '--all', '--sandbox', url],
      { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const wallMs = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`daffeinated plan --all exited ${result.status}: ${result.stderr.slice(-2000)}`);
    const usage = JSON.parse(/@@usage (\{.*\})/.exec(result.stderr)?.[1] ?? '{}') as {
      cpuMs: number;
      maxRssKb: number;
    };
    samples.push({ cpuMs: usage.cpuMs, wallMs, maxRssMb: usage.maxRssKb / 1024 });
  }
  return {
    cpuMs: median(samples.map((s) => s.cpuMs)),
    wallMs: median(samples.map((s) => s.wallMs)),
    maxRssMb: median(samples.map((s) => s.maxRssMb)),
    runs: times,
  };
}

/** CPU milliseconds of a run, all stages. */
export function totalCpu(stages: Record<string, CpuStage>): number {
  return Object.values(stages).reduce((sum, s) => sum + s.cpuMs, 0);
}
