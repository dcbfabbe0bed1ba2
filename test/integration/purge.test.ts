import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BREAKS_IN_PRODUCTION } from '../helpers/apps.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { usePromoteWorld } from '../helpers/promote-world.js';
import { commitFiles } from '../helpers/repo.js';
import { admin, heroku } from '../helpers/sandbox.js';

// Cache purge on release, end to end: deploy and promote against a sandbox that runs the app, its
// health checks answered by the app's own process on the custom domains, and every purge asserted
// in the sandbox's record of them (`/__sandbox/purges`) and its request log. The tests run in
// order and share one world.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUTPUT_SCHEMA = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as object;
const APP_YAML = `version: 1
name: shop
pipeline: shop-pipe
defaults:
  formation:
    web: { quantity: 1, size: basic }
  healthcheck: { path: /health, timeout: 2 }
environments:
  staging:
    app: shop-staging
    stage: staging
    config: { STAGE: staging }
    domains: [staging.shop.example]
    purge: { hosts: [staging.shop.example] }
  production:
    app: shop-production
    stage: production
    config: { STAGE: production }
    domains: [www.shop.example]
    purge: { hosts: [www.shop.example, shop.example], prefixes: [static.shop.example/assets] }
cloudflare:
  zones:
    shop.example: { owner: production }
`;

type Purge = { zone: string; kind: string; items: string[] };

const world = usePromoteWorld({
  prefix: 'daff-purge-',
  files: { 'app.yaml': APP_YAML },
  sandbox: { zones: ['shop.example'] },
});
const { run } = world;
const purges = async () => (await admin<{ purges: Purge[] }>(world.sandbox, 'GET', '/purges')).body.purges.map(({ zone, kind, items }) => ({ zone, kind, items }));
const purgeRequests = () => world.sandbox.requestLog().filter((e) => e.method === 'POST' && e.path.endsWith('/purge_cache'));

describe('purge on release', () => {
  it('deploy of a healthy release purges exactly the declared hosts, once, and says so', async () => {
    world.sandbox.resetLog();
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('health:    healthy (HTTP 200 at https://staging.shop.example/health)');
    expect(result.stdout).toContain('purge:     shop.example hosts staging.shop.example (1 request)');
    expect(await purges()).toEqual([{ zone: 'shop.example', kind: 'hosts', items: ['staging.shop.example'] }]);
    expect(purgeRequests().map((e) => e.status)).toEqual([200]);
    // The purge comes after the health check's answer, never before.
    const log = world.sandbox.requestLog();
    expect(log.findIndex((e) => e.path.endsWith('/purge_cache'))).toBeGreaterThan(log.findLastIndex((e) => e.path.includes('/dynos')));
  });

  it('a release that fails its health check purges nothing, and the summary says why', async () => {
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { BREAK_HEALTH: '1' } });
    commitFiles(world.repo.dir, { 'NOTES.md': 'a commit to ship\n' }, 'a commit to ship');
    world.sandbox.resetLog();
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed its health check');
    expect(result.stderr).toContain('purge:     not purged: the release failed its health check');
    expect(purgeRequests()).toEqual([]);
    expect(await purges()).toHaveLength(1);
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { BREAK_HEALTH: null } });
  });

  it('a purge that keeps failing fails the deploy with what to do; deploying again reuses the build and purges', async () => {
    const zone = world.sandbox.state().cloudflare.zones.find((z) => z.name === 'shop.example')?.id ?? '';
    const path = `/client/v4/zones/${zone}/purge_cache`;
    world.sandbox.setFaults({ failRequests: Array.from({ length: 6 }, (_, i) => ({ request: i + 1, kind: 'server_error' as const, path })) });
    const failed = await run(['deploy', 'staging', '--yes', '--format', 'json'], { env: { DAFFEINATED_RETRY_BASE_MS: '1' } });
    expect(failed.code).toBe(1);
    // The document says the release is live and healthy, and where the run failed.
    const document = JSON.parse(failed.stdout) as Record<string, unknown>;
    expect(schemaErrors(OUTPUT_SCHEMA, document)).toEqual([]);
    expect(document).toMatchObject({
      outcome: 'purge-failed',
      exitCode: 1,
      health: { kind: 'checked', ok: true },
      purge: { status: 'failed', zone: 'shop.example', zones: [] },
      error: { where: 'purge', message: expect.stringContaining("purging Cloudflare's cache of shop.example failed") },
    });
    expect(failed.stderr).toContain("is live, but purging Cloudflare's cache of shop.example failed");
    expect(failed.stderr).toContain('Purging again is harmless: run `daffeinated deploy staging` again (it reuses this build)');
    expect(failed.stderr).toMatch(/purge: {5}FAILED in shop\.example/);
    world.sandbox.setFaults({});
    const before = (await purges()).length;
    const again = await run(['deploy', 'staging', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('succeeded earlier and was reused');
    expect(again.stdout).toContain('purge:     shop.example hosts staging.shop.example (1 request)');
    expect(await purges()).toHaveLength(before + 1);
    const documented = JSON.parse((await run(['deploy', 'staging', '--yes', '--format', 'json'])).stdout) as Record<string, unknown>;
    expect(documented['purge']).toEqual({
      status: 'purged',
      zones: [{ zone: 'shop.example', plan: expect.any(String), requests: 1, hosts: ['staging.shop.example'], prefixes: [] }],
    });
  });

  it("promote purges production's hosts and prefixes once its release is healthy, in as few requests as the plan allows", async () => {
    const before = (await purges()).length;
    world.sandbox.resetLog();
    const result = await run(['promote', '--apply', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /production \(shop-production\): v\d+ released; health healthy \(HTTP 200 at https:\/\/www\.shop\.example\/health\); purge shop\.example hosts www\.shop\.example, shop\.example; prefixes static\.shop\.example\/assets \(2 requests\)/,
    );
    expect((await purges()).slice(before)).toEqual([
      { zone: 'shop.example', kind: 'hosts', items: ['www.shop.example', 'shop.example'] },
      { zone: 'shop.example', kind: 'prefixes', items: ['static.shop.example/assets'] },
    ]);
    expect(purgeRequests()).toHaveLength(2);
  });

  it('a promoted release that fails its health check is rolled back and purges nothing', async () => {
    commitFiles(world.repo.dir, { 'server.js': BREAKS_IN_PRODUCTION }, 'breaks in production');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const before = await purges();
    expect(before.at(-1)).toEqual({ zone: 'shop.example', kind: 'hosts', items: ['staging.shop.example'] });
    const dryRun = await run(['promote', '--dry-run']);
    expect(dryRun.stdout).toContain(
      "then, if production is healthy, purge Cloudflare's cache of shop.example: hosts www.shop.example, shop.example; prefixes static.shop.example/assets",
    );
    world.sandbox.resetLog();
    const result = await run(['promote', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rolled back to v\d+ as v\d+ \(verified: current runs slug [0-9a-f-]{36}\); Cloudflare's cache not purged/);
    expect(purgeRequests()).toEqual([]);
    expect(await purges()).toEqual(before);
  });
});
