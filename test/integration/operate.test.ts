import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../helpers/heroku.js';
import { slugOf, usePromoteWorld } from '../helpers/promote-world.js';
import { commitFiles } from '../helpers/repo.js';
import { heroku } from '../helpers/sandbox.js';

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

const world = usePromoteWorld({
  prefix: 'daff-operate-',
  files: { 'app.yaml': APP_YAML },
  sandbox: { zones: [{ name: 'shop.test', plan: 'free' }] },
});
const { run, current } = world;
const writes = () => world.sandbox.requestLog().filter((e) => e.method !== 'GET');
let second: string;

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
    world.sandbox.resetLog();
    const report = await status();
    expect(writes()).toEqual([]);
    const [staging, production] = report.environments;
    expect(staging?.release?.commit).toBe(world.repo.sha);
    expect(production?.release?.commit).toBe(world.repo.sha);
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
    second = commitFiles(world.repo.dir, { 'CHANGES.md': 'second\n' }, 'second commit');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const human = await run(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `production is 1 commit behind staging (${world.repo.sha.slice(0, 7)} vs ${second.slice(0, 7)})`,
    );
    expect(human.stdout).toMatch(/www\.shop\.test: certificate .*; DNS points at /);
    const markdown = await run(['status', 'production', '--format', 'markdown']);
    expect(markdown.stdout).toContain('```mermaid\nflowchart LR\n  env0["production<br/>shop-production<br/>v');
    expect(markdown.stdout).toContain('### production (shop-production)');
  });

  it('an unknown environment exits 1 naming the valid ones, without a request', async () => {
    world.sandbox.resetLog();
    const result = await run(['status', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There is no environment "prod"');
    expect(result.stderr).toContain('declared environments: staging, production');
    expect(world.sandbox.requestLog()).toEqual([]);
  });
});

