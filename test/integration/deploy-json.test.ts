import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BREAKS_IN_PRODUCTION, SERVER_JS } from '../helpers/apps.js';
import type { CliRun } from '../helpers/cli.js';
import type { Json } from '../helpers/heroku.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { SHOP_PIPELINE_YAML, slugOf, usePromoteWorld } from '../helpers/promote-world.js';
import { commitFiles, git } from '../helpers/repo.js';
import { heroku } from '../helpers/sandbox.js';

// `deploy --format json` and `promote --format json` end to end, against a sandbox that runs the
// apps: stdout is one document that the shipped schema accepts, on success and on failure alike,
// and it says what happened. The tests run in order and share one world.
const WITH_RELEASE_PHASE = { Procfile: 'web: node server.js\nrelease: node migrate.js\n', 'migrate.js': 'console.log("migrating")\n' };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as object;

const world = usePromoteWorld({
  prefix: 'daff-json-',
  files: { 'app.yaml': SHOP_PIPELINE_YAML, ...WITH_RELEASE_PHASE },
});
const { run } = world;

interface Health {
  readonly url: string;
  readonly attempts: number;
  readonly answer: string;
  readonly status?: number;
}
interface Logs {
  readonly app: string;
  readonly lines: readonly string[];
}
/** What the assertions below read of a document beyond `toMatchObject` (present or not). */
interface Document {
  readonly [key: string]: unknown;
  readonly error: { readonly message: string; readonly hint: string };
  readonly promotion: { readonly passed: boolean; readonly checks: readonly { readonly ok: boolean; readonly title: string }[] };
  readonly infrastructure: { readonly changes: readonly { readonly address: string }[]; readonly result: { readonly applied: readonly string[] } };
  readonly health: Health;
  readonly url: string;
  readonly rollbackPoint: { readonly version: number };
  readonly logs: Logs;
  readonly targets: readonly { readonly health: Health; readonly release: { readonly version: number }; readonly logs: Logs }[];
  readonly to: { readonly release: { readonly slugId: string } };
}

/** The run's stdout as the one document it must be, checked against the shipped schema. */
function documentOf(result: CliRun): Document {
  const document = JSON.parse(result.stdout) as Document;
  expect(schemaErrors(schema, document)).toEqual([]);
  return document;
}

/**
 * The app's current release once no release is pending: a config change's release runs the release
 * phase first, and only then becomes current (reading earlier would name the release before it).
 */
