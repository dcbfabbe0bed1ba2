import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { DRILLED_PRODUCTION_YAML, type DrillRunOptions, drillIn, drillLeftovers, postgresRequests } from '../helpers/drill.js';
import type { Json } from '../helpers/heroku.js';
import { gitRepo } from '../helpers/repo.js';
import { createApp, heroku } from '../helpers/sandbox.js';

// What the drill refuses, and what it cleans up: bad input creates nothing; an app at the drill's
// name that is not marked as a drill is never touched; an earlier drill's leftover (marked, or an
// empty app a killed drill created) is removed first; an interrupted drill (SIGINT) at any step
// tears down what it created. The sandbox runs no processes here: the health check is skipped.
const APP_YAML = `${DRILLED_PRODUCTION_YAML}  plain:
    app: shop-plain
    stage: staging
`;
const DRILL_APP = 'shop-production-drill';
const NOW = new Date('2026-11-22T12:00:00Z');

let sandbox: SandboxHandle;
let dir: string;

beforeAll(async () => {
  dir = gitRepo('daff-drill-safety-', { 'app.yaml': APP_YAML, ...TINY_APP }).dir;
  const state = mkdtempSync(join(tmpdir(), 'daff-drill-safety-state-'));
  sandbox = await startSandbox({ stateFile: join(state, 'sandbox.json'), heroku: { buildMs: 50, releasePhaseMs: 20, addonProvisionMs: 0, domainMs: 0, acmMs: 0, pgTransferStartMs: 0, pgTransferMs: 200 } });
  const deployed = await cli(['deploy', 'production', '--yes', '--sandbox', sandbox.url], { cwd: dir, env: { PATH: process.env['PATH'] } });
  expect(deployed.code, deployed.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

const ENV = { PATH: process.env['PATH'] };
const drill = (options: DrillRunOptions = {}) => drillIn(sandbox, { cwd: dir, env: ENV, now: NOW }, options);
const writesSince = (count: number) => sandbox.requestLog().slice(count).filter((e) => e.method !== 'GET');

describe('bad input creates nothing', () => {
  it('refuses an environment without a Postgres add-on before any request', async () => {
    const before = sandbox.requestCount();
    const run = await drill({ environment: 'plain' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('plain has no Postgres add-on');
    expect(run.stderr).toContain('hint: Declare its database');
    expect(sandbox.requestCount()).toBe(before);
  });

  it('refuses an environment with no completed backup and no --capture, writing nothing', async () => {
    const before = sandbox.requestLog().length;
    const run = await drill();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no completed backup');
    expect(run.stderr).toContain('dr-drill production --capture');
    expect(writesSince(before)).toEqual([]);
    expect(await drillLeftovers(sandbox)).toEqual([]);
  });
});

describe('with a backup of production', () => {
  it('takes one (for the tests below)', async () => {
    const backedUp = await cli(['backups', 'production', '--capture', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
    expect(backedUp.code, backedUp.stderr).toBe(0);
  });
});

describe('an app at the drill name', () => {
  it('is never touched when it is not marked as a drill', async () => {
    await createApp(sandbox, DRILL_APP);
    await heroku(sandbox, 'PATCH', `/apps/${DRILL_APP}/config-vars`, { body: { OWNER: 'someone else' } });
    const before = sandbox.requestLog().length;
    const run = await drill();
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`taken by an app that is not marked as a drill (1 config var(s); no DAFFEINATED_DRILL config var)`);
    expect(writesSince(before)).toEqual([]);
    expect((await heroku<Json>(sandbox, 'GET', `/apps/${DRILL_APP}/config-vars`)).body).toEqual({ OWNER: 'someone else' });
    expect((await heroku(sandbox, 'DELETE', `/apps/${DRILL_APP}`)).status).toBe(200);
  });

  it("is removed first when it is an earlier drill's leftover (marked), add-ons and all", async () => {
    await createApp(sandbox, DRILL_APP);
    await heroku(sandbox, 'PATCH', `/apps/${DRILL_APP}/config-vars`, { body: { DAFFEINATED_DRILL: 'production' } });
    expect((await heroku(sandbox, 'POST', `/apps/${DRILL_APP}/addons`, { body: { plan: 'heroku-redis:mini' } })).status).toBe(201);
    const run = await drill();
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { teardown: { leftoverRemoved: string[] }; steps: { step: string }[]; health: Json };
    expect(report.teardown.leftoverRemoved).toHaveLength(2);
    expect(report.teardown.leftoverRemoved).toContain('heroku.app[production-drill]');
    expect(report.steps[0]?.step).toBe('leftover');
    expect(report.health).toMatchObject({ kind: 'skipped' });
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 30_000);

  it('is removed first when it is empty (a drill killed right after creating its app)', async () => {
    await createApp(sandbox, DRILL_APP);
    const run = await drill();
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { teardown: { leftoverRemoved: string[] } }).teardown.leftoverRemoved).toEqual(['heroku.app[production-drill]']);
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 30_000);
});

describe('a drill that fails part way', () => {
  it('tears down what it created and says what failed (exit 1)', async () => {
    sandbox.setFaults({ failRequests: [{ request: 1, path: `/apps/${DRILL_APP}/releases`, kind: 'server_error' }] });
    try {
      const run = await drill();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error: .*500|error: .*Internal/i);
      expect(run.stderr).toContain(`Tore down the drill environment production-drill (${DRILL_APP})`);
      expect(await drillLeftovers(sandbox)).toEqual([]);
    } finally {
      sandbox.setFaults({});
    }
  }, 30_000);
});

describe('an interrupted drill (SIGINT) tears down what it created', () => {
  type Seen = (method: string, path: string) => boolean;
  /** Resolves once the sandbox has seen, since `from`, a request matching `seen` (polled). */
  const when = (from: number, seen: Seen) => () =>
    new Promise<void>((resolve) => {
      const check = () => (sandbox.requestLog().slice(from).some((e) => seen(e.method, e.path)) ? resolve() : setTimeout(check, 1));
      check();
    });
  const steps: [string, Seen][] = [
    ['creating the app', (m, p) => m === 'POST' && p === '/apps'],
    ['provisioning add-ons', (m, p) => m === 'POST' && p === `/apps/${DRILL_APP}/addons`],
    ['restoring', (m, p) => m === 'POST' && p.endsWith('/restores')],
    ['releasing', (m, p) => m === 'POST' && p === `/apps/${DRILL_APP}/releases`],
  ];
  for (const [step, at] of steps) {
    it(`while ${step}`, async () => {
      const from = sandbox.requestLog().length;
      const run = await drill({ stop: when(from, at) });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('The drill was interrupted');
      expect(await drillLeftovers(sandbox)).toEqual([]);
      // It stopped there: no later step began.
      const restores = postgresRequests(sandbox, from).filter((r) => r.endsWith('/restores'));
      expect(restores.length).toBe(step === 'restoring' || step === 'releasing' ? 1 : 0);
      const releases = sandbox.requestLog().slice(from).filter((e) => e.method === 'POST' && e.path === `/apps/${DRILL_APP}/releases`);
      expect(releases.length).toBe(step === 'releasing' ? 1 : 0);
    }, 30_000);
  }
});
