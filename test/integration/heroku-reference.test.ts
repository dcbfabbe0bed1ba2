import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declareProcessTypes, heroku, useSandbox } from '../helpers/sandbox.js';
import { APP_READ_PATHS } from '../helpers/heroku-reads.js';
import { herokuRequests, herokuWrites, QUICK_HEROKU, REFERENCE_YAML, Scenario, tally } from '../helpers/scenario.js';

// The reference config (config/app.yaml) end to end against the sandbox: the reads a plan makes,
// the writes an apply makes, convergence, and a second round of changes.
const STRIPE = 'sk_test_reference_4f9a1c2e';
const APPS = ['daffeinated-staging', 'daffeinated-production'];
/** The kinds of an app the account-wide listings answer (`GET /apps`, `/addons`, `/pipeline-couplings`). */
const LISTED = ['', '/addons', '/pipeline-couplings'];
/** The reads of each app in a plan: staging declares no features, so they are not read. */
const READS: Record<string, readonly string[]> = {
  'daffeinated-staging': APP_READ_PATHS.filter((k) => k !== '/features' && !LISTED.includes(k)),
  'daffeinated-production': APP_READ_PATHS.filter((k) => !LISTED.includes(k)),
};

describe('Heroku: the reference config against the sandbox', () => {
  const sandbox = useSandbox({ seed: 4, zones: ['daffeinated.com:enterprise'], heroku: QUICK_HEROKU });

  async function applyAll(scenario: Scenario): Promise<void> {
    const first = await scenario.run(['apply', '--all', '--yes']);
    expect(first.code, first.stderr).toBe(0);
    // Now that the apps exist, a deploy would declare the Procfile's process types.
    for (const app of APPS) await declareProcessTypes(sandbox(), app, { web: 'npm start', worker: 'node worker.js' });
  }

  it('plans with the account-wide listings and one request per declared kind per app, and the lock survey, all in one round', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    sandbox().setFaults({ latencyMs: 300 });
    try {
      const plan = await scenario.run(['plan', '--all']);
      expect(plan.code, plan.stderr).toBe(0);
      const listings = ['/apps', '/addons', '/pipeline-couplings'];
      const isRead = (path: string) => path.startsWith('/apps/') || listings.includes(path);
      const reads = tally(herokuRequests(sandbox(), (e) => isRead(e.path) || e.path.startsWith('/pipelines')));
      const expected = Object.fromEntries(
        [
          ...listings.map((path) => `GET ${path}`),
          ...APPS.flatMap((app) => (READS[app] ?? []).map((k) => `GET /apps/${app}${k}`)),
          // The lock survey (workflows/lock-report.ts) goes out with the reads, before they tell
          // that no app exists yet: a 404 each.
          ...APPS.map((app) => `GET /apps/${app}/webhooks`),
          'GET /pipelines/daffeinated',
        ].map((r) => [r, 1]),
      );
      expect(reads).toEqual(expected);
      // One round: every app read arrived before the first of them was answered (each takes at
      // least the injected 300 ms). Asserted from the sandbox's log, not a wall clock, so a loaded
      // machine cannot fail it.
      const appReads = sandbox()
        .requestLog()
        .filter((e) => e.api === 'heroku' && e.method === 'GET' && isRead(e.path));
      expect(appReads).toHaveLength(Object.keys(expected).length - 1);
      const lastArrival = Math.max(...appReads.map((e) => e.startedMs));
      const firstAnswer = Math.min(...appReads.map((e) => e.startedMs + e.durationMs));
      expect(lastArrival).toBeLessThan(firstAnswer);
    } finally {
      sandbox().setFaults({});
    }
  });

  it('applies, writing config vars with one PATCH and the formation with one batch PATCH per app; a re-plan is empty', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    await applyAll(scenario);
    const configPatches = tally(herokuWrites(sandbox()).filter((w) => w.endsWith('/config-vars')));
    expect(configPatches).toEqual({
      'PATCH /apps/daffeinated-production/config-vars': 1,
      'PATCH /apps/daffeinated-staging/config-vars': 1,
    });
    sandbox().resetLog();
    const scale = await scenario.run(['apply', '--all', '--yes']);
    expect(scale.code, scale.stderr).toBe(0);
    // A first release scales web to one basic dyno, as staging wants; production needs 2 + 1 dynos.
    expect(herokuWrites(sandbox())).toEqual(['PATCH /apps/daffeinated-production/formation']);
    const state = sandbox().state().heroku;
    const production = state.apps.find((a) => a.name === 'daffeinated-production');
    expect(production?.formation.map((f) => [f.type, f.quantity, f.size]).sort()).toEqual([
      ['web', 2, 'Standard-2X'],
      ['worker', 1, 'Standard-1X'],
    ]);
    expect(production?.addons.map((a) => a.plan.name).sort()).toEqual([
      'heroku-postgresql:standard-0',
      'heroku-redis:premium-0',
      'newrelic:wayne',
    ]);
    expect(state.couplings.map((c) => c.stage).sort()).toEqual(['production', 'staging']);
    const replan = await scenario.run(['plan', '--all', '--detailed-exitcode']);
    expect(replan.code, replan.stdout).toBe(0);
    expect(replan.stdout).toContain('No changes');
    expect(replan.stdout).toContain('8 add-on variables, 3 certificates: as expected');
    expect(replan.stdout).toMatch(/heroku\.formation\[staging\/worker\]:\s+not declared in app\.yaml; left alone \(declare environments\.staging\.formation\.worker to manage\s+it, or set environments\.staging\.prune\.formation: true to scale it to 0\)/);
    expect(replan.stdout).not.toContain(STRIPE);
  });

  it('changes the config, applies in place (a plan upgrade is a PATCH), and is empty again', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    await applyAll(scenario);
    const drain = 'https://logger:drain-pa55word@logs.example.net/ingest';
    scenario.write(
      REFERENCE_YAML.replace(
        'database: { plan: "heroku-postgresql:standard-0",',
        'database: { plan: "heroku-postgresql:standard-2",',
      )
        .replace(
          '    domains: [staging.daffeinated.com]',
          `    domains: [staging.daffeinated.com, beta.daffeinated.com]\n    features: [http-session-affinity]\n    log_drains: ["${drain}"]`,
        )
        .replace('NODE_ENV: production', 'NODE_ENV: production\n    LOG_LEVEL: info')
        .replace('web: { quantity: 2, size: standard-2x }', 'web: { quantity: 3, size: standard-2x }')
        .replace('    stage: staging\n', '    stage: development\n'),
    );
    const plan = await scenario.run(['plan', '--all']);
    expect(plan.stdout).toContain('~ heroku.addon[production/database]');
    expect(plan.stdout).toContain('Cost (monthly');
    sandbox().resetLog();
    const applied = await scenario.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const writes = herokuWrites(sandbox());
    expect(writes.filter((w) => w.startsWith('DELETE'))).toEqual([]);
    expect(writes.filter((w) => /^PATCH \/apps\/daffeinated-production\/addons\//.test(w))).toHaveLength(1);
    expect(tally(writes.filter((w) => w.endsWith('/config-vars') || w.endsWith('/formation')))).toEqual({
      'PATCH /apps/daffeinated-production/config-vars': 1,
      'PATCH /apps/daffeinated-production/formation': 1,
      'PATCH /apps/daffeinated-staging/config-vars': 1,
    });
    for (const output of [plan.stdout, plan.stderr, applied.stdout, applied.stderr])
      expect(output).not.toContain('drain-pa55word');
    const replan = await scenario.run(['plan', '--all', '--detailed-exitcode']);
    expect(replan.code, replan.stdout).toBe(0);
    const state = sandbox().state().heroku;
    expect(state.couplings.map((c) => c.stage).sort()).toEqual(['development', 'production']);
    expect(state.apps.find((a) => a.name === 'daffeinated-staging')?.logDrains.map((d) => d.url)).toEqual([drain]);
  });

  it('never prints or stores a drain URL: plan files, every format, drift after an out-of-band removal', async () => {
    const drain = 'https://logger:pl4n-f1le-secret@logs.example.net/ingest';
    const yaml = REFERENCE_YAML.replace('    domains: [staging.daffeinated.com]', `    domains: [staging.daffeinated.com]\n    log_drains: ["${drain}"]`);
    const scenario = new Scenario(sandbox, yaml, { STRIPE_KEY: STRIPE });
    const saved = await scenario.run(['plan', 'staging', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    const file = readFileSync(join(scenario.cwd, 'plan.json'), 'utf8');
    expect(file).toContain('heroku.drain[staging/logs.example.net]');
    expect(file).not.toContain('pl4n-f1le-secret');
    const applied = await scenario.run(['apply', 'plan.json', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const drains = await heroku<{ id: string }[]>(sandbox(), 'GET', '/apps/daffeinated-staging/log-drains');
    await heroku(sandbox(), 'DELETE', `/apps/daffeinated-staging/log-drains/${drains.body[0]?.id}`);
    for (const format of ['human', 'json', 'markdown']) {
      const drift = await scenario.run(['drift', 'staging', '--format', format]);
      expect(drift.code, drift.stderr).toBe(2);
      expect(drift.stdout).toContain('heroku.drain[staging/logs.example.net]');
      expect(drift.stdout + drift.stderr).not.toContain('pl4n-f1le-secret');
    }
  });

  it('planning one environment never touches the other one or its coupling', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const applied = await scenario.run(['apply', 'staging', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(herokuRequests(sandbox()).some((r) => r.includes('daffeinated-production'))).toBe(false);
    const state = sandbox().state().heroku;
    expect(state.pipelines.map((p) => p.name)).toEqual(['daffeinated']);
    expect(state.couplings.map((c) => c.stage)).toEqual(['staging']);
  });
});