async function current(app: string): Promise<Json> {
  for (let polls = 0; ; polls++) {
    const list = await world.releases(app);
    if (!list.some((r) => r['status'] === 'pending') || polls === 600) return list.find((r) => r['current'] === true) as Json;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('--format json of deploy and promote', () => {
  it('promote refused by its checks: the checks that failed, where, exit 3', async () => {
    const result = await run(['promote', '--yes', '--format', 'json']);
    expect(result.code).toBe(3);
    const doc = documentOf(result);
    expect(doc).toMatchObject({ kind: 'promote', outcome: 'refused', exitCode: 3, error: { where: 'checks' } });
    const failed = doc.promotion.checks.filter((c) => !c.ok).map((c) => c.title);
    expect(doc.error.message).toBe(`Promotion refused: ${failed.length} checks failed; nothing was changed`);
    expect(doc.promotion.passed).toBe(false);
    expect(failed).toEqual(expect.arrayContaining(['current release of staging succeeded', 'infrastructure matches app.yaml']));
    expect(doc.targets).toBeUndefined();
  });

  it('deploy: the infrastructure applied, the build, the release and its release phase, the formation, a healthy check', async () => {
    const result = await run(['deploy', 'staging', '--yes', '--format', 'json']);
    expect(result.code).toBe(0);
    const doc = documentOf(result);
    const release = await current('shop-staging');
    expect(doc).toMatchObject({
      formatVersion: 2,
      kind: 'deploy',
      environment: 'staging',
      app: 'shop-staging',
      outcome: 'deployed',
      exitCode: 0,
      commit: { sha: world.repo.sha, subject: 'first commit' },
      build: { status: 'succeeded', origin: 'built', slugId: slugOf(release) },
      release: { id: release['id'], version: release['version'], status: 'succeeded', releasePhase: 'succeeded' },
      formation: { deferred: [] },
      health: { kind: 'checked', ok: true, status: 200, answer: 'HTTP 200' },
    });
    expect(doc.infrastructure).toMatchObject({ kind: 'plan', scopes: ['staging'], result: { status: 'applied', failed: [], notAttempted: [] } });
    const changes = doc.infrastructure.changes.map((c) => c.address);
    expect(changes).toContain('heroku.pipeline[shop-pipe]');
    expect([...doc.infrastructure.result.applied].sort()).toEqual([...changes].sort());
    expect(doc.health.url).toMatch(/^https:\/\/shop-staging-[0-9a-f]+\.herokuapp\.com\/health$/);
    expect(doc.health.attempts).toBeGreaterThanOrEqual(1);
    expect(doc.url).toMatch(/^https:\/\/shop-staging-[0-9a-f]+\.herokuapp\.com\/$/);
    expect(doc.rollbackPoint.version).toBeLessThan(release['version'] as number);
    expect(doc.error).toBeUndefined();
    // Progress and the human summary go to stderr only.
    expect(result.stderr).toContain('-----> Discovering process types');
    expect(result.stderr).toContain(`Deployed ${world.repo.sha.slice(0, 7)} (first commit) to staging (shop-staging)`);
  });

  it('promote --apply: production converged, the release promoted with its release phase, healthy', async () => {
    const staging = await current('shop-staging');
    const result = await run(['promote', '--apply', '--yes', '--format', 'json']);
    expect(result.code).toBe(0);
    const doc = documentOf(result);
    const production = await current('shop-production');
    expect(doc).toMatchObject({ kind: 'promote', outcome: 'promoted', exitCode: 0 });
    expect(doc.infrastructure).toMatchObject({ kind: 'plan', scopes: ['production'], result: { status: 'applied', failed: [] } });
    expect(doc.promotion).toMatchObject({
      kind: 'promotion',
      pipeline: 'shop-pipe',
      source: { environment: 'staging', app: 'shop-staging', release: { id: staging['id'], version: staging['version'] }, commit: world.repo.sha },
      passed: true,
    });
    expect(doc.targets).toEqual([
      {
        environment: 'production',
        app: 'shop-production',
        outcome: 'released',
        origin: 'answered',
        rollbackPoint: { id: expect.any(String), version: expect.any(Number) },
        release: expect.objectContaining({ id: production['id'], version: production['version'], slugId: slugOf(staging), status: 'succeeded', releasePhase: 'succeeded' }),
        health: expect.objectContaining({ kind: 'checked', ok: true, status: 200 }),
        purge: { status: 'not-declared' },
      },
    ]);
    expect(result.stderr).toContain('production (shop-production): v');
  });

  it('deploy with a failing health check: unhealthy, exit 1, the answer, the logs and the release to roll back to', async () => {
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { BREAK_HEALTH: '1' } });
    // The config change made a release of the code running now: the one to roll back to.
    const before = await current('shop-staging');
    const sha = commitFiles(world.repo.dir, { 'NOTES.md': 'a commit to ship\n' }, 'a commit to ship');
    const result = await run(['deploy', 'staging', '--yes', '--format', 'json']);
    expect(result.code).toBe(1);
    const doc = documentOf(result);
    const release = await current('shop-staging');
    expect(doc).toMatchObject({
      kind: 'deploy',
      outcome: 'unhealthy',
      exitCode: 1,
      commit: { sha },
      release: { id: release['id'], status: 'succeeded' },
      rollbackPoint: { id: before['id'], version: before['version'] },
      health: { kind: 'checked', ok: false },
      error: { where: 'health' },
    });
    expect(doc.health.answer).toMatch(/^HTTP 500/);
    expect(doc.health.status).toBeUndefined();
    expect(doc.error.message).toContain(`Release v${release['version']} of shop-staging is live but failed its health check`);
    expect(doc.error.hint).toContain(`heroku rollback v${before['version']} -a shop-staging`);
    expect(doc.logs.app).toBe('shop-staging');
    expect(doc.logs.lines.join('\n')).toMatch(/app\[web\.1\]: listening on/);
    await heroku(world.sandbox, 'PATCH', '/apps/shop-staging/config-vars', { body: { BREAK_HEALTH: null } });
  });

  it('promote of a release that fails its health check: rolled back, verified, exit 1', async () => {
    const good = await current('shop-production');
    commitFiles(world.repo.dir, { 'server.js': BREAKS_IN_PRODUCTION }, 'v2: breaks in production');
    expect((await run(['deploy', 'staging', '--yes'])).code).toBe(0);
    const result = await run(['promote', '--yes', '--format', 'json']);
    expect(result.code).toBe(1);
    const doc = documentOf(result);
    const after = await current('shop-production');
    expect(doc).toMatchObject({ kind: 'promote', outcome: 'failed', exitCode: 1, error: { where: 'promotion' } });
    expect(doc.infrastructure).toBeUndefined();
    expect(doc.error.message).toMatch(/^Promotion failed: shop-production v\d+ failed its health check/);
    expect(doc.targets).toHaveLength(1);
    const target = doc.targets[0] as Document['targets'][number];
    expect(target).toMatchObject({
      environment: 'production',
      outcome: 'rolled-back',
      rollbackPoint: { id: good['id'], version: good['version'] },
      health: { kind: 'checked', ok: false },
      rollback: { verified: true, release: { id: after['id'], version: after['version'], slugId: slugOf(good), status: 'succeeded' } },
    });
    expect(target.health.answer).toMatch(/^HTTP 500/);
    expect(target.release.version).toBeLessThan(after['version'] as number);
    expect(target.logs.lines.join('\n')).toMatch(/listening on/);
  });

  it('rollback: the releases from and to with their commits, the new release verified and healthy; a bad --to fails at the checks', async () => {
    const from = await current('shop-staging');
    const result = await run(['rollback', 'staging', '--yes', '--format', 'json']);
    expect(result.code).toBe(0);
    const doc = documentOf(result);
    const after = await current('shop-staging');
    expect(doc).toMatchObject({
      kind: 'rollback',
      environment: 'staging',
      app: 'shop-staging',
      outcome: 'rolled-back',
      exitCode: 0,
      from: { release: { id: from['id'], version: from['version'] }, commit: git(world.repo.dir, 'rev-parse', 'HEAD') },
      to: { commit: git(world.repo.dir, 'rev-parse', 'HEAD~1') },
      configVars: { removed: [], restored: [] },
      release: { id: after['id'], version: after['version'], slugId: slugOf(after), status: 'succeeded' },
      health: { kind: 'checked', ok: true, status: 200 },
    });
    expect(doc.to.release.slugId).toBe(slugOf(after));
    const missing = await run(['rollback', 'staging', '--to', 'v999', '--yes', '--format', 'json']);
    expect(missing.code).toBe(1);
    const failed = documentOf(missing);
    expect(failed).toMatchObject({ kind: 'rollback', outcome: 'failed', exitCode: 1, error: { where: 'checks' } });
    expect(failed.error.message).toContain('v999');
    expect(failed).not.toHaveProperty('from');
  });

  it('deploy refused before anything: exit 3 and a document saying where, without a commit', async () => {
    writeFileSync(join(world.repo.dir, 'server.js'), `${SERVER_JS}// not committed\n`);
    world.sandbox.resetLog();
    const result = await run(['deploy', 'staging', '--yes', '--format', 'json']);
    expect(result.code).toBe(3);
    const doc = documentOf(result);
    expect(doc).toMatchObject({ kind: 'deploy', environment: 'staging', app: 'shop-staging', outcome: 'refused', exitCode: 3, error: { where: 'code' } });
    expect(doc.error.message).toContain('Refusing to deploy: 1 tracked file has uncommitted changes');
    expect(doc.error.hint).toContain('--allow-dirty');
    expect(Object.keys(doc).sort()).toEqual(['app', 'environment', 'error', 'exitCode', 'formatVersion', 'kind', 'outcome']);
    expect(world.sandbox.requestLog()).toEqual([]);
    commitFiles(world.repo.dir, {}, 'commit the edit');
  });
});
