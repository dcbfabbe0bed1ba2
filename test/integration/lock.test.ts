import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { lockUrl } from '../../src/providers/heroku/lock.js';
import { census } from '../helpers/census.js';
import { fakeIo } from '../helpers/cli.js';
import { heroku, useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Concurrent runs: a person and CI apply to the same environment at once. The first to record its
// lock (an app webhook to daffeinated-lock.invalid on the app: no release, no restart) applies; the
// second refuses (exit 3) naming who holds the lock and since when, having written nothing but its
// own lock record, removed again. A stale lock of a run elsewhere needs --break-lock; the lock
// never shows in plans or drift. Under the lock only the changed environments are read again.
const STRIPE = 'sk_test_lock';
const PERSON = { USER: 'alice', STRIPE_KEY: STRIPE, DAFFEINATED_RETRY_BASE_MS: '1' };
const CI = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra', GITHUB_RUN_ID: '4711', STRIPE_KEY: STRIPE, DAFFEINATED_RETRY_BASE_MS: '1' };
const CHANGED = REFERENCE_YAML.replace('NODE_ENV: production', 'NODE_ENV: staging');
// One config var of production only (`--all` puts the pipeline with staging: production's coupling refers to it).
const PRODUCTION_CHANGED = REFERENCE_YAML.replace('    domains: [daffeinated.com, www.daffeinated.com]', '    domains: [daffeinated.com, www.daffeinated.com]\n    config: { LOG_LEVEL: debug }');

describe('two applies on the same environment at once', () => {
  const sandbox = useSandbox({ seed: 81, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const appState = (app: string) =>
    sandbox()
      .state()
      .heroku.apps.find((a) => a.name === app);
  const lockWebhooks = (app: string) => appState(app)?.webhooks.filter((w) => w.url.includes('daffeinated-lock.invalid')) ?? [];
  // How versions before issue 14 recorded a lock.
  const lockDrains = (app: string) => appState(app)?.logDrains.filter((d) => d.url.includes('daffeinated-lock.invalid')) ?? [];

  it('the second refuses, naming the holder; neither corrupts the environment', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    sandbox().resetLog();
    const ci = new Scenario(sandbox, CHANGED, CI);
    person.write(CHANGED);
    // Slow requests keep the person's apply running while CI starts: CI starts once the person's
    // lock is verified (its webhooks listed after its lock was created), and the person still has its
    // re-read under the lock, its write, its confirmation and its release ahead (4 rounds of 400 ms),
    // while CI's own lock is created in CI's first round and checked in its second. Starting CI
    // before the person's check would make a tie, in which both refuse.
    sandbox().setFaults({ latencyMs: 400 });
    const first = person.run(['apply', 'staging', '--yes']);
    const lockVerified = () => {
      const log = sandbox().requestLog();
      const created = log.findIndex((e) => e.method === 'POST' && e.path === '/apps/daffeinated-staging/webhooks');
      return created >= 0 && log.slice(created + 1).some((e) => e.method === 'GET' && e.path === '/apps/daffeinated-staging/webhooks');
    };
    while (!lockVerified()) await new Promise((resolve) => setTimeout(resolve, 5));
    const writesBefore = sandbox().requestLog().filter((e) => e.method !== 'GET').length;
    const second = await ci.run(['apply', 'staging', '--yes']);
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr).toMatch(/Error: staging is locked: another apply is running \(alice on \S+ since \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
    expect(second.stderr).toContain('--break-lock');
    const done = await first;
    sandbox().setFaults({});
    expect(done.code, done.stderr).toBe(0);
    // CI wrote nothing but its plan's reads (the refused lock attempt removed nothing of alice's).
    expect(sandbox().requestLog().filter((e) => e.method !== 'GET' && e.path.includes('/config-vars')).length).toBe(1);
    expect(writesBefore).toBeGreaterThan(0);
    expect(lockWebhooks('daffeinated-staging')).toEqual([]);
    const again = await ci.run(['apply', 'staging', '--yes', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { changes: unknown[] }).changes).toEqual([]);
    expect(census(sandbox()).addons.filter((a) => a.startsWith('daffeinated-staging '))).toHaveLength(3);
  });

  it('a stale lock of a run elsewhere (a drain, as older versions recorded it) refuses until --break-lock; plan and drift report it without failing', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    const url = lockUrl({ who: 'GitHub Actions daff/infra run 4700', host: 'runner-gone', pid: '31337', since: '2026-11-21T03:00:00.000Z', id: 'abc123' });
    expect((await heroku(sandbox(), 'POST', '/apps/daffeinated-staging/log-drains', { body: { url } })).status).toBe(201);

    let since = sandbox().requestLog().length;
    const plan = await person.run(['plan', 'staging', '--format', 'json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).not.toContain('daffeinated-lock');
    // The survey lists the webhooks and takes the drain lock from the plan's own read of the drains.
    const reads = (what: string) =>
      sandbox()
        .requestLog()
        .slice(since)
        .filter((e) => e.path === `/apps/daffeinated-staging/${what}`);
    expect([reads('log-drains').length, reads('webhooks').length]).toEqual([1, 1]);
    expect((JSON.parse(plan.stdout) as { changes: unknown[]; diagnostics: unknown[] }).diagnostics).toEqual([
      {
        severity: 'warning',
        message: expect.stringMatching(/^staging is locked by an apply: GitHub Actions daff\/infra run 4700 on runner-gone \(pid 31337\) since \d{4}-/),
        hint: expect.stringContaining('`daffeinated apply staging --break-lock` removes the lock'),
      },
    ]);
    const drift = await person.run(['drift', 'staging']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.stdout).toMatch(/warning: staging is locked by an apply: GitHub Actions daff\/infra run 4700 on runner-gone \(pid 31337\) since /);
    // The lock is no unmanaged drain: nothing but the warning mentions it.
    expect(drift.stdout.replace(/^.*locked by an apply.*\n.*\n/m, '')).not.toMatch(/drain|lock/i);
    // Without the survey: no webhook read, no warning, and the report says the locks were not read.
    since = sandbox().requestLog().length;
    const unsurveyed = await person.run(['drift', 'staging', '--no-lock-survey']);
    expect(unsurveyed.code, unsurveyed.stderr).toBe(0);
    expect(unsurveyed.stdout).not.toMatch(/locked by an apply/);
    expect(unsurveyed.stdout).toContain('Apply locks were not read (--no-lock-survey)');
    expect(reads('webhooks')).toEqual([]);

    person.write(CHANGED);
    const refused = await person.run(['apply', 'staging', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/staging is locked: another apply is running \(GitHub Actions daff\/infra run 4700 on runner-gone \(pid 31337\) since \d{4}-/);
    expect(sandbox().requestLog().filter((e) => e.method !== 'GET' && e.path.endsWith('/config-vars'))).toHaveLength(1);

    const broken = await person.run(['apply', 'staging', '--yes', '--break-lock']);
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stderr).toMatch(/warning: removing the lock on staging held by GitHub Actions daff\/infra run 4700 on runner-gone \(pid 31337\) since .*: --break-lock/);
    expect(lockDrains('daffeinated-staging')).toEqual([]);
  });

  it('live state that moves while a person confirms is not applied: the plan they saw is no longer true', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', 'staging', '--yes'])).code).toBe(0);
    person.write(CHANGED);
    const ci = new Scenario(sandbox, CHANGED, CI);
    // While alice reads the plan at her terminal, CI applies the same change.
    const io = fakeIo({ cwd: person.cwd, env: PERSON, interactive: true });
    const prompt = io.prompt;
    const answering = {
      ...io,
      prompt: async (question: string) => {
        expect((await ci.run(['apply', 'staging', '--yes'])).code).toBe(0);
        await prompt(question);
        return 'yes';
      },
    };
    const code = await runCli(['apply', 'staging', '--sandbox', sandbox().url], answering);
    expect(code).toBe(3);
    expect(io.err.join('')).toMatch(/Error: Live state changed after the plan was made \(another run, or a change by hand\); nothing was applied/);
    expect(sandbox().requestLog().filter((e) => e.method === 'PATCH' && e.path.endsWith('/config-vars'))).toHaveLength(2);
  });

  it('one environment changed, with --yes: both are locked alongside the plan, the unchanged one released before applying; only the changed one is read under the lock and confirmed', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', '--all', '--yes'])).code).toBe(0);
    person.write(PRODUCTION_CHANGED);
    sandbox().resetLog();
    const applied = await person.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const log = sandbox().requestLog();
    const methods = (app: string, what: string) => log.filter((e) => e.path.startsWith(`/apps/${app}/${what}`)).map((e) => e.method);
    // Each lock: create, verify, release.
    expect(methods('daffeinated-production', 'webhooks')).toEqual(['POST', 'GET', 'DELETE']);
    expect(methods('daffeinated-staging', 'webhooks')).toEqual(['POST', 'GET', 'DELETE']);
    // Plan, the lock's verifying list (taken alongside the plan's read, it lists drains too:
    // providers/heroku/lock.ts), the re-read under the lock, the confirmation.
    expect(methods('daffeinated-production', 'log-drains')).toEqual(['GET', 'GET', 'GET', 'GET']);
    // Staging has no change: plan and lock only, neither read under the lock nor confirmed.
    expect(methods('daffeinated-staging', 'log-drains')).toEqual(['GET', 'GET']);
    // Each read of an app: in the account's listing when the read covers both environments (the
    // plan; providers/heroku/read-apps.ts), on its own when it covers one (the re-read under the
    // lock and the confirmation).
    const appReads = (app: string) => log.filter((e) => e.method === 'GET' && (e.path === `/apps/${app}` || e.path === '/apps')).length;
    expect([appReads('daffeinated-production'), appReads('daffeinated-staging')]).toEqual([3, 1]);
    expect(log.filter((e) => e.method === 'GET' && e.path === '/apps/daffeinated-production')).toHaveLength(2);
    // Staging's lock is released before anything is written.
    const released = log.findIndex((e) => e.method === 'DELETE' && e.path.startsWith('/apps/daffeinated-staging/webhooks/'));
    const written = log.findIndex((e) => e.method === 'PATCH' && e.path.endsWith('/config-vars'));
    expect(released).toBeGreaterThan(-1);
    expect(released).toBeLessThan(written);
    expect(log.filter((e) => e.method === 'PATCH' && e.path.endsWith('/config-vars')).map((e) => e.path)).toEqual([
      '/apps/daffeinated-production/config-vars',
    ]);
    expect(lockWebhooks('daffeinated-production')).toEqual([]);
    expect(lockWebhooks('daffeinated-staging')).toEqual([]);
  });

  it('one environment changed, asking a person: only it is locked, once they said yes', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', '--all', '--yes'])).code).toBe(0);
    person.write(PRODUCTION_CHANGED);
    sandbox().resetLog();
    const io = fakeIo({ cwd: person.cwd, env: PERSON, interactive: true });
    let locksAtPrompt = -1;
    const answering = {
      ...io,
      prompt: async () => {
        locksAtPrompt = lockWebhooks('daffeinated-production').length + lockWebhooks('daffeinated-staging').length;
        return 'daffeinated-production';
      },
    };
    expect(await runCli(['apply', '--all', '--sandbox', sandbox().url], answering), io.err.join('')).toBe(0);
    expect(locksAtPrompt).toBe(0);
    const log = sandbox().requestLog();
    const methods = (app: string, what: string) => log.filter((e) => e.path.startsWith(`/apps/${app}/${what}`)).map((e) => e.method);
    expect(methods('daffeinated-production', 'webhooks')).toEqual(['POST', 'GET', 'DELETE']);
    expect(methods('daffeinated-staging', 'webhooks')).toEqual([]);
    // Plan, re-read under the lock, confirmation: the verifying list reads no drains, as the
    // plan's read saw no lock drain of an older version (providers/heroku/lock.ts).
    expect(methods('daffeinated-production', 'log-drains')).toEqual(['GET', 'GET', 'GET']);
    expect(methods('daffeinated-staging', 'log-drains')).toEqual(['GET']);
  });

  it('live state that moves in an environment the plan does not change does not refuse', async () => {
    const person = new Scenario(sandbox, REFERENCE_YAML, PERSON);
    expect((await person.run(['apply', '--all', '--yes'])).code).toBe(0);
    person.write(REFERENCE_YAML.replace('    domains: [staging.daffeinated.com]', '    domains: [staging.daffeinated.com]\n    config: { LOG_LEVEL: debug }'));
    sandbox().resetLog();
    const io = fakeIo({ cwd: person.cwd, env: PERSON, interactive: true });
    const answering = {
      ...io,
      prompt: async () => {
        // Someone adds a config var to production by hand while alice reads the plan.
        const by = await heroku(sandbox(), 'PATCH', '/apps/daffeinated-production/config-vars', { body: { FEATURE_FLAG: 'on' } });
        expect(by.status).toBe(200);
        return 'yes';
      },
    };
    const code = await runCli(['apply', '--all', '--sandbox', sandbox().url], answering);
    expect(code, io.err.join('')).toBe(0);
    expect(sandbox().requestLog().filter((e) => e.method === 'PATCH' && e.path === '/apps/daffeinated-staging/config-vars')).toHaveLength(1);
  });
});
