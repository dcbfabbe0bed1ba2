import { describe, expect, it } from 'vitest';
import { createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

type App = Record<string, unknown> & { id: string; name: string };
type Release = { version: number; description: string; current: boolean; status: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOW = new Date('2026-03-01T12:34:56.789Z');

describe('apps', () => {
  const sandbox = useSandbox({ seed: 1, clock: () => NOW });

  it('POST /apps creates an app with every field, at 201', async () => {
    const res = await heroku<App>(sandbox(), 'POST', '/apps', {
      body: { name: 'shop-staging', region: 'eu', stack: 'heroku-22' },
    });
    expect(res.status).toBe(201);
    const app = res.body;
    expect(app.id).toMatch(UUID);
    expect(app).toMatchObject({
      name: 'shop-staging',
      acm: false,
      archived_at: null,
      maintenance: false,
      created_at: '2026-03-01T12:34:56Z',
      updated_at: '2026-03-01T12:34:56Z',
      released_at: '2026-03-01T12:34:56Z',
      git_url: 'https://git.heroku.com/shop-staging.git',
      region: { name: 'eu' },
      stack: { name: 'heroku-22' },
      build_stack: { name: 'heroku-22' },
      generation: { name: 'cedar' },
      owner: { email: 'developer@example.com' },
      team: null,
      organization: null,
      space: null,
    });
    expect(app['web_url']).toMatch(/^https:\/\/shop-staging-[0-9a-f]{12}\.herokuapp\.com\/$/);
    expect((app['region'] as { id: string }).id).toMatch(UUID);
  });

  it('starts every app with v1 "Initial release" and v2 "Enable Logplex", as Heroku does', async () => {
    await createApp(sandbox(), 'fresh-app');
    const releases = await heroku<Release[]>(sandbox(), 'GET', '/apps/fresh-app/releases', {
      headers: { Range: 'version ..' },
    });
    expect(releases.body.map((r) => [r.version, r.description, r.current, r.status])).toEqual([
      [1, 'Initial release', false, 'succeeded'],
      [2, 'Enable Logplex', true, 'succeeded'],
    ]);
  });

  it('picks a random Heroku-style name when none is given', async () => {
    const a = await heroku<App>(sandbox(), 'POST', '/apps', {});
    const b = await heroku<App>(sandbox(), 'POST', '/apps', { body: {} });
    expect(a.status).toBe(201);
    expect(a.body.name).toMatch(/^[a-z]+-[a-z]+-\d{5}$/);
    expect(b.body.name).not.toBe(a.body.name);
  });

  it('refuses a duplicate name with 422 "Name is already taken"', async () => {
    await createApp(sandbox(), 'taken-name');
    const res = await heroku(sandbox(), 'POST', '/apps', { body: { name: 'taken-name' } });
    expect(res).toMatchObject({ status: 422, body: { id: 'invalid_params', message: 'Name is already taken' } });
  });

  it.each([
    ['Upper-Case', 'Name must start with a letter'],
    ['9starts-with-digit', 'Name must start with a letter'],
    ['ends-with-dash-', 'Name must start with a letter'],
    ['ab', 'Name is too short (minimum is 3 characters)'],
    ['a-name-that-is-much-longer-than-thirty', 'Name is too long (maximum is 30 characters)'],
  ])('refuses the invalid name %s with 422', async (name, message) => {
    const res = await heroku<{ id: string; message: string }>(sandbox(), 'POST', '/apps', { body: { name } });
    expect(res.status).toBe(422);
    expect(res.body.id).toBe('invalid_params');
    expect(res.body.message).toContain(message);
  });

  it('refuses wrong types and unknown regions or stacks', async () => {
    expect((await heroku(sandbox(), 'POST', '/apps', { body: { name: 42 } })).body).toMatchObject({
      id: 'invalid_params',
    });
    expect((await heroku(sandbox(), 'POST', '/apps', { body: ['not', 'an', 'object'] })).status).toBe(422);
    expect((await heroku(sandbox(), 'POST', '/apps', { body: { region: 'mars' } })).body).toEqual({
      id: 'not_found',
      message: "Couldn't find that region.",
      resource: 'region',
    });
    expect((await heroku(sandbox(), 'POST', '/apps', { body: { stack: 'cedar-14' } })).status).toBe(404);
  });

  it('POST /teams/apps creates a team app (team-app shape), creating the team on first use', async () => {
    const res = await heroku<App>(sandbox(), 'POST', '/teams/apps', {
      body: { name: 'team-web', team: 'acme', locked: true },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'team-web',
      locked: true,
      joined: false,
      team: { name: 'acme' },
      owner: { email: 'acme@herokumanager.com' },
    });
    const listed = await heroku<App[]>(sandbox(), 'GET', '/teams/acme/apps');
    expect(listed.body.map((a) => a.name)).toEqual(['team-web']);
    const personal = await heroku<App>(sandbox(), 'POST', '/teams/apps', {
      body: { name: 'solo-web', team: 'acme', personal: true },
    });
    expect(personal.body['team']).toBeNull();
    expect((await heroku(sandbox(), 'GET', '/teams/nobody/apps')).status).toBe(404);
  });

  it('GET /apps, /users/~/apps and GET /apps/{id or name}', async () => {
    const a = await createApp(sandbox(), 'list-a');
    await createApp(sandbox(), 'list-b');
    const all = await heroku<App[]>(sandbox(), 'GET', '/apps', { headers: { Range: 'name ..' } });
    expect(all.status).toBe(200);
    expect(all.body.map((x) => x.name)).toEqual(['list-a', 'list-b']);
    expect((await heroku<App[]>(sandbox(), 'GET', '/users/~/apps')).body).toHaveLength(2);
    expect((await heroku(sandbox(), 'GET', '/users/someone-else@example.com/apps')).status).toBe(404);
    expect((await heroku<App>(sandbox(), 'GET', `/apps/${a['id']}`)).body.name).toBe('list-a');
    expect((await heroku<App>(sandbox(), 'GET', '/apps/list-b')).body.name).toBe('list-b');
  });

  it('answers 404 not_found "Couldn\'t find that app." for unknown apps', async () => {
    for (const [method, path] of [
      ['GET', '/apps/ghost'],
      ['GET', '/apps/01234567-89ab-cdef-0123-456789abcdef'],
      ['PATCH', '/apps/ghost'],
      ['DELETE', '/apps/ghost'],
      ['GET', '/apps/ghost/config-vars'],
      ['GET', '/apps/ghost/formation'],
      ['GET', '/apps/ghost/releases'],
      ['GET', '/apps/ghost/addons'],
    ] as const) {
      const res = await heroku(sandbox(), method, path, method === 'PATCH' ? { body: {} } : {});
      expect(res, `${method} ${path}`).toMatchObject({
        status: 404,
        body: { id: 'not_found', message: "Couldn't find that app.", resource: 'app' },
      });
    }
  });

  it('PATCH /apps/{app} renames, toggles maintenance and sets build_stack', async () => {
    const created = await createApp(sandbox(), 'old-name');
    const res = await heroku<App>(sandbox(), 'PATCH', '/apps/old-name', {
      body: { name: 'new-name', maintenance: true, build_stack: 'heroku-22' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created['id'],
      name: 'new-name',
      maintenance: true,
      build_stack: { name: 'heroku-22' },
      stack: { name: 'heroku-24' },
      git_url: 'https://git.heroku.com/new-name.git',
    });
    expect((await heroku(sandbox(), 'GET', '/apps/old-name')).status).toBe(404);
    expect((await heroku(sandbox(), 'PATCH', '/apps/new-name', { body: { maintenance: 'yes' } })).status).toBe(422);
    expect((await heroku(sandbox(), 'PATCH', '/apps/new-name', { body: { build_stack: 'nope' } })).status).toBe(404);
    await createApp(sandbox(), 'other-app');
    expect((await heroku(sandbox(), 'PATCH', '/apps/new-name', { body: { name: 'other-app' } })).body).toMatchObject({
      message: 'Name is already taken',
    });
  });

  it('DELETE /apps/{app} answers the deleted app and forgets it', async () => {
    await createApp(sandbox(), 'doomed');
    const res = await heroku<App>(sandbox(), 'DELETE', '/apps/doomed');
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('doomed');
    expect((await heroku(sandbox(), 'GET', '/apps/doomed')).status).toBe(404);
    expect((await heroku(sandbox(), 'POST', '/apps', { body: { name: 'doomed' } })).status).toBe(201);
  });
});
