import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP, testProcesses } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { DRILLED_PRODUCTION_YAML, drillIn, drillLeftovers } from '../helpers/drill.js';
import { gitRepo } from '../helpers/repo.js';

// A real killed drill: the built CLI (`node bin/daffeinated.js dr-drill production --yes`) runs
// against a sandbox in this test process and gets SIGKILL at each step of the drill — no signal
// handler, no teardown, whatever was in flight left half done. Then the drill runs again: it must
// find the leftover by its name and marker (or as an empty app), remove it first, drill, and
// leave nothing behind.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const APP_YAML = DRILLED_PRODUCTION_YAML;
const DRILL = 'shop-production-drill';
const ENV = { PATH: process.env['PATH'] ?? '' };

let sandbox: SandboxHandle;
let dir: string;

beforeAll(async () => {
  dir = gitRepo('daff-drill-kill-', { 'app.yaml': APP_YAML, ...TINY_APP }).dir;
  const state = mkdtempSync(join(tmpdir(), 'daff-drill-kill-state-'));
  sandbox = await startSandbox({
    stateFile: join(state, 'sandbox.json'),
    heroku: { buildMs: 50, releasePhaseMs: 20, addonProvisionMs: 0, domainMs: 0, acmMs: 0, pgTransferStartMs: 0, pgTransferMs: 100 },
    processes: testProcesses(),
  });
  for (const args of [['deploy', 'production', '--yes'], ['backups', 'production', '--capture']]) {
    const run = await cli([...args, '--sandbox', sandbox.url], { cwd: dir, env: ENV });
    expect(run.code, run.stderr).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

/** SIGKILLs `child` as soon as the sandbox has logged, since `from`, a request matching `at`. */
function killAt(child: ChildProcess, from: number, at: (method: string, path: string) => boolean, signal: NodeJS.Signals = 'SIGKILL'): Promise<'killed' | 'finished'> {
  return new Promise<void>((done) => {
    let finished = false;
    child.once('exit', () => {
      finished = true;
      done();
    });
    const watch = () => {
      if (finished) return;
      if (sandbox.requestLog().slice(from).some((e) => at(e.method, e.path))) {
        child.kill(signal);
        return;
      }
      setTimeout(watch, 1);
    };
    watch();
  }).then(() => (child.signalCode === 'SIGKILL' ? 'killed' : 'finished'));
}

const STEPS: [string, (method: string, path: string) => boolean][] = [
  ['creating the app', (m, p) => m === 'POST' && p === '/apps'],
  ['creating the add-ons', (m, p) => m === 'POST' && p === `/apps/${DRILL}/addons`],
  ['setting the config vars (the marker)', (m, p) => m === 'PATCH' && p === `/apps/${DRILL}/config-vars`],
  ['restoring', (m, p) => m === 'POST' && p.endsWith('/restores')],
  ['releasing the slug', (m, p) => m === 'POST' && p === `/apps/${DRILL}/releases`],
  ['health checking (waiting for the web dyno)', (m, p) => m === 'GET' && p === `/apps/${DRILL}/dynos`],
  ['deleting the add-ons', (m, p) => m === 'DELETE' && p.startsWith(`/apps/${DRILL}/addons/`)],
  ['deleting the app', (m, p) => m === 'DELETE' && p === `/apps/${DRILL}`],
];

describe('a drill killed at each step, then run again', () => {
  it.each(STEPS)('killed while %s: the next run removes the leftover and leaves nothing', async (_step, at) => {
    const from = sandbox.requestLog().length;
    const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'dr-drill', 'production', '--yes', '--sandbox', sandbox.url], {
      cwd: dir,
      env: { ...ENV, HOME: dir },
      stdio: 'ignore',
    });
    expect(await killAt(child, from, at)).toBe('killed');
    const again = await drillIn(sandbox, { cwd: dir, env: ENV, now: new Date(), thisMachine: true });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'recovered', health: { kind: 'passed' } });
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 60_000);
});

describe('Ctrl-C (SIGINT) or SIGTERM of the drill process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s while restoring: the process tears the drill down itself and exits 1', async (signal) => {
    const from = sandbox.requestLog().length;
    const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'dr-drill', 'production', '--yes', '--sandbox', sandbox.url], {
      cwd: dir,
      env: { ...ENV, HOME: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await killAt(child, from, (m, p) => m === 'POST' && p.endsWith('/restores'), signal)).toBe('finished');
    expect(child.exitCode, stderr).toBe(1);
    expect(stderr).toContain('The drill was interrupted');
    expect(stderr).toContain(`Tore down the drill environment production-drill (${DRILL})`);
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 60_000);
});
