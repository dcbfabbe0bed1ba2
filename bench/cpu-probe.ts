/**
 * Section 5's stage breakdown (spawned fresh by bench/cpu.ts): plans the large config against a
 * converged sandbox with no injected latency, stage by stage, twice (first run, then warm). CPU is
 * `process.cpuUsage()` (user + system), which does not count time spent waiting for responses;
 * the sandbox runs in another process. The shipped JavaScript in dist/ is measured, not this
 * file's TypeScript. Module loading is not a stage here: this process runs under tsx, whose
 * loader would be counted; bench/cpu.ts measures loading and the whole command with plain node.
 * argv: sandbox URL, working directory (holding app.yaml), environment as JSON.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Context = typeof import('../src/commands/context.js');
type Connect = typeof import('../src/commands/connect.js');
type PlanModule = typeof import('../src/engine/plan.js');
type LiveModule = typeof import('../src/workflows/plan.js');
type Output = typeof import('../src/commands/output.js');
type Io = import('../src/runtime/io.js').Io;

const [url = '', cwd = '', envJson = '{}'] = process.argv.slice(2);
const dist = (path: string) => pathToFileURL(join(import.meta.dirname, '../dist', path)).href;

interface Stage {
  readonly cpuMs: number;
  readonly wallMs: number;
}

async function stage<T>(stages: Record<string, Stage>, name: string, work: () => Promise<T> | T): Promise<T> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  stages[name] = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
  return result;
}

const io: Io = {
  stdout: () => {},
  stderr: () => {},
  env: { HOME: cwd, ...(JSON.parse(envJson) as Record<string, string>) },
  cwd,
  now: () => new Date(),
  interactive: false,
  color: false,
  stderrIsTTY: false,
  prompt: () => Promise.reject(new Error('no prompts')),
};

const runs: { stages: Record<string, Stage>; resources: number; liveResources: number; changes: number }[] = [];
const [context, connectModule, planModule, liveModule, output] = await Promise.all([
  import(dist('commands/context.js')) as Promise<Context>,
  import(dist('commands/connect.js')) as Promise<Connect>,
  import(dist('engine/plan.js')) as Promise<PlanModule>,
  import(dist('workflows/plan.js')) as Promise<LiveModule>,
  import(dist('commands/output.js')) as Promise<Output>,
]);
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < 2; i++) {
  const stages: Record<string, Stage> = {};
  const global = { debug: false, sandbox: url };
  const prepared = await stage(stages, 'load + validate app.yaml, desired state', () =>
    context.prepare(io, global, { names: [], all: true, defaultAll: true }),
  );
  const connection = await connectModule.connect(prepared.config, io, { sandbox: url, debug: false, cloudflare: true });
  const live = await stage(stages, 'read live (HTTP, JSON, conversion)', () => liveModule.readLive(connection, prepared));
  const plan = await stage(stages, 'diff + plan', () =>
    planModule.buildPlan(prepared.desired, live, [...prepared.environments], { digestKey: connection.digestKey }),
  );
  await stage(stages, 'render (human)', () => output.renderPlanFor(plan, 'human', io, 'plan'));
  await connection.close();
  runs.push({
    stages,
    resources: prepared.desired.resources.length,
    liveResources: live.resources.length,
    changes: plan.changes.length,
  });
}
const memory = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    runs,
    heapUsedMb: memory.heapUsed / 2 ** 20,
    heapGrowthMb: (memory.heapUsed - heapBefore) / 2 ** 20,
  })}\n`,
);
