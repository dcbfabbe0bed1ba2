import { describe, expect, it } from 'vitest';
import { admin, createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

type Release = { version: number; description: string; current: boolean };

async function releases(sandbox: Parameters<typeof heroku>[0], app: string): Promise<Release[]> {
  return (await heroku<Release[]>(sandbox, 'GET', `/apps/${app}/releases`, { headers: { Range: 'version ..' } })).body;
}

describe('config vars', () => {
  const sandbox = useSandbox({ seed: 2 });

  it('PATCH merges, null removes, and the answer is the whole map', async () => {
    await createApp(sandbox(), 'cfg-app');
    expect((await heroku(sandbox(), 'GET', '/apps/cfg-app/config-vars')).body).toEqual({});
    const first = await heroku(sandbox(), 'PATCH', '/apps/cfg-app/config-vars', { body: { FOO: 'one', BAR: 'two' } });
    expect(first).toMatchObject({ status: 200, body: { FOO: 'one', BAR: 'two' } });
    const second = await heroku(sandbox(), 'PATCH', '/apps/cfg-app/config-vars', { body: { FOO: null, BAZ: '' } });
    expect(second.body).toEqual({ BAR: 'two', BAZ: '' });
    expect((await heroku(sandbox(), 'GET', '/apps/cfg-app/config-vars')).body).toEqual({ BAR: 'two', BAZ: '' });
  });

  it('cuts a release per change, described like Heroku, and none for a no-op PATCH', async () => {
    await createApp(sandbox(), 'rel-app');
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: { FOO: 'x', BAR: 'y' } });
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: { FOO: null } });
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: { BAR: 'z', GONE: null, NEW: 'n' } });
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: { BAR: 'w', NEW: null } });
    // Unchanged values, and removing a key that does not exist: no release.
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: { BAR: 'w', MISSING: null } });
    await heroku(sandbox(), 'PATCH', '/apps/rel-app/config-vars', { body: {} });
    expect((await releases(sandbox(), 'rel-app')).map((r) => `v${r.version} ${r.description}`)).toEqual([
      'v1 Initial release',
      'v2 Enable Logplex',
      'v3 Set FOO, BAR config vars',
      'v4 Remove FOO config vars',
      'v5 Set BAR, NEW config vars',
      'v6 Set BAR and remove NEW config vars',
    ]);
  });

  it('keeps a snapshot per release at /releases/{version}/config-vars', async () => {
    await createApp(sandbox(), 'snap-app');
    await heroku(sandbox(), 'PATCH', '/apps/snap-app/config-vars', { body: { A: '1' } });
    await heroku(sandbox(), 'PATCH', '/apps/snap-app/config-vars', { body: { A: '2', B: '3' } });
    expect((await heroku(sandbox(), 'GET', '/apps/snap-app/releases/2/config-vars')).body).toEqual({});
    expect((await heroku(sandbox(), 'GET', '/apps/snap-app/releases/3/config-vars')).body).toEqual({ A: '1' });
    expect((await heroku(sandbox(), 'GET', '/apps/snap-app/releases/4/config-vars')).body).toEqual({ A: '2', B: '3' });
    expect((await heroku(sandbox(), 'GET', '/apps/snap-app/releases/99/config-vars')).status).toBe(404);
  });

  it.each([
    [{ 'BAD-KEY': 'x' }, 'Invalid config var names'],
    [{ 'WITH SPACE': 'x' }, 'Invalid config var names'],
    [{ NUMBER: 42 }, 'Config var values must be strings or null: NUMBER.'],
    [{ BOOL: true }, 'Config var values must be strings or null: BOOL.'],
    [{ OBJ: { nested: 'x' } }, 'Config var values must be strings or null: OBJ.'],
    [['FOO'], 'Config vars must be a JSON object.'],
  ])('rejects %j with 422 invalid_params and changes nothing', async (body, message) => {
    await createApp(sandbox(), 'strict-app');
    await heroku(sandbox(), 'PATCH', '/apps/strict-app/config-vars', { body: { KEEP: 'me' } });
    const res = await heroku<{ id: string; message: string }>(sandbox(), 'PATCH', '/apps/strict-app/config-vars', {
      body: { OK: 'fine', ...(Array.isArray(body) ? {} : body) },
      ...(Array.isArray(body) ? { raw: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBe(422);
    expect(res.body.id).toBe('invalid_params');
    expect(res.body.message).toContain(message);
    expect((await heroku(sandbox(), 'GET', '/apps/strict-app/config-vars')).body).toEqual({ KEEP: 'me' });
    expect(await releases(sandbox(), 'strict-app')).toHaveLength(3);
  });

  describe('add-on owned vars', () => {
    it('GET /apps/{app}/addons lists nothing on a new app', async () => {
      await createApp(sandbox(), 'bare-app');
      expect((await heroku(sandbox(), 'GET', '/apps/bare-app/addons')).body).toEqual([]);
    });

    it('lists add-ons with their config_vars and refuses to overwrite or remove those vars', async () => {
      await createApp(sandbox(), 'db-app');
      await heroku(sandbox(), 'PATCH', '/apps/db-app/config-vars', { body: { NODE_ENV: 'production' } });
      const attached = await admin<{ name: string; config_vars: string[] }>(sandbox(), 'POST', '/apps/db-app/addons', {
        plan: 'heroku-postgresql:essential-0',
      });
      expect(attached.status).toBe(201);
      expect(attached.body.config_vars).toEqual(['DATABASE_URL']);
      await admin(sandbox(), 'POST', '/apps/db-app/addons', { plan: 'heroku-redis:mini' });

      const addons = await heroku<{ plan: { name: string }; config_vars: string[]; state: string }[]>(
        sandbox(),
        'GET',
        '/apps/db-app/addons',
        {
          headers: { Range: 'name ..' },
        },
      );
      expect(addons.body.map((a) => [a.plan.name, a.config_vars, a.state])).toEqual([
        ['heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioned'],
        ['heroku-redis:mini', ['REDIS_URL'], 'provisioned'],
      ]);
      const vars = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/db-app/config-vars')).body;
      expect(vars['DATABASE_URL']).toMatch(/^postgres:\/\//);
      expect(vars['REDIS_URL']).toMatch(/^rediss:\/\//);

      for (const body of [
        { DATABASE_URL: 'postgres://mine' },
        { DATABASE_URL: null },
        { REDIS_URL: 'x', DATABASE_URL: 'y', OTHER: 'z' },
      ]) {
        const res = await heroku<{ id: string; message: string }>(sandbox(), 'PATCH', '/apps/db-app/config-vars', {
          body,
        });
        expect(res.status).toBe(422);
        expect(res.body.id).toBe('invalid_params');
        expect(res.body.message).toMatch(
          /^Cannot overwrite attachment values (DATABASE_URL|REDIS_URL, DATABASE_URL)\.$/,
        );
      }
      const after = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/db-app/config-vars')).body;
      expect(after).toEqual(vars);
      const described = (await releases(sandbox(), 'db-app')).map((r) => r.description);
      expect(described.slice(3)).toEqual([
        expect.stringMatching(/^Attach DATABASE \(@ref:postgresql-[a-z]+-\d{5}\)$/),
        expect.stringMatching(/^Attach REDIS \(@ref:redis-[a-z]+-\d{5}\)$/),
      ]);
    });

    it('names a second Postgres HEROKU_POSTGRESQL_<COLOR>', async () => {
      await createApp(sandbox(), 'two-db');
      await admin(sandbox(), 'POST', '/apps/two-db/addons', { plan: 'heroku-postgresql:essential-0' });
      const second = await admin<{ config_vars: string[] }>(sandbox(), 'POST', '/apps/two-db/addons', {
        plan: 'heroku-postgresql:standard-0',
      });
      expect(second.body.config_vars).toEqual(['HEROKU_POSTGRESQL_AMBER_URL']);
    });
  });
});
