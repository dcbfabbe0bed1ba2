import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP, testProcesses } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { commitFiles, gitRepo } from '../helpers/repo.js';

// status and rollback end to end: deploy and promote through the sandbox's pipeline with the apps'
// own processes answering health checks, DNS in a sandbox zone. The tests run in order, one world.
const APP_YAML = `version: 1
name: shop
pipeline: shop-pipe
defaults:
  formation:
    web: { quantity: 1, size: basic }
  config:
    GREETING: hello
  healthcheck: { path: /health, timeout: 5 }
environments:
  staging:
    app: shop-staging
    stage: staging
    domains: [staging.shop.test]
  production:
    app: shop-production
    stage: production
    domains: [www.shop.test]
    formation:
      web: { quantity: 2, size: standard-1x }
cloudflare:
  zones:
    shop.test:
      owner: production
`;

let sandbox: SandboxHandle;
let repo: { dir: string; sha: string };

beforeAll(async () => {
  repo = gitRepo('daff-operate-', { 'app.yaml': APP_YAML, ...TINY_APP });
  const state = mkdtempSync(join(tmpdir(), 'daff-operate-state-'));
  sandbox = await startSandbox({
    stateFile: join(state, 'sandbox.json'),
    zones: [{ name: 'shop.test', plan: 'free' }],
    heroku: { buildMs: 200, releasePhaseMs: 100, promotionMs: 200, addonProvisionMs: 0, domainMs: 0, acmMs: 0 },
    processes: testProcesses(),
  });
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[]) =>
  cli([...args, '--sandbox', sandbox.url], { cwd: repo.dir, env: { PATH: process.env['PATH'] } });
const writes = () => sandbox.requestLog().filter((e) => e.method !== 'GET');

interface StatusJson {
  environments: {
    name: string;
    app: string;
    exists: boolean;
    release?: { version: number; commit: string | null; user: string | null; status: string };
    formation: { type: string; quantity: number; size: string }[];
    dynos: { state: string; count: number }[];
    domains: { hostname: string; certificate: string | null; dns: { kind: string } }[];
    health: { kind: string; ok?: boolean };
  }[];
  comparisons: { from: string; to: string; behind?: number }[];
}

async function status(): Promise<StatusJson> {
  const result = await run(['status', '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

describe('status', () => {
  it('before anything exists: each app does not exist, in pipeline order, exit 0', async () => {
    const report = await status();
    expect(report.environments.map((e) => [e.name, e.exists])).toEqual([
      ['staging', false],
      ['production', false],
    ]);
  });

  it('after deploy and promote: both stages on the same commit, dynos up, DNS pointing, healthy', async () => {
    expect((await run(['apply', '--all', '--yes'])).code).toBe(0);
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const promoted = await run(['promote', '--apply', '--yes']);
    expect(promoted.stderr).not.toContain('Error');
    expect(promoted.code).toBe(0);
    sandbox.resetLog();
    const report = await status();
    expect(writes()).toEqual([]);
    const [staging, production] = report.environments;
    expect(staging?.release?.commit).toBe(repo.sha);
    expect(production?.release?.commit).toBe(repo.sha);
    expect(report.comparisons).toEqual([]);
    expect(production?.formation).toEqual([{ type: 'web', quantity: 2, size: 'standard-1x' }]);
    expect(production?.dynos).toEqual([{ state: 'up', count: 2 }]);
    expect(production?.domains).toEqual([
      expect.objectContaining({ hostname: 'www.shop.test', dns: expect.objectContaining({ kind: 'points' }) }),
    ]);
    expect(production?.health).toMatchObject({ kind: 'answered', ok: true });
    expect(staging?.release?.user).toEqual(expect.stringContaining('@'));
  });

  it('shows how far production is behind staging, and a Mermaid pipeline in markdown', async () => {
    const second = commitFiles(repo.dir, { 'CHANGES.md': 'second\n' }, 'second commit');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const human = await run(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `production is 1 commit behind staging (${repo.sha.slice(0, 7)} vs ${second.slice(0, 7)})`,
    );
    expect(human.stdout).toMatch(/www\.shop\.test: certificate .*; DNS points at /);
    const markdown = await run(['status', 'production', '--format', 'markdown']);
    expect(markdown.stdout).toContain('```mermaid\nflowchart LR\n  env0["production<br/>shop-production<br/>v');
    expect(markdown.stdout).toContain('### production (shop-production)');
  });

  it('an unknown environment exits 1 naming the valid ones, without a request', async () => {
    sandbox.resetLog();
    const result = await run(['status', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There is no environment "prod"');
    expect(result.stderr).toContain('declared environments: staging, production');
    expect(sandbox.requestLog()).toEqual([]);
  });
});
