import { describe, expect, it } from 'vitest';
import { admin, herokuClient, useSandbox } from '../../helpers/sandbox.js';

type App = { id: string; name: string; web_url: string; git_url: string };

// heroku-client 3.1.4 is used exactly as daffeinated's provider uses it: Basic `:token` auth,
// `Range: id ..; max=1000` on every request, Next-Range followed automatically.
describe('heroku-client against the sandbox', () => {
  const sandbox = useSandbox({ seed: 7 });

  it('creates an app, sets config vars and reads them back', async () => {
    const client = herokuClient(sandbox());
    const app = await client.request<App>({ method: 'POST', path: '/apps', body: { name: 'hk-client-demo' } });
    expect(app.name).toBe('hk-client-demo');
    expect(app.git_url).toBe('https://git.heroku.com/hk-client-demo.git');
    expect(app.web_url).toMatch(/^https:\/\/hk-client-demo-[0-9a-f]{12}\.herokuapp\.com\/$/);

    const patched = await client.request({
      method: 'PATCH',
      path: '/apps/hk-client-demo/config-vars',
      body: { NODE_ENV: 'production', SESSION_SECRET: 's3cret' },
    });
    expect(patched).toEqual({ NODE_ENV: 'production', SESSION_SECRET: 's3cret' });
    const readBack = await client.request({ method: 'GET', path: `/apps/${app.id}/config-vars` });
    expect(readBack).toEqual({ NODE_ENV: 'production', SESSION_SECRET: 's3cret' });

    // heroku-client sent Basic auth and its Range header on the POST and the PATCH too.
    const log = sandbox().requestLog();
    expect(log.map((e) => [e.method, e.status])).toEqual([
      ['POST', 201],
      ['PATCH', 200],
      ['GET', 200],
    ]);
  });

  it('follows Next-Range across pages and returns the whole list', async () => {
    const client = herokuClient(sandbox());
    for (let i = 0; i < 25; i++)
      await client.request({ method: 'POST', path: '/apps', body: { name: `paged-app-${i}` } });
    sandbox().resetLog();

    // A custom first Range (as the provider sends for "latest N") makes pages of 10.
    const apps = await client.request<App[]>({ method: 'GET', path: '/apps', headers: { Range: 'name ..; max=10' } });
    expect(apps.map((a) => a.name)).toEqual(Array.from({ length: 25 }, (_, i) => `paged-app-${i}`).sort());
    expect(
      sandbox()
        .requestLog()
        .map((e) => e.status),
    ).toEqual([206, 206, 200]);

    const partial = await client.request<App[]>({
      method: 'GET',
      path: '/apps',
      partial: true,
      headers: { Range: 'name ..; max=10' },
    });
    expect(partial).toHaveLength(10);
  });

  it('rejects with statusCode and the {id, message} body', async () => {
    const client = herokuClient(sandbox());
    const error = await client.request({ method: 'GET', path: '/apps/no-such-app' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 404,
      body: { id: 'not_found', message: "Couldn't find that app.", resource: 'app' },
    });
  });

  it('accepts Bearer auth supplied as a header override', async () => {
    const client = herokuClient(sandbox());
    const account = await client.request<{ email: string }>({
      method: 'GET',
      path: '/account',
      headers: { Authorization: 'Bearer other-token' },
    });
    expect(account.email).toBe('developer@example.com');
    const state = await admin<{ requests: unknown[] }>(sandbox(), 'GET', '/requests');
    expect(state.body.requests).toHaveLength(1);
  });
});
