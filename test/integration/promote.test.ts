import { describe, expect, it } from 'vitest';
import { BREAKS_IN_PRODUCTION } from '../helpers/apps.js';
import { slugOf, usePromoteWorld } from '../helpers/promote-world.js';
import { commitFiles } from '../helpers/repo.js';
import { admin, heroku } from '../helpers/sandbox.js';

// deploy → promote end to end, through the sandbox's pipeline promotions, with the apps' own
// processes answering the health checks. The tests run in order and share one world.
const APP_YAML = `version: 1
name: shop
pipeline: shop-pipe
defaults:
  formation:
    web: { quantity: 1, size: basic }
  config:
    GREETING: hello
  healthcheck: { path: /health, timeout: 2 }
environments:
  staging:
    app: shop-staging
    stage: staging
    config: { STAGE: staging }
  production:
    app: shop-production
    stage: production
    config: { STAGE: production }
    formation:
      web: { quantity: 2, size: standard-1x }
`;

const world = usePromoteWorld({ prefix: 'daff-promote-', files: { 'app.yaml': APP_YAML } });
const { run, current } = world;
const writes = () => world.sandbox.requestLog().filter((e) => e.method !== 'GET');

describe('promote', () => {
  it('--dry-run before anything exists: every failing check at once, no write', async () => {
    world.sandbox.resetLog();
    const result = await run(['promote', '--dry-run']);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('✗ staging: current release of staging succeeded — shop-staging has no deployed code');
    expect(result.stdout).toContain('✗ production: infrastructure matches app.yaml');
    expect(result.stdout).toContain('Dry run: the promotion would be refused.');
    expect(writes()).toEqual([]);
  });

  it('deploys staging, then promotes its slug to production with --apply: released, formation applied, healthy', async () => {
    const deployed = await run(['deploy', 'staging', '--yes']);
    expect(deployed.code).toBe(0);
    const staging = await current('shop-staging');
    const result = await run(['promote', '--apply', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('✓ production: config vars of staging are set');
    expect(result.stderr).toMatch(/rollback point recorded — v\d+ \(no code yet\) of shop-production/);
    expect(result.stderr).toContain('Applying 1 formation change(s) that waited for the release: heroku.formation[production/web]');
    expect(result.stdout).toMatch(/production \(shop-production\): v\d+ released; health healthy \(HTTP 200 at https:\/\/shop-production-[0-9a-f]+\.herokuapp\.com\/health\)/);
    const production = await current('shop-production');
    expect(slugOf(production)).toBe(slugOf(staging));
    expect(production['description']).toMatch(/^Promote shop-staging v\d+ [0-9a-f]{8}$/);
    expect((await run(['plan', 'production', '--detailed-exitcode'])).code).toBe(0);
  });

  it('--dry-run shows the checks and what would be promoted, and changes nothing', async () => {
    const before = world.sandbox.state();
    world.sandbox.resetLog();
    const result = await run(['promote', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Would promote staging \(shop-staging\) v\d+: slug [0-9a-f-]{36}, commit [0-9a-f]{40}/);
    // Production already runs the promoted slug: the rollback point is the release before it.
    expect(result.stdout).toMatch(
      /to production \(shop-production\), now at v\d+; rollback point v\d+ — v\d+ already runs this slug \(promoted by an earlier run\): health check only, no new promotion/,
    );
    expect(result.stdout).toContain('Dry run: nothing was changed.');
    expect(writes()).toEqual([]);
    expect(world.sandbox.state().heroku.apps.map((a) => a.releases.length)).toEqual(before.heroku.apps.map((a) => a.releases.length));
  });

  it('a config var staging has and production lacks blocks the promotion before anything changes', async () => {
    await admin(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { DASHBOARD_ONLY: 'set by hand' });
    world.sandbox.resetLog();
    const result = await run(['promote', '--yes']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('✗ production: config vars of staging are set — missing on shop-production: DASHBOARD_ONLY');
    expect(result.stderr).toContain('promote.allow_missing_config');
    expect(result.stderr).toContain('Promotion refused: 1 check failed; nothing was changed');
    expect(writes()).toEqual([]);
    commitFiles(world.repo.dir, { 'app.yaml': `${APP_YAML}promote:\n  allow_missing_config: [DASHBOARD_ONLY]\n` }, 'allow the dashboard-only var');
    const allowed = await run(['promote', '--dry-run']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('(allowed to differ: DASHBOARD_ONLY)');
  });

  it('rolls production back when the promoted release fails its health check, and verifies it', async () => {
    const good = await current('shop-production');
    commitFiles(world.repo.dir, { 'server.js': BREAKS_IN_PRODUCTION }, 'v2: breaks in production');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const result = await run(['promote', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/shop-production v\d+ failed its health check \(https:\/\/shop-production-[0-9a-f]+\.herokuapp\.com\/health: HTTP 500/);
    expect(result.stderr).toMatch(new RegExp(`rolled back to v${good['version']} \\(new release v\\d+, verified\\)`));
    expect(result.stderr).toContain('app[web.1]: listening on');
    const after = await current('shop-production');
    expect(after['description']).toBe(`Rollback to v${good['version']}`);
    expect(slugOf(after)).toBe(slugOf(good));
  });

  it('refuses to promote a staging release that fails its health check now, unless --force source-health', async () => {
    // The release now on staging breaks where STAGE=production: set that on staging (a new release, restarted).
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { STAGE: 'production' } });
    const production = await current('shop-production');
    world.sandbox.resetLog();
    const refused = await run(['promote', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /✗ staging: staging answers its health check now — https:\/\/shop-staging-[0-9a-f]+\.herokuapp\.com\/health answered HTTP 500/,
    );
    expect(refused.stderr).toContain('or pass --force source-health to promote it anyway');
    expect(writes()).toEqual([]);
    expect((await current('shop-production'))['id']).toBe(production['id']);
    const unknown = await run(['promote', '--yes', '--force', 'everything']);
    expect(unknown.stderr).toContain('--force names no check that can be forced: everything');
    expect(unknown.stderr).toContain('Checks that --force can override: source-health.');
    const forced = await run(['promote', '--dry-run', '--force', 'source-health']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('promoting anyway (--force source-health)');
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { STAGE: 'staging' } });
  });
});
