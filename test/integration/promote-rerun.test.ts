import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { BREAKS_IN_PRODUCTION } from '../helpers/apps.js';
import type { Json } from '../helpers/heroku.js';
import { SHOP_PIPELINE_YAML, slugOf, usePromoteWorld } from '../helpers/promote-world.js';
import { commitFiles } from '../helpers/repo.js';

// Promote when the answer to `POST /pipeline-promotions` is lost, and when a run is killed right
// after it: Heroku processed the promotion, production receives the (broken) release a moment
// later, and the run — or the next one — must still health check it and roll back to the release
// that ran before it, promoting exactly once. Each scenario starts from the same world: production
// runs a healthy slug, staging a newer one that fails its health check where STAGE=production.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const world = usePromoteWorld({
  prefix: 'daff-promote-rerun-',
  files: { 'app.yaml': SHOP_PIPELINE_YAML },
  sandbox: { seed: 21, heroku: { buildMs: 100, promotionMs: 300 } },
});
const { current } = world;

/** Promotions that took effect: answered, or processed and then cut off. */
const promotions = (log: readonly RequestLogEntry[]) =>
  log.filter((e) => e.method === 'POST' && e.path === '/pipeline-promotions' && (e.status === 201 || e.fault === 'reset_after'));

/**
 * A fresh world: staging deployed and promoted (healthy) to production, then a second commit that
 * breaks in production deployed to staging. Returns the repository and production's healthy release.
 */
async function brokenOnStaging(): Promise<{ dir: string; good: Json }> {
  await world.sandbox.reset();
  world.sandbox.setFaults({});
  const repo = world.newRepo();
  const run = (args: string[]) => world.run(args, { cwd: repo.dir });
  expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
  expect((await run(['promote', '--apply', '--yes'])).code).toBe(0);
  const good = await current('shop-production');
  commitFiles(repo.dir, { 'server.js': BREAKS_IN_PRODUCTION }, 'v2: breaks in production');
  expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
  return { dir: repo.dir, good };
}

const promote = (dir: string) => world.run(['promote', '--yes'], { cwd: dir });

/** Waits until production's current release runs `slug` (a promotion settling). */
async function productionRuns(slug: string | null): Promise<void> {
  for (let i = 0; i < 100 && slugOf(await current('shop-production')) !== slug; i++) await new Promise((r) => setTimeout(r, 50));
}

describe('promote after a lost answer', () => {
  it('finds the release the promotion produced, health checks it and rolls back to the healthy release, promoting once', async () => {
    // Where in a clean promote of this world the POST comes (the same world makes the same requests).
    const measured = await brokenOnStaging();
    world.sandbox.setFaults({});
    world.sandbox.resetLog();
    expect((await promote(measured.dir)).code).toBe(1);
    const post = promotions(world.sandbox.requestLog())[0];
    expect(post).toBeDefined();

    const { dir, good } = await brokenOnStaging();
    const staging = await current('shop-staging');
    world.sandbox.setFaults({ failRequests: [{ request: post?.seq ?? 0, kind: 'reset_after' }] });
    world.sandbox.resetLog();
    const result = await promote(dir);
    const log = world.sandbox.requestLog();
    world.sandbox.setFaults({});
    expect(log.find((e) => e.seq === post?.seq)).toMatchObject({ method: 'POST', path: '/pipeline-promotions', fault: 'reset_after' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/promotion answer lost \(Could not reach the Heroku API[^)]*\); Heroku may have processed it/);
    expect(result.stderr).toMatch(/promotion answer lost; found it: release v\d+ of shop-production runs slug/);
    expect(result.stderr).toMatch(/shop-production v\d+ failed its health check .*HTTP 500/);
    expect(result.stderr).toMatch(new RegExp(`rolled back to v${good['version']} \\(new release v\\d+, verified\\)`));
    expect(promotions(log)).toHaveLength(1);
    // Nothing arrives later: production runs the healthy slug, and the broken one only briefly.
    await new Promise((r) => setTimeout(r, 500));
    const after = await current('shop-production');
    expect(slugOf(after)).toBe(slugOf(good));
    expect(slugOf(after)).not.toBe(slugOf(staging));
  }, 90_000);
});

describe('promote again after a run was killed right after its POST', () => {
  function killAfterPost(child: ChildProcess): Promise<boolean> {
    return new Promise((done) => {
      child.once('exit', () => done(child.signalCode === 'SIGKILL'));
      const watch = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (promotions(world.sandbox.requestLog()).length > 0) child.kill('SIGKILL');
        else setTimeout(watch, 1);
      };
      watch();
    });
  }

  it('does not promote again: health checks the release, and rolls back to the one before the promoted slug', async () => {
    const { dir, good } = await brokenOnStaging();
    const staging = await current('shop-staging');
    world.sandbox.resetLog();
    const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'promote', '--yes', '--sandbox', world.sandbox.url], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir },
      stdio: 'ignore',
    });
    expect(await killAfterPost(child)).toBe(true);
    // Heroku carries the promotion out anyway: production runs the broken slug, unchecked.
    await productionRuns(slugOf(staging));
    const promotedRelease = await current('shop-production');
    expect(slugOf(promotedRelease)).toBe(slugOf(staging));

    world.sandbox.resetLog();
    const again = await promote(dir);
    expect(again.code, again.stderr).toBe(1);
    expect(promotions(world.sandbox.requestLog())).toEqual([]);
    expect(again.stderr).toMatch(new RegExp(`rollback point recorded — v${good['version']} \\(slug [0-9a-f]{8}\\) of shop-production — v${promotedRelease['version']} already runs the promoted slug`));
    expect(again.stderr).toContain(`shop-production: v${promotedRelease['version']} already runs slug`);
    expect(again.stderr).toMatch(new RegExp(`v${promotedRelease['version']} \\(promoted by an earlier run; not promoted again\\) UNHEALTHY; rolled back to v${good['version']}`));
    const after = await current('shop-production');
    expect(after['description']).toBe(`Rollback to v${good['version']}`);
    expect(slugOf(after)).toBe(slugOf(good));
  }, 90_000);

  it('after a completed healthy promotion, promoting again only re-checks health', async () => {
    await world.sandbox.reset();
    const repo = world.newRepo();
    const run = (args: string[]) => world.run(args, { cwd: repo.dir });
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    expect((await run(['promote', '--apply', '--yes'])).code).toBe(0);
    const released = await current('shop-production');
    world.sandbox.resetLog();
    const again = await run(['promote', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(promotions(world.sandbox.requestLog())).toEqual([]);
    expect(world.sandbox.requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
    expect(again.stdout).toMatch(new RegExp(`v${released['version']} released \\(promoted by an earlier run; not promoted again\\); health healthy`));
    expect((await current('shop-production'))['id']).toBe(released['id']);
  }, 60_000);
});
