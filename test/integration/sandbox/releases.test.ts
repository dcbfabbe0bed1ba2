import { describe, expect, it } from 'vitest';
import { createApp, declareProcessTypes, heroku, useSandbox } from '../../helpers/sandbox.js';

type Release = {
  id: string;
  version: number;
  description: string;
  current: boolean;
  slug: { id: string } | null;
  artifacts: unknown[];
};

describe('releases', () => {
  const sandbox = useSandbox({ seed: 3 });

  async function appWithReleases(name: string, count: number): Promise<void> {
    await createApp(sandbox(), name);
    for (let i = 0; i < count; i++)
      await heroku(sandbox(), 'PATCH', `/apps/${name}/config-vars`, { body: { N: String(i) } });
  }

  it('lists by version with Range, newest first with order=desc, limited by max', async () => {
    await appWithReleases('rel-list', 5);
    const all = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-list/releases', {
      headers: { Range: 'version ..' },
    });
    expect(all.status).toBe(200);
    expect(all.body.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.headers.get('content-range')).toBe('version 1..7');

    // What `heroku releases` and the provider send for "the latest one".
    const latest = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-list/releases', {
      headers: { Range: 'version ..; order=desc,max=1' },
    });
    expect(latest.status).toBe(206);
    expect(latest.body.map((r) => [r.version, r.current])).toEqual([[7, true]]);
    expect(latest.headers.get('next-range')).toBe('version ]7..; max=1, order=desc');

    const next = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-list/releases', {
      headers: { Range: latest.headers.get('next-range') as string },
    });
    expect(next.body.map((r) => r.version)).toEqual([6]);

    const window = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-list/releases', {
      headers: { Range: 'version 3..5' },
    });
    expect(window.body.map((r) => r.version)).toEqual([3, 4, 5]);
    const exclusive = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-list/releases', {
      headers: { Range: 'version ]5..' },
    });
    expect(exclusive.body.map((r) => r.version)).toEqual([6, 7]);
  });

  it('lists by id (what heroku-client asks for by default)', async () => {
    await appWithReleases('rel-ids', 2);
    const res = await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-ids/releases', {
      headers: { Range: 'id ..; max=1000' },
    });
    const ids = res.body.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(res.headers.get('accept-ranges')).toBe('id, version');
  });

  it('gets one release by version or by id; exactly one is current', async () => {
    await appWithReleases('rel-one', 1);
    const byVersion = await heroku<Release>(sandbox(), 'GET', '/apps/rel-one/releases/2');
    expect(byVersion.body).toMatchObject({
      version: 2,
      description: 'Enable Logplex',
      current: false,
      slug: null,
      artifacts: [],
    });
    const byId = await heroku<Release>(sandbox(), 'GET', `/apps/rel-one/releases/${byVersion.body.id}`);
    expect(byId.body.version).toBe(2);
    const current = await heroku<Release>(sandbox(), 'GET', '/apps/rel-one/releases/3');
    expect(current.body.current).toBe(true);
    for (const missing of ['4', '0', 'latest', '01234567-89ab-cdef-0123-456789abcdef']) {
      expect((await heroku(sandbox(), 'GET', `/apps/rel-one/releases/${missing}`)).body).toEqual({
        id: 'not_found',
        message: "Couldn't find that release.",
        resource: 'release',
      });
    }
  });

  it('carries the deployed slug forward into later config releases', async () => {
    await createApp(sandbox(), 'rel-slug');
    await declareProcessTypes(sandbox(), 'rel-slug', { web: 'npm start' });
    await heroku(sandbox(), 'PATCH', '/apps/rel-slug/config-vars', { body: { A: 'b' } });
    const [deploy, config] = (
      await heroku<Release[]>(sandbox(), 'GET', '/apps/rel-slug/releases', { headers: { Range: 'version 3..4' } })
    ).body as [Release, Release];
    expect(deploy.description).toBe('Deploy');
    expect(deploy.slug).not.toBeNull();
    expect(config.slug).toEqual(deploy.slug);
    expect(config.artifacts).toEqual([{ type: 'slug', id: deploy.slug?.id }]);
  });

  it('rejects a Range the list cannot serve with 416', async () => {
    await createApp(sandbox(), 'rel-range');
    for (const range of ['name ..', 'version a..b', 'version ..; max=0', 'version ..; order=sideways', 'version']) {
      const res = await heroku(sandbox(), 'GET', '/apps/rel-range/releases', { headers: { Range: range } });
      expect(res, range).toMatchObject({ status: 416, body: { id: 'requested_range_not_satisfiable' } });
    }
  });
});
