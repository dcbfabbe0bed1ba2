import { describe, expect, it } from 'vitest';
import { admin, createApp, declareProcessTypes, heroku, useSandbox } from '../../helpers/sandbox.js';

type Formation = {
  id: string;
  type: string;
  quantity: number;
  size: string;
  command: string;
  dyno_size: { id: string; name: string };
};

describe('formation and dyno sizes', () => {
  const sandbox = useSandbox({ seed: 4 });

  it('has no process types before a release declares them: scaling is a 404', async () => {
    await createApp(sandbox(), 'no-slug');
    expect((await heroku(sandbox(), 'GET', '/apps/no-slug/formation')).body).toEqual([]);
    const batch = await heroku(sandbox(), 'PATCH', '/apps/no-slug/formation', {
      body: { updates: [{ type: 'web', quantity: 1 }] },
    });
    expect(batch).toMatchObject({
      status: 404,
      body: { id: 'not_found', message: "Couldn't find that process type (web)." },
    });
    expect((await heroku(sandbox(), 'PATCH', '/apps/no-slug/formation/web', { body: { quantity: 1 } })).status).toBe(
      404,
    );
    expect((await heroku(sandbox(), 'GET', '/apps/no-slug/formation/web')).status).toBe(404);
  });

  it('gets web=1 and other types=0 when a slug declares them; a later slug adds and drops types', async () => {
    await createApp(sandbox(), 'procs');
    const release = await admin<{ version: number; description: string }>(
      sandbox(),
      'POST',
      '/apps/procs/process-types',
      {
        process_types: { web: 'npm start', worker: 'node worker.js' },
        commit: '0123456789abcdef',
      },
    );
    expect(release).toMatchObject({ status: 201, body: { version: 3, description: 'Deploy 01234567' } });
    const list = await heroku<Formation[]>(sandbox(), 'GET', '/apps/procs/formation', {
      headers: { Range: 'type ..' },
    });
    expect(list.body.map((f) => [f.type, f.quantity, f.size, f.command])).toEqual([
      ['web', 1, 'Basic', 'npm start'],
      ['worker', 0, 'Basic', 'node worker.js'],
    ]);
    await declareProcessTypes(sandbox(), 'procs', { web: 'node server.js', clock: 'node clock.js' });
    const after = await heroku<Formation[]>(sandbox(), 'GET', '/apps/procs/formation', {
      headers: { Range: 'type ..' },
    });
    expect(after.body.map((f) => [f.type, f.quantity, f.command])).toEqual([
      ['clock', 0, 'node clock.js'],
      ['web', 1, 'node server.js'],
    ]);
    const app = await heroku<{ buildpack_provided_description: string }>(sandbox(), 'GET', '/apps/procs');
    expect(app.body.buildpack_provided_description).toBe('Node.js');
  });

  it('team apps default to Standard-1X', async () => {
    await heroku(sandbox(), 'POST', '/teams/apps', { body: { name: 'team-procs', team: 'acme' } });
    await declareProcessTypes(sandbox(), 'team-procs', { web: 'npm start' });
    expect((await heroku<Formation>(sandbox(), 'GET', '/apps/team-procs/formation/web')).body.size).toBe('Standard-1X');
  });

  it('batch-updates with string or integer quantity, legacy size and dyno_size by name or id', async () => {
    await createApp(sandbox(), 'scale');
    await declareProcessTypes(sandbox(), 'scale', { web: 'npm start', worker: 'node w.js', clock: 'node c.js' });
    const sizes = await heroku<{ id: string; name: string }[]>(sandbox(), 'GET', '/dyno-sizes', {
      headers: { Range: 'name ..' },
    });
    const perfM = sizes.body.find((s) => s.name === 'Performance-M') as { id: string };
    // Exactly what `heroku ps:scale web=2:standard-1x worker=1` sends.
    const res = await heroku<Formation[]>(sandbox(), 'PATCH', '/apps/scale/formation', {
      body: {
        updates: [
          { quantity: '2', size: 'standard-1x', type: 'web' },
          { quantity: 1, type: 'worker', dyno_size: { name: 'Standard-2X' } },
          { type: 'clock', dyno_size: { id: perfM.id } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.map((f) => [f.type, f.quantity, f.size, f.dyno_size.name])).toEqual([
      ['web', 2, 'Standard-1X', 'Standard-1X'],
      ['worker', 1, 'Standard-2X', 'Standard-2X'],
      ['clock', 0, 'Performance-M', 'Performance-M'],
    ]);
    const relative = await heroku<Formation[]>(sandbox(), 'PATCH', '/apps/scale/formation', {
      body: {
        updates: [
          { type: 'web', quantity: '+3' },
          { type: 'worker', quantity: '-1' },
        ],
      },
    });
    expect(relative.body.map((f) => [f.type, f.quantity])).toEqual([
      ['web', 5],
      ['worker', 0],
    ]);
  });

  it('PATCH /formation/{type} updates one process type, addressed by type or id', async () => {
    await createApp(sandbox(), 'single');
    await declareProcessTypes(sandbox(), 'single', { web: 'npm start' });
    const one = await heroku<Formation>(sandbox(), 'PATCH', '/apps/single/formation/web', {
      body: { quantity: 0, dyno_size: { name: 'eco' } },
    });
    expect(one.body).toMatchObject({ type: 'web', quantity: 0, size: 'Eco' });
    const byId = await heroku<Formation>(sandbox(), 'PATCH', `/apps/single/formation/${one.body.id}`, {
      body: { quantity: 1 },
    });
    expect(byId.body).toMatchObject({ type: 'web', quantity: 1, size: 'Eco' });
    expect((await heroku<Formation>(sandbox(), 'GET', `/apps/single/formation/${one.body.id}`)).body.quantity).toBe(1);
  });

  it('never creates a release', async () => {
    await createApp(sandbox(), 'no-release');
    await declareProcessTypes(sandbox(), 'no-release', { web: 'npm start' });
    await heroku(sandbox(), 'PATCH', '/apps/no-release/formation', {
      body: { updates: [{ type: 'web', quantity: 1, size: 'standard-2x' }] },
    });
    const releases = await heroku<unknown[]>(sandbox(), 'GET', '/apps/no-release/releases');
    expect(releases.body).toHaveLength(3);
  });

  it.each([
    [
      { updates: [{ type: 'web', quantity: 1, size: 'huge' }] },
      422,
      /^No such dyno size as huge\. Sizes: Eco, Basic, Standard-1X/,
    ],
    [
      { updates: [{ type: 'web', quantity: 2, size: 'basic' }] },
      422,
      /^Cannot update to more than 1 Basic size dynos per process type\.$/,
    ],
    [
      { updates: [{ type: 'web', quantity: 101, size: 'standard-1x' }] },
      422,
      /^Cannot update to more than 100 Standard-1X size dynos per process type\.$/,
    ],
    [{ updates: [{ type: 'web', quantity: 1, size: 'private-s' }] }, 422, /can only be used in a Private Space/],
    [
      {
        updates: [
          { type: 'web', quantity: 1, size: 'standard-1x' },
          { type: 'worker', quantity: 1, size: 'basic' },
        ],
      },
      422,
      /^Cannot mix Basic and Standard\/Performance dynos in one app\.$/,
    ],
    [{ updates: [{ type: 'web', quantity: '-5' }] }, 422, /must be 0 or more/],
    [{ updates: [{ type: 'web', quantity: 1.5 }] }, 422, /quantity must be an integer/],
    [{ updates: [{ type: 'web', quantity: 'lots' }] }, 422, /quantity must be an integer/],
    [{ updates: [{ quantity: 1 }] }, 422, /type must be a process type name/],
    [{ updates: 'web=1' }, 422, /updates must be an array/],
    [
      {
        updates: [
          { type: 'web', quantity: 1 },
          { type: 'ghost', quantity: 1 },
        ],
      },
      404,
      /^Couldn't find that process type \(ghost\)\.$/,
    ],
  ])('rejects %j all-or-nothing', async (body, status, message) => {
    await createApp(sandbox(), 'bad-scale');
    await declareProcessTypes(sandbox(), 'bad-scale', { web: 'npm start', worker: 'node w.js' });
    const before = (await heroku(sandbox(), 'GET', '/apps/bad-scale/formation', { headers: { Range: 'type ..' } }))
      .body;
    const res = await heroku<{ id: string; message: string }>(sandbox(), 'PATCH', '/apps/bad-scale/formation', {
      body,
    });
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    expect(
      (await heroku(sandbox(), 'GET', '/apps/bad-scale/formation', { headers: { Range: 'type ..' } })).body,
    ).toEqual(before);
  });

  // Dev Center "Dyno Scaling and Process Limits": an Eco app runs at most two dynos at once.
  it('runs at most two Eco dynos per app, all process types together', async () => {
    await createApp(sandbox(), 'eco-app');
    await declareProcessTypes(sandbox(), 'eco-app', { web: 'npm start', worker: 'node w.js', clock: 'node c.js' });
    const eco = (type: string) => ({ type, quantity: 1, size: 'eco' });
    const two = await heroku(sandbox(), 'PATCH', '/apps/eco-app/formation', {
      body: { updates: [eco('web'), eco('worker')] },
    });
    expect(two.status).toBe(200);
    const three = await heroku<{ id: string; message: string }>(sandbox(), 'PATCH', '/apps/eco-app/formation', {
      body: { updates: [eco('clock')] },
    });
    expect(three).toMatchObject({
      status: 422,
      body: { id: 'invalid_params', message: 'Cannot run more than 2 Eco size dynos.' },
    });
  });

  it('serves the dyno-size catalogue with cost, by id or case-insensitive name', async () => {
    const list = await heroku<{ name: string; cost: { cents: number; unit: string } | null; memory: number }[]>(
      sandbox(),
      'GET',
      '/dyno-sizes',
    );
    expect(list.status).toBe(200);
    const names = list.body.map((s) => s.name);
    for (const name of [
      'Eco',
      'Basic',
      'Standard-1X',
      'Standard-2X',
      'Performance-M',
      'Performance-L',
      'Private-S',
      'Shield-L',
    ])
      expect(names).toContain(name);
    const std = await heroku<{ id: string; name: string; cost: unknown; memory: number; compute: number }>(
      sandbox(),
      'GET',
      '/dyno-sizes/standard-1x',
    );
    expect(std.body).toMatchObject({
      id: '03307558-da97-4417-b1b3-e7f23b565422',
      name: 'Standard-1X',
      cost: { cents: 2500, unit: 'month' },
      memory: 0.5,
    });
    expect((await heroku<{ name: string }>(sandbox(), 'GET', `/dyno-sizes/${std.body.id}`)).body.name).toBe(
      'Standard-1X',
    );
    expect((await heroku(sandbox(), 'GET', '/dyno-sizes/hobby')).body).toMatchObject({
      id: 'not_found',
      message: "Couldn't find that dyno size.",
    });
    await createApp(sandbox(), 'sizes-app');
    const available = await heroku<{ name: string }[]>(sandbox(), 'GET', '/apps/sizes-app/available-dyno-sizes');
    expect(available.body.map((s) => s.name)).not.toContain('Private-S');
  });
});
