import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Json, ManualClock, NODE_APP, startBuild, tarball, upload } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox, withSandbox } from '../../helpers/sandbox.js';

describe('Heroku admin controls', () => {
  const sandbox = useSandbox({
    seed: 91,
    heroku: { addonProvisionMs: 3_600_000, buildMs: 3_600_000, domainMs: 3_600_000 },
  });

  it('settle applies every pending piece of timed work now', async () => {
    await createApp(sandbox(), 'slow-app');
    const db = await heroku<Json>(sandbox(), 'POST', '/apps/slow-app/addons', { body: { plan: 'heroku-redis:mini' } });
    const build = await startBuild(sandbox(), 'slow-app', NODE_APP);
    await heroku(sandbox(), 'POST', '/apps/slow-app/domains', {
      body: { hostname: 'slow.example.com', sni_endpoint: null },
    });
    expect((await admin(sandbox(), 'POST', '/heroku/settle')).body).toEqual({ settled: true });
    expect((await heroku<Json>(sandbox(), 'GET', `/addons/${db.body['id'] as string}`)).body['state']).toBe(
      'provisioned',
    );
    expect(
      (await heroku<Json>(sandbox(), 'GET', `/apps/slow-app/builds/${build['id'] as string}`)).body['status'],
    ).toBe('succeeded');
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/slow-app/domains/slow.example.com')).body['status']).toBe(
      'succeeded',
    );
    const output = await (await fetch(build['output_stream_url'] as string)).text();
    expect(output).toContain('Released v');
    expect((await admin(sandbox(), 'POST', '/heroku/settle')).body).toEqual({ settled: false });
  });

  it('validates its inputs', async () => {
    await createApp(sandbox(), 'admin-app');
    await createApp(sandbox(), 'admin-other');
    const addon = await heroku<Json>(sandbox(), 'POST', '/apps/admin-app/addons', {
      body: { plan: 'heroku-redis:mini' },
    });
    expect(
      (await admin(sandbox(), 'POST', `/apps/admin-other/addons/${addon.body['name'] as string}/provision`)).status,
    ).toBe(404);
    for (const body of [{}, { kind: 'deploy' }, { kind: 'build', message: 3 }]) {
      expect((await admin(sandbox(), 'POST', '/apps/admin-app/fail-next', body)).status, JSON.stringify(body)).toBe(
        422,
      );
    }
    expect((await admin(sandbox(), 'POST', '/apps/ghost/fail-next', { kind: 'build' })).status).toBe(404);
    const webHost = `admin-app-${sandbox().state().heroku.apps[0]?.webSuffix ?? ''}.herokuapp.com`;
    expect((await admin(sandbox(), 'PATCH', `/apps/admin-app/domains/${webHost}`, { status: 'failed' })).status).toBe(
      422,
    );
    await heroku(sandbox(), 'POST', '/apps/admin-app/domains', {
      body: { hostname: 'a.example.com', sni_endpoint: null },
    });
    for (const body of [{ status: '' }, { acm_status: 5 }, { acm_status_reason: false }]) {
      expect(
        (await admin(sandbox(), 'PATCH', '/apps/admin-app/domains/a.example.com', body)).status,
        JSON.stringify(body),
      ).toBe(422);
    }
    const set = await admin<Json>(sandbox(), 'PATCH', '/apps/admin-app/domains/a.example.com', {
      status: 'succeeded',
      acm_status: null,
    });
    expect(set.body).toMatchObject({ status: 'succeeded', acm_status: null });
  });
});

describe('Heroku deploy state persistence', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'daffeinated-deploy-'));
    file = join(dir, 'sandbox.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps uploads next to the state file and serves them after a restart', async () => {
    const data = tarball(NODE_APP);
    const url = await withSandbox(async (sandbox) => upload(sandbox, data), { stateFile: file });
    expect(await readdir(dir)).toEqual(['sandbox-blobs', 'sandbox.json']);
    await withSandbox(
      async (sandbox) => {
        const path = new URL(url).pathname;
        expect(Buffer.from(await (await fetch(`${sandbox.url}${path}`)).arrayBuffer())).toEqual(data);
        await createApp(sandbox, 'later');
        const build = await heroku<Json>(sandbox, 'POST', '/apps/later/builds', {
          body: { source_blob: { url: `${sandbox.url}${path}` } },
        });
        expect(build.status).toBe(201);
        await admin(sandbox, 'POST', '/heroku/settle');
        expect(
          (await heroku<Json>(sandbox, 'GET', `/apps/later/builds/${build.body['id'] as string}`)).body['status'],
        ).toBe('succeeded');
        await sandbox.reset();
      },
      { stateFile: file, heroku: { buildMs: 0 } },
    );
    expect(await readdir(dir)).toEqual(['sandbox.json']);
  });

  it('persists timed work applied during a GET', async () => {
    const clock = new ManualClock();
    await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'timed');
        await heroku(sandbox, 'POST', '/apps/timed/addons', { body: { plan: 'heroku-postgresql:essential-0' } });
        clock.advance(100);
        await heroku(sandbox, 'GET', '/apps/timed/addons');
        const stored = JSON.parse(await readFile(file, 'utf8')) as {
          heroku: { apps: { addons: { state: string }[] }[] };
        };
        expect(stored.heroku.apps[0]?.addons[0]?.state).toBe('provisioned');
      },
      { stateFile: file, clock: clock.now, heroku: { addonProvisionMs: 100 } },
    );
  });

  it('loads a state saved before the deploy resources existed', async () => {
    await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'old-app');
        await admin(sandbox, 'POST', '/apps/old-app/addons', { plan: 'heroku-postgresql:essential-0' });
      },
      { stateFile: file },
    );
    const state = JSON.parse(await readFile(file, 'utf8')) as {
      heroku: Record<string, unknown> & { apps: Record<string, unknown>[] };
    };
    for (const key of ['pipelines', 'couplings', 'promotions', 'sources']) delete state.heroku[key];
    for (const app of state.heroku.apps) {
      for (const key of ['buildpacks', 'features', 'domains', 'logDrains', 'builds', 'failNext']) delete app[key];
      for (const release of app['releases'] as Record<string, unknown>[]) delete release['phase'];
      for (const addon of app['addons'] as Record<string, unknown>[])
        for (const key of ['attachment', 'config', 'provisionDueMs']) delete addon[key];
    }
    await writeFile(file, JSON.stringify(state));
    await withSandbox(
      async (sandbox) => {
        expect(
          (await heroku<Json[]>(sandbox, 'GET', '/apps/old-app/addon-attachments')).body.map((a) => a['name']),
        ).toEqual(['DATABASE']);
        expect((await heroku(sandbox, 'GET', '/apps/old-app/domains')).status).toBe(200);
        expect((await heroku(sandbox, 'GET', '/pipelines')).body).toEqual([]);
      },
      { stateFile: file },
    );
  });
});
