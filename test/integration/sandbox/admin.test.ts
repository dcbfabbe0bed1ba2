import { describe, expect, it } from 'vitest';
import { admin, createApp, heroku, useSandbox, withSandbox } from '../../helpers/sandbox.js';

describe('admin routes (/__sandbox/)', () => {
  const sandbox = useSandbox({ seed: 8 });

  it('reports health, the state and the request log, and is not logged itself', async () => {
    await heroku(sandbox(), 'GET', '/apps?extra=1');
    await createApp(sandbox(), 'logged');
    expect((await admin(sandbox(), 'GET', '/health')).body).toEqual({
      ok: true,
      seed: 8,
      requests: 2,
      processes: false,
      databases: { kind: 'metadata', reason: 'the sandbox runs no processes' },
    });
    const log = await admin<{ requests: Record<string, unknown>[] }>(sandbox(), 'GET', '/requests');
    expect(log.body.requests).toHaveLength(2);
    expect(log.body.requests[0]).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/apps?extra=1',
      status: 200,
      api: 'heroku',
    });
    expect(log.body.requests[1]).toMatchObject({ seq: 2, method: 'POST', path: '/apps', status: 201 });
    expect(typeof log.body.requests[0]?.['durationMs']).toBe('number');
    expect(log.body.requests[0]?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    const state = await admin<{ heroku: { apps: { name: string }[] } }>(sandbox(), 'GET', '/state');
    expect(state.body.heroku.apps.map((a) => a.name)).toEqual(['logged']);
    expect((await admin(sandbox(), 'DELETE', '/requests')).status).toBe(204);
    expect(sandbox().requestLog()).toEqual([]);
  });

  it('POST /__sandbox/reset empties the world and restarts the numbering', async () => {
    await createApp(sandbox(), 'gone-soon');
    expect((await admin(sandbox(), 'POST', '/reset')).status).toBe(200);
    expect((await heroku(sandbox(), 'GET', '/apps')).body).toEqual([]);
    expect(
      sandbox()
        .requestLog()
        .map((e) => e.seq),
    ).toEqual([1]);
  });

  it('sets config vars out of band: no release, add-on vars included', async () => {
    await createApp(sandbox(), 'drifting');
    await admin(sandbox(), 'POST', '/apps/drifting/addons', {
      plan: 'heroku-postgresql:essential-0',
      config_vars: { DATABASE_URL: 'postgres://one' },
    });
    const res = await admin(sandbox(), 'PATCH', '/apps/drifting/config-vars', {
      DASHBOARD_EDIT: 'yes',
      DATABASE_URL: 'postgres://rotated',
    });
    expect(res).toMatchObject({ status: 200, body: { DASHBOARD_EDIT: 'yes', DATABASE_URL: 'postgres://rotated' } });
    const releases = await heroku<{ description: string }[]>(sandbox(), 'GET', '/apps/drifting/releases', {
      headers: { Range: 'version ..' },
    });
    expect(releases.body.map((r) => r.description)).toEqual([
      'Initial release',
      'Enable Logplex',
      'Attach DATABASE (@ref:' + (sandbox().state().heroku.apps[0]?.addons[0]?.name ?? '') + ')',
    ]);
    expect((await admin(sandbox(), 'PATCH', '/apps/ghost/config-vars', { A: 'b' })).status).toBe(404);
    expect((await admin(sandbox(), 'PATCH', '/apps/drifting/config-vars', { A: 1 })).status).toBe(422);
  });

  it('validates the process-types and add-on helpers', async () => {
    await createApp(sandbox(), 'helpers');
    for (const body of [
      {},
      { process_types: { web: 1 } },
      { process_types: { 'bad type': 'x' } },
      { process_types: { web: 'x' }, stack: 'cedar' },
    ]) {
      const res = await admin(sandbox(), 'POST', '/apps/helpers/process-types', body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    }
    for (const body of [
      {},
      { plan: 'no-colon' },
      { plan: 'heroku-redis:mini', as: 'lower' },
      { plan: 'heroku-redis:mini', state: 'weird' },
      { plan: 'heroku-redis:mini', price_cents: -1 },
    ]) {
      expect((await admin(sandbox(), 'POST', '/apps/helpers/addons', body)).status, JSON.stringify(body)).toBe(422);
    }
    await admin(sandbox(), 'POST', '/apps/helpers/addons', { plan: 'heroku-redis:mini', name: 'my-cache' });
    expect(
      (await admin(sandbox(), 'POST', '/apps/helpers/addons', { plan: 'heroku-redis:mini', name: 'my-cache' })).status,
    ).toBe(422);
    expect((await heroku<{ name: string }>(sandbox(), 'GET', '/addons/my-cache')).body.name).toBe('my-cache');
    expect((await heroku<{ name: string }>(sandbox(), 'GET', '/apps/helpers/addons/my-cache')).body.name).toBe(
      'my-cache',
    );
    await createApp(sandbox(), 'elsewhere');
    expect((await heroku(sandbox(), 'GET', '/apps/elsewhere/addons/my-cache')).status).toBe(404);
    expect((await heroku(sandbox(), 'GET', '/addons/no-such-addon')).body).toMatchObject({
      id: 'not_found',
      message: "Couldn't find that add-on.",
    });
  });

  it('answers unknown admin routes with 404, wrong methods with 405, bad JSON with 400', async () => {
    expect((await admin(sandbox(), 'GET', '/nothing')).status).toBe(404);
    expect((await admin(sandbox(), 'POST', '/state')).status).toBe(405);
    const res = await fetch(`${sandbox().url}/__sandbox/faults`, { method: 'PUT', body: '{nope' });
    expect(res.status).toBe(400);
  });
});

describe('robustness', () => {
  it('turns an exception inside a handler into a 500 internal_server_error and keeps serving', async () => {
    let broken = false;
    await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'fragile');
        broken = true;
        const res = await heroku<{ id: string }>(sandbox, 'PATCH', '/apps/fragile/config-vars', { body: { A: 'b' } });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ id: 'internal_server_error', message: 'Internal server error.' });
        expect(sandbox.requestLog().at(-1)).toMatchObject({ status: 500, error: 'the clock broke' });
        broken = false;
        expect((await heroku(sandbox, 'GET', '/apps/fragile')).status).toBe(200);
      },
      {
        clock: () => {
          if (broken) throw new Error('the clock broke');
          return new Date();
        },
      },
    );
  });
});
