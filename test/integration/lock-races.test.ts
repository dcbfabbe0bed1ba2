import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { type Io, processAlive, processNamespace } from '../../src/runtime/io.js';
import { census } from '../helpers/census.js';
import { fakeIo } from '../helpers/cli.js';
import { heroku, useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Issue 21, "Concurrency and locks": two first applies of a new environment at once never both
// create its add-ons; a killed apply's lock is cleared by the next run on its machine, whether it
// has something to change or not, and plan reports it meanwhile; the ambiguous add-on pair an
// unlocked race used to leave names the commands that resolve it, and they do.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STRIPE = 'sk_test_lock_races';
const PERSON = { USER: 'alice', STRIPE_KEY: STRIPE, DAFFEINATED_RETRY_BASE_MS: '1' };
const CI = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra', GITHUB_RUN_ID: '4711', STRIPE_KEY: STRIPE, DAFFEINATED_RETRY_BASE_MS: '1' };
const CHANGED = REFERENCE_YAML.replace('NODE_ENV: production', 'NODE_ENV: staging');
const REFUSALS = [
  /Error: staging is locked: another apply is running/,
  /Error: Another run started applying to staging at the same moment/,
  // The run that created the app says so; one that found it created (the lock is taken alongside
  // the plan, so a run may plan before the other's app exists and verify its lock after) does not.
  /Error: Live state changed after the plan was made \(another run, or a change by hand\); nothing was applied(; only the app of staging was created \(to lock it\))?(\n|$)/m,
];

/** An Io of this process that knows its machine, as the real one does (in-process runs default to none). */
function onThisMachine(cwd: string, env: Record<string, string>): Io & { out: string[]; err: string[] } {
  const machine = processNamespace();
  return { ...fakeIo({ cwd, env }), host: hostname(), pid: process.pid, processAlive, ...(machine === undefined ? {} : { machine }) };
}

/** SIGKILLs `child` once `reached()` holds; resolves to whether it was killed before it finished. */
function killWhen(child: ChildProcess, reached: () => boolean): Promise<boolean> {
  return new Promise((done) => {
    let exited = false;
    child.once('exit', () => {
      exited = true;
      done(child.signalCode === 'SIGKILL');
    });
    const watch = () => {
      if (exited) return;
      if (reached()) child.kill('SIGKILL');
      else setTimeout(watch, 1);
    };
    watch();
  });
}

describe('apply locks under races and kills', () => {
  const sandbox = useSandbox({ seed: 82, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const app = (name: string) =>
    sandbox()
      .state()
      .heroku.apps.find((a) => a.name === name);
  const lockWebhooks = () => app('daffeinated-staging')?.webhooks.filter((w) => w.url.includes('daffeinated-lock.invalid')) ?? [];
  const stagingAddons = () => census(sandbox()).addons.filter((a) => a.startsWith('daffeinated-staging '));

  it('two first applies of a new environment at once: at most one goes on, nothing is created twice, the next apply converges', async () => {
    // The second run starts with the first, once the first has created the app, and once it has locked it.
    const starts: (() => boolean)[] = [
      () => true,
      () => sandbox().requestLog().some((e) => e.method === 'POST' && e.path === '/apps'),
      () => lockWebhooks().length > 0,
    ];
    const outcomes: string[] = [];
    for (const [trial, started] of starts.entries()) {
      await sandbox().reset();
      // Slow requests keep both runs' plans and first writes overlapping.
      sandbox().setFaults({ latencyMs: 5 });
      const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
      const ci = new Scenario(sandbox, REFERENCE_YAML, CI);
      const first = person.run(['apply', 'staging', '--yes']);
      while (!started()) await new Promise((resolve) => setTimeout(resolve, 1));
      const runs = await Promise.all([first, ci.run(['apply', 'staging', '--yes'])]);
      sandbox().setFaults({});
      const where = `trial ${trial}\n${runs.map((r) => r.stderr).join('\n---\n')}`;
      expect(runs.filter((r) => r.code === 0).length, where).toBeLessThanOrEqual(1);
      for (const refused of runs.filter((r) => r.code !== 0)) {
        expect(refused.code, where).toBe(3);
        expect(REFUSALS.some((pattern) => pattern.test(refused.stderr)), where).toBe(true);
      }
      expect(stagingAddons().length, where).toBeLessThanOrEqual(3);
      // Whatever the interleaving, the next apply converges: no ambiguous pair, no leftover lock.
      const again = await person.run(['apply', 'staging', '--yes']);
      expect(again.code, `${where}\n---\n${again.stderr}`).toBe(0);
      expect(stagingAddons(), where).toHaveLength(3);
      expect(lockWebhooks(), where).toEqual([]);
      outcomes.push(runs.map((r) => r.code).join('/'));
    }
    console.info(`first applies at once, exit codes per trial: ${outcomes.join(', ')}`);
  }, 120_000);

  it('a killed apply leaves its lock: plan reports it as stale, and the next apply on this machine removes it, though it has nothing to change', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    person.write(CHANGED);
    sandbox().resetLog();
    sandbox().setFaults({ latencyMs: 20 });
    const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'apply', 'staging', '--yes', '--sandbox', sandbox().url], {
      cwd: person.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: person.cwd, ...PERSON },
      stdio: 'ignore',
    });
    // Killed once its last write is made: between it and releasing the lock are only reads.
    const written = () => sandbox().requestLog().some((e) => e.method === 'PATCH' && e.path === '/apps/daffeinated-staging/config-vars');
    expect(await killWhen(child, written)).toBe(true);
    sandbox().setFaults({});
    expect(lockWebhooks()).toHaveLength(1);
    const held = `alice on ${hostname()} \\(pid ${child.pid}\\) since \\d{4}-[\\d-]+T[\\d:.]+Z`;

    const planIo = onThisMachine(person.cwd, PERSON);
    expect(await runCli(['plan', 'staging', '--format', 'json', '--sandbox', sandbox().url], planIo)).toBe(0);
    const plan = JSON.parse(planIo.out.join('')) as { changes: unknown[]; diagnostics: { message: string; hint: string }[] };
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics).toEqual([
      {
        severity: 'warning',
        message: expect.stringMatching(new RegExp(`^staging is locked by an apply: ${held} \\(stale: its process \\(pid ${child.pid}\\) on this machine is no longer running\\)$`)),
        hint: 'the next `daffeinated apply staging` from here removes it',
      },
    ]);
    expect(lockWebhooks()).toHaveLength(1);

    const applyIo = onThisMachine(person.cwd, PERSON);
    expect(await runCli(['apply', 'staging', '--yes', '--sandbox', sandbox().url], applyIo)).toBe(0);
    expect(applyIo.out.join('')).toContain('No changes');
    expect(applyIo.err.join('')).toMatch(new RegExp(`warning: removing the lock on staging held by ${held}: its process \\(pid ${child.pid}\\) on this machine is no longer running`));
    expect(lockWebhooks()).toEqual([]);
  }, 60_000);

  it('a killed apply with work left: the re-run on its machine takes its lock over and finishes', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    person.write(CHANGED);
    sandbox().setFaults({ latencyMs: 20 });
    const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'apply', 'staging', '--yes', '--sandbox', sandbox().url], {
      cwd: person.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: person.cwd, ...PERSON },
      stdio: 'ignore',
    });
    expect(await killWhen(child, () => lockWebhooks().length > 0)).toBe(true);
    sandbox().setFaults({});
    const io = onThisMachine(person.cwd, PERSON);
    expect(await runCli(['apply', 'staging', '--yes', '--sandbox', sandbox().url], io)).toBe(0);
    expect(io.err.join('')).toMatch(new RegExp(`warning: removing the lock on staging held by alice on ${hostname()} \\(pid ${child.pid}\\)`));
    expect(lockWebhooks()).toEqual([]);
    const vars = await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/daffeinated-staging/config-vars');
    expect(vars.body['NODE_ENV']).toBe('staging');
  }, 60_000);

  it('two live add-ons that could be one declared add-on: the error names the commands that resolve it, and they do', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    // What an unlocked race left behind: a second Redis of the same service, attached under another name.
    const second = await heroku<{ name: string }>(sandbox(), 'POST', '/apps/daffeinated-staging/addons', { body: { plan: 'heroku-redis:mini' } });
    expect(second.status).toBe(201);
    const refused = await person.run(['plan', 'staging']);
    expect(refused.code).toBe(1);
    const hint = /hint: adopt one by declaring `name: (\S+)` on staging's add-on cache .* run `(daffeinated apply staging --allow-destroy '(heroku\.addon\[staging\/\S+\])')`/.exec(refused.stderr);
    expect(hint, refused.stderr).not.toBeNull();
    const [, keep, command, address] = hint as unknown as [string, string, string, string];
    expect(address).not.toContain(keep);
    // Follow the hint: adopt the one named, prune add-ons, allow destroying the other.
    person.write(
      REFERENCE_YAML.replace(
        '    domains: [staging.daffeinated.com]',
        `    domains: [staging.daffeinated.com]\n    addons: { cache: { name: ${keep} } }\n    prune: { addons: true }`,
      ),
    );
    const args = command.replace(/^daffeinated /, '').split(' ').map((arg) => arg.replace(/^'|'$/g, ''));
    const resolved = await person.run([...args, '--yes']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(stagingAddons()).toHaveLength(3);
    expect(app('daffeinated-staging')?.addons.map((a) => a.name)).toContain(keep);
    expect((await person.run(['plan', 'staging', '--detailed-exitcode'])).code).toBe(0);
  }, 60_000);
});
