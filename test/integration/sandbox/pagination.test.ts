import { describe, expect, it } from 'vitest';
import { herokuClient, heroku, useSandbox } from '../../helpers/sandbox.js';

type App = { id: string; name: string };

describe('Range / Next-Range pagination', () => {
  const sandbox = useSandbox({ seed: 6 });

  async function createApps(count: number): Promise<void> {
    const names = Array.from({ length: count }, (_, i) => `page-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => heroku(sandbox(), 'POST', '/apps', { body: { name } })));
    }
  }

  it('pages 200 by default, with 206, Content-Range and a Next-Range that continues', async () => {
    await createApps(205);
    const first = await heroku<App[]>(sandbox(), 'GET', '/apps', { headers: { Range: 'name ..' } });
    expect(first.status).toBe(206);
    expect(first.body).toHaveLength(200);
    expect(first.headers.get('content-range')).toBe('name page-0000..page-0199');
    expect(first.headers.get('next-range')).toBe('name ]page-0199..; max=200');
    expect(first.headers.get('accept-ranges')).toBe('id, name, updated_at');

    const second = await heroku<App[]>(sandbox(), 'GET', '/apps', {
      headers: { Range: first.headers.get('next-range') as string },
    });
    expect(second.status).toBe(200);
    expect(second.body.map((a) => a.name)).toEqual(['page-0200', 'page-0201', 'page-0202', 'page-0203', 'page-0204']);
    expect(second.headers.get('next-range')).toBeNull();

    const noRange = await heroku<App[]>(sandbox(), 'GET', '/apps');
    expect(noRange.status).toBe(206);
    expect(noRange.body).toHaveLength(200);
    const ids = noRange.body.map((a) => a.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('orders descending and bounds both ends', async () => {
    await createApps(12);
    const desc = await heroku<App[]>(sandbox(), 'GET', '/apps', { headers: { Range: 'name ..; max=5, order=desc' } });
    expect(desc.body.map((a) => a.name)).toEqual(['page-0011', 'page-0010', 'page-0009', 'page-0008', 'page-0007']);
    expect(desc.headers.get('next-range')).toBe('name ]page-0007..; max=5, order=desc');
    const rest = await heroku<App[]>(sandbox(), 'GET', '/apps', {
      headers: { Range: desc.headers.get('next-range') as string },
    });
    expect(rest.body.map((a) => a.name)).toEqual(['page-0006', 'page-0005', 'page-0004', 'page-0003', 'page-0002']);

    const bounded = await heroku<App[]>(sandbox(), 'GET', '/apps', {
      headers: { Range: 'name page-0003..page-0009; max=3' },
    });
    expect(bounded.body.map((a) => a.name)).toEqual(['page-0003', 'page-0004', 'page-0005']);
    expect(bounded.headers.get('next-range')).toBe('name ]page-0005..page-0009; max=3');
    const tail = await heroku<App[]>(sandbox(), 'GET', '/apps', {
      headers: { Range: bounded.headers.get('next-range') as string },
    });
    expect(tail.body.map((a) => a.name)).toEqual(['page-0006', 'page-0007', 'page-0008']);
    expect(tail.status).toBe(206);
  });

  it('caps max at 1000, and heroku-client walks every page with its default Range', async () => {
    await createApps(1003);
    const capped = await heroku<App[]>(sandbox(), 'GET', '/apps', { headers: { Range: 'id ..; max=5000' } });
    expect(capped.status).toBe(206);
    expect(capped.body).toHaveLength(1000);
    expect(capped.headers.get('next-range')).toMatch(/^id \][0-9a-f-]{36}\.\.; max=1000$/);

    sandbox().resetLog();
    const all = await herokuClient(sandbox()).request<App[]>({ method: 'GET', path: '/apps' });
    expect(all).toHaveLength(1003);
    expect(new Set(all.map((a) => a.id)).size).toBe(1003);
    expect(
      sandbox()
        .requestLog()
        .map((e) => e.status),
    ).toEqual([206, 200]);
  });
});