describe('rollback', () => {
  it('after promoting the second commit, rolls production back to the first: old slug, healthy', async () => {
    const before = await current('shop-production');
    expect((await run(['promote', '--yes'])).code).toBe(0);
    const promoted = await current('shop-production');
    expect(slugOf(promoted)).not.toBe(slugOf(before));
    const result = await run(['rollback', 'production', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `back to v${before['version']} as v${Number(promoted['version']) + 1} (verified: current runs slug ${slugOf(before)}, commit ${world.repo.sha})`,
    );
    expect(result.stdout).toMatch(/health: healthy \(HTTP 200 at /);
    const now = await current('shop-production');
    expect(slugOf(now)).toBe(slugOf(before));
    expect((await status()).environments[1]?.release?.commit).toBe(world.repo.sha);
  });

  it('refuses (exit 3, nothing written) when the target release has other config var names, listing them', async () => {
    const promotedVersion = Number((await current('shop-production'))['version']) - 1;
    const patched = await heroku(world.sandbox, 'PATCH', '/apps/shop-production/config-vars', {
      body: { HAND_SET: 'by hand' },
    });
    expect(patched.status).toBe(200);
    world.sandbox.resetLog();
    const result = await run(['rollback', 'production', '--to', `v${promotedVersion}`, '--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Rollback refused: the config vars of v${promotedVersion} differ`);
    expect(result.stderr).toContain('removed by the rollback: HAND_SET');
    expect(result.stderr).toContain('--force');
    expect(writes()).toEqual([]);
  });

  it('asks for the production app name without --yes, and refuses off a terminal', async () => {
    world.sandbox.resetLog();
    const result = await run(['rollback', 'production', '--force']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Refusing to roll back without confirmation');
    expect(writes()).toEqual([]);
  });

  it('an unknown environment or release version exits 1 naming the valid ones, nothing written', async () => {
    world.sandbox.resetLog();
    const env = await run(['rollback', 'prod', '--yes']);
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('declared environments: staging, production');
    const version = await run(['rollback', 'production', '--to', 'v999', '--yes']);
    expect(version.code).toBe(1);
    expect(version.stderr).toContain('shop-production has no release v999');
    expect(version.stderr).toMatch(/Releases of shop-production to roll back to \(newest first\): v\d+, v\d+/);
    const bad = await run(['rollback', 'production', '--to', 'latest', '--yes']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--to expects a release version like v12');
    expect(writes()).toEqual([]);
  });
});

describe('releases', () => {
  it('lists the newest releases with their commits, who and what, the current one marked', async () => {
    world.sandbox.resetLog();
    const result = await run(['releases', 'production', '--limit', '4', '--format', 'json']);
    expect(result.code).toBe(0);
    const { releases } = JSON.parse(result.stdout) as {
      releases: { version: number; current: boolean; commit: string | null; description: string; user: string }[];
    };
    expect(releases).toHaveLength(4);
    expect(releases[0]).toMatchObject({ current: true, commit: world.repo.sha, description: 'Set HAND_SET config vars' });
    expect(releases.map((r) => r.commit)).toEqual([world.repo.sha, world.repo.sha, second, world.repo.sha]);
    expect(releases[2]?.description).toMatch(/^Promote shop-staging v\d+ [0-9a-f]{8}$/);
    // The list, then each distinct slug once.
    expect(world.sandbox.requestLog().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/, 'ID')}`)).toEqual([
      'GET /apps/shop-production/releases',
      'GET /apps/shop-production/slugs/ID',
      'GET /apps/shop-production/slugs/ID',
    ]);
    const human = await run(['releases', 'production', '-n', '2']);
    expect(human.stdout).toMatch(
      new RegExp(
        `^Releases of shop-production, newest first:\\n\\* v\\d+  succeeded ${world.repo.sha.slice(0, 7)} \\S+ \\S+@\\S+  Set HAND_SET config vars\\n`,
      ),
    );
  });

  it('an unknown environment exits 1 naming the valid ones', async () => {
    const result = await run(['releases', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('declared environments: staging, production');
  });
});

describe('rollback --force', () => {
  it('rolls back despite the config var difference, which the rollback then undoes', async () => {
    const list = (await heroku<Json[]>(world.sandbox, 'GET', '/apps/shop-production/releases')).body;
    const currentSlug = slugOf(await current('shop-production'));
    // The newest release of the second commit (its promotion): other code than now.
    const promotedSecond = list
      .filter((r) => slugOf(r) !== null && slugOf(r) !== currentSlug)
      .sort((x, y) => Number(y['version']) - Number(x['version']))[0];
    const result = await run(['rollback', 'production', '--to', `v${promotedSecond?.['version']}`, '--force', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('config vars: removed by the rollback: HAND_SET');
    const vars = (await heroku<Json>(world.sandbox, 'GET', '/apps/shop-production/config-vars')).body;
    expect(vars['HAND_SET']).toBeUndefined();
    expect(slugOf(await current('shop-production'))).toBe(slugOf(promotedSecond as Json));
  });
});

describe('approval of the exact promotion', () => {
  it('promote --dry-run --format json is the document; promote --plan FILE refuses it once staging moved, writing nothing', async () => {
    commitFiles(world.repo.dir, { 'CHANGES.md': 'third\n' }, 'third commit');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const dry = await run(['promote', '--dry-run', '--format', 'json']);
    expect(dry.code).toBe(0);
    const document = JSON.parse(dry.stdout) as {
      kind: string;
      source: { release: { id: string; version: number } };
      passed: boolean;
    };
    expect(document).toMatchObject({ kind: 'promotion', passed: true });
    expect(document.source.release.id).toBe((await current('shop-staging'))['id']);
    writeFileSync(join(world.repo.dir, 'approved.json'), dry.stdout);
    commitFiles(world.repo.dir, { 'CHANGES.md': 'fourth\n' }, 'fourth commit');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    world.sandbox.resetLog();
    const refused = await run(['promote', '--plan', 'approved.json', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'Promotion refused: live state moved since approved.json was approved; nothing was changed',
    );
    expect(refused.stderr).toContain(`the approved release of shop-staging is v${document.source.release.version}`);
    expect(writes()).toEqual([]);
  });

  it('promote --plan FILE promotes exactly the approved release', async () => {
    const dry = await run(['promote', '--dry-run', '--format', 'json']);
    writeFileSync(join(world.repo.dir, 'approved.json'), dry.stdout);
    const result = await run(['promote', '--plan', 'approved.json', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(slugOf(await current('shop-production'))).toBe(slugOf(await current('shop-staging')));
  });

  it('a file that is no promotion document is refused with how to make one', async () => {
    writeFileSync(join(world.repo.dir, 'other.json'), '{"formatVersion": 1, "kind": "plan"}');
    const result = await run(['promote', '--plan', 'other.json', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('other.json is not a promotion to approve: its kind is not "promotion"');
  });
});
