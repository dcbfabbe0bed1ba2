import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP, testProcesses } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { type DrillRunOptions, drillIn, drillLeftovers, postgresRequests } from '../helpers/drill.js';
import type { Json } from '../helpers/heroku.js';
import { gitRepo } from '../helpers/repo.js';
import { heroku } from '../helpers/sandbox.js';

// The drill end to end against a sandbox that runs the apps' web processes and emulates the
// Postgres API (metadata only here: transfers complete on its clock). Production is deployed and
// backed up once; each test drills it and checks that nothing of the drill is left.
const APP_YAML = `version: 1
name: shop
defaults:
  formation:
    web: { quantity: 1, size: basic }
  healthcheck: { path: /health, timeout: 5 }
environments:
  production:
    app: shop-production
    stage: production
    domains: [www.shop.test]
    formation:
      web: { quantity: 2, size: standard-1x }
    addons:
      database: { plan: "heroku-postgresql:standard-0", as: DATABASE }
      cache: { plan: "heroku-redis:premium-0" }
    config:
      GREETING: hello
      SESSION_SECRET: { generate: secret }
      STRIPE_KEY: { from_env: STRIPE_KEY }
  plain:
    app: shop-plain
    stage: staging
cloudflare:
  zones:
    shop.test:
      owner: production
`;
const DRILL_APP = 'shop-production-drill';
const ENV = { PATH: process.env['PATH'], STRIPE_KEY: 'sk_live_drill_test' };

let sandbox: SandboxHandle;
let dir: string;

beforeAll(async () => {
  dir = gitRepo('daff-drill-', { 'app.yaml': APP_YAML, ...TINY_APP }).dir;
  const state = mkdtempSync(join(tmpdir(), 'daff-drill-state-'));
  sandbox = await startSandbox({
    stateFile: join(state, 'sandbox.json'),
    zones: [{ name: 'shop.test', plan: 'free' }],
    heroku: { buildMs: 100, releasePhaseMs: 50, addonProvisionMs: 0, domainMs: 0, acmMs: 0, pgTransferStartMs: 0, pgTransferMs: 50 },
    processes: testProcesses(),
  });
  const deployed = await cli(['deploy', 'production', '--yes', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
  expect(deployed.code, deployed.stderr).toBe(0);
  const backedUp = await cli(['backups', 'production', '--capture', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
  expect(backedUp.code, backedUp.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

const json = <T = Json>(text: string) => JSON.parse(text) as T;
const drill = (options: DrillRunOptions = {}) => drillIn(sandbox, { cwd: dir, env: ENV, now: new Date() }, options);
const nothingLeft = async () => expect(await drillLeftovers(sandbox)).toEqual([]);

describe('dr-drill production', () => {
  it('creates the drill environment, restores, runs production\'s slug, reports and tears everything down', async () => {
    const dnsBefore = await dnsNames();
    const productionConfig = (await heroku<Json>(sandbox, 'GET', '/apps/shop-production/config-vars')).body;
    // The drill app's config vars, read while it exists (once they carry the marker).
    let seen: Json = {};
    let drilling = true;
    const watch = (async () => {
      while (drilling && seen['DAFFEINATED_DRILL'] === undefined) {
        const vars = await heroku<Json>(sandbox, 'GET', `/apps/${DRILL_APP}/config-vars`);
        if (vars.status === 200) seen = vars.body;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const from = sandbox.requestLog().length;
    const run = await drill();
    drilling = false;
    await watch;
    expect(run.code, run.stderr).toBe(0);
    const report = json<Json>(run.stdout);
    expect(report).toMatchObject({
      kind: 'dr-drill',
      environment: 'production',
      drill: { environment: 'production-drill', app: DRILL_APP },
      backup: { name: 'b001', captured: false },
      database: { plan: 'heroku-postgresql:essential-0' },
      health: { kind: 'passed' },
      outcome: 'recovered',
    });
    expect(String((report['health'] as Json)['answer'])).toContain('"status":"ok"');
    expect(report['rpoSeconds']).toBeLessThan(600);
    expect((report['teardown'] as Json)['deleted']).toEqual(
      expect.arrayContaining(['heroku.addon[production-drill/database]', 'heroku.addon[production-drill/cache]', 'heroku.app[production-drill]']),
    );
    expect((report['steps'] as Json[]).map((s) => s['step'])).toEqual(['create', 'restore', 'release', 'health', 'teardown']);
    // Same keys, the marker, fresh secrets, literal values kept.
    expect(seen['DAFFEINATED_DRILL']).toBe('production');
    expect(seen['GREETING']).toBe('hello');
    expect(seen['STRIPE_KEY']).not.toBe('sk_live_drill_test');
    expect(seen['SESSION_SECRET']).not.toBe(productionConfig['SESSION_SECRET']);
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(Object.keys(productionConfig)));
    expect(postgresRequests(sandbox, from)).toEqual(['POST /client/v11/apps/shop-production/transfers/1/actions/public-url', 'POST /client/v11/databases/:id/restores']);
    await nothingLeft();
    expect(await dnsNames()).toEqual(dnsBefore);
    expect((await heroku<Json>(sandbox, 'GET', '/apps/shop-production/config-vars')).body).toEqual(productionConfig);
  }, 60_000);

  it('shows the cost first and, without a terminal or --yes, refuses having created nothing', async () => {
    const before = sandbox.requestLog().length;
    const run = await drill({ yes: false });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/costs about \$[\d.]+ an hour/);
    expect(run.stderr).toContain('Pass --yes');
    expect(sandbox.requestLog().slice(before).filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('reports an app that does not pass its health check after recovery as unhealthy (exit 1), torn down all the same', async () => {
    // The same environment, but a health check the app cannot pass: it answers 200, not 204.
    const strict = join(dir, 'strict.yaml');
    writeFileSync(strict, APP_YAML.replace('healthcheck: { path: /health, timeout: 5 }', 'healthcheck: { path: /health, timeout: 2, expect_status: [204] }'));
    const run = await drill({ config: strict });
    expect(run.code).toBe(1);
    expect(json<Json>(run.stdout)).toMatchObject({ outcome: 'unhealthy', health: { kind: 'failed' } });
    expect(run.stderr).toContain('did not pass its health check');
    await nothingLeft();
  }, 60_000);

  it('with --capture captures a backup of production first', async () => {
    const from = sandbox.requestLog().length;
    const run = await drill({ capture: true });
    expect(run.code, run.stderr).toBe(0);
    expect(json<Json>(run.stdout)['backup']).toMatchObject({ name: 'b002', captured: true });
    expect(postgresRequests(sandbox, from)).toEqual([
      'POST /client/v11/databases/:id/backups',
      'POST /client/v11/apps/shop-production/transfers/2/actions/public-url',
      'POST /client/v11/databases/:id/restores',
    ]);
    await nothingLeft();
  }, 60_000);
});

async function dnsNames(): Promise<string[]> {
  const zones = (await (await fetch(`${sandbox.url}/client/v4/zones`, { headers: { Authorization: 'Bearer t' } })).json()) as { result: { id: string }[] };
  const names: string[] = [];
  for (const zone of zones.result) {
    const records = (await (await fetch(`${sandbox.url}/client/v4/zones/${zone.id}/dns_records?per_page=500`, { headers: { Authorization: 'Bearer t' } })).json()) as {
      result: { type: string; name: string }[];
    };
    names.push(...records.result.map((r) => `${r.type} ${r.name}`));
  }
  return names.sort();
}
