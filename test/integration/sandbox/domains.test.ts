import { describe, expect, it } from 'vitest';
import { type Json, ManualClock } from '../../helpers/heroku.js';
import { cloudflare } from '../../helpers/cloudflare.js';
import { admin, createApp, declareProcessTypes, heroku, useSandbox } from '../../helpers/sandbox.js';

type Domain = Json & {
  hostname: string;
  kind: string;
  status: string;
  acm_status: string | null;
  cname: string | null;
};

describe('domains and ACM', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({
    seed: 31,
    clock: clock.now,
    heroku: { domainMs: 1000, acmMs: 4000, acmFailingMs: 12_000 },
    zones: ['example.net', 'example.io'],
  });

  async function addDomain(app: string, hostname: string) {
    return heroku<Domain>(sandbox(), 'POST', `/apps/${app}/domains`, { body: { hostname, sni_endpoint: null } });
  }

  /** A CNAME for `hostname` in its sandbox zone, as a customer would point it at the DNS target. */
  async function pointAt(hostname: string, content: string, proxied = false): Promise<string> {
    const zone = hostname.slice(hostname.indexOf('.') + 1);
    const zones = await cloudflare<{ id: string }[]>(sandbox(), 'GET', `/zones?name=${zone}`);
    const zoneId = zones.body.result[0]?.id as string;
    const made = await cloudflare<{ id: string }>(sandbox(), 'POST', `/zones/${zoneId}/dns_records`, {
      body: { type: 'CNAME', name: hostname, content, proxied, ttl: 1 },
    });
    expect(made.status).toBe(200);
    return `/zones/${zoneId}/dns_records/${made.body.result.id}`;
  }

  it('lists the built-in herokuapp.com domain next to custom ones', async () => {
    const app = await createApp(sandbox(), 'dom-app');
    const list = await heroku<Domain[]>(sandbox(), 'GET', '/apps/dom-app/domains');
    const webHost = new URL(app['web_url'] as string).hostname;
    expect(list.body).toEqual([
      expect.objectContaining({ kind: 'heroku', hostname: webHost, cname: null, status: 'none', acm_status: null }),
    ]);
    const builtIn = await heroku<Domain>(sandbox(), 'GET', `/apps/dom-app/domains/${webHost}`);
    expect(builtIn.body.kind).toBe('heroku');
    const del = await heroku(sandbox(), 'DELETE', `/apps/dom-app/domains/${webHost}`);
    expect(del.status).toBe(422);
  });

  it('gives a custom domain a herokudns.com target, pending until provisioned', async () => {
    await createApp(sandbox(), 'dom-custom');
    const created = await addDomain('dom-custom', 'WWW.Example.com.');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      hostname: 'www.example.com',
      kind: 'custom',
      status: 'pending',
      acm_status: null,
      sni_endpoint: null,
    });
    expect(created.body.cname).toMatch(/^[a-z]+-[a-z]+-[a-z0-9]{24}\.herokudns\.com$/);
    clock.advance(999);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/dom-custom/domains/www.example.com')).body.status).toBe(
      'pending',
    );
    clock.advance(1);
    const done = await heroku<Domain>(sandbox(), 'GET', `/apps/dom-custom/domains/${created.body['id'] as string}`);
    expect(done.body.status).toBe('succeeded');
    const wildcard = await addDomain('dom-custom', '*.example.com');
    expect(wildcard.body.hostname).toBe('*.example.com');
    const patched = await heroku<Domain>(sandbox(), 'PATCH', '/apps/dom-custom/domains/www.example.com', {
      body: { sni_endpoint: null },
    });
    expect(patched.body.hostname).toBe('www.example.com');
    const removed = await heroku<Domain>(sandbox(), 'DELETE', '/apps/dom-custom/domains/www.example.com');
    expect(removed.body.hostname).toBe('www.example.com');
    const left = await heroku<Domain[]>(sandbox(), 'GET', '/apps/dom-custom/domains', {
      headers: { Range: 'hostname ..' },
    });
    expect(left.body.map((d) => d.hostname)).toEqual([
      '*.example.com',
      expect.stringMatching(/^dom-custom-[0-9a-f]{12}\.herokuapp\.com$/),
    ]);
  });

  it('refuses duplicates (here or on another app), invalid and Heroku-owned hostnames, and SNI endpoints', async () => {
    await createApp(sandbox(), 'dom-one');
    await createApp(sandbox(), 'dom-two');
    await addDomain('dom-one', 'api.example.org');
    const cases: [string, unknown, number, string][] = [
      [
        'dom-one',
        { hostname: 'api.example.org', sni_endpoint: null },
        422,
        'api.example.org is already added to this app.',
      ],
      [
        'dom-two',
        { hostname: 'API.example.org', sni_endpoint: null },
        422,
        'api.example.org is currently in use by another app.',
      ],
      ['dom-two', { hostname: 'not a host', sni_endpoint: null }, 422, 'not a valid hostname'],
      ['dom-two', { hostname: 'x.herokuapp.com', sni_endpoint: null }, 422, 'Heroku-owned'],
      ['dom-two', { sni_endpoint: null }, 422, 'hostname is required'],
      ['dom-two', { hostname: 'b.example.org', sni_endpoint: 'my-cert' }, 404, "Couldn't find that SNI endpoint."],
    ];
    for (const [app, body, status, message] of cases) {
      const res = await heroku<Json>(sandbox(), 'POST', `/apps/${app}/domains`, { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body['message']).toContain(message);
    }
    expect((await heroku(sandbox(), 'PATCH', '/apps/dom-one/domains/api.example.org', { body: {} })).status).toBe(422);
    expect((await heroku(sandbox(), 'GET', '/apps/dom-two/domains/api.example.org')).status).toBe(404);
  });

  it('ACM: enabling issues certificates once domains are ready; disabling clears them', async () => {
    await createApp(sandbox(), 'acm-app');
    await pointAt('shop.example.net', (await addDomain('acm-app', 'shop.example.net')).body.cname as string);
    const enabled = await heroku<Json>(sandbox(), 'POST', '/apps/acm-app/acm', { body: {} });
    expect(enabled.body['acm']).toBe(true);
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/acm-app')).body['acm']).toBe(true);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-app/domains/shop.example.net')).body.acm_status).toBe(
      'pending',
    );
    clock.advance(1000);
    await pointAt('blog.example.net', (await addDomain('acm-app', 'blog.example.net')).body.cname as string);
    clock.advance(3999);
    const partway = await heroku<Domain[]>(sandbox(), 'GET', '/apps/acm-app/domains', {
      headers: { Range: 'hostname ..' },
    });
    expect(partway.body.map((d) => [d.hostname, d.status, d.acm_status])).toEqual([
      [expect.stringMatching(/^acm-app-[0-9a-f]{12}\.herokuapp\.com$/), 'none', null],
      ['blog.example.net', 'succeeded', 'pending'],
      ['shop.example.net', 'succeeded', 'pending'],
    ]);
    clock.advance(1);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-app/domains/shop.example.net')).body.acm_status).toBe(
      'cert issued',
    );
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-app/domains/blog.example.net')).body.acm_status).toBe(
      'pending',
    );
    clock.advance(1000);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-app/domains/blog.example.net')).body.acm_status).toBe(
      'cert issued',
    );
    const disabled = await heroku<Json>(sandbox(), 'DELETE', '/apps/acm-app/acm');
    expect(disabled.body['acm']).toBe(false);
    expect(
      (await heroku<Domain>(sandbox(), 'GET', '/apps/acm-app/domains/shop.example.net')).body.acm_status,
    ).toBeNull();
  });

  it('ACM refresh retries failed certificates; the admin route simulates DNS trouble', async () => {
    await createApp(sandbox(), 'acm-retry');
    await heroku(sandbox(), 'POST', '/apps/acm-retry/acm', { body: {} });
    await pointAt('app.example.io', (await addDomain('acm-retry', 'app.example.io')).body.cname as string);
    const failing = await admin<Domain>(sandbox(), 'PATCH', '/apps/acm-retry/domains/app.example.io', {
      acm_status: 'failing',
      acm_status_reason: 'CDN not returning HTTP challenge',
    });
    expect(failing.body).toMatchObject({
      acm_status: 'failing',
      acm_status_reason: 'CDN not returning HTTP challenge',
    });
    clock.advance(60_000);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-retry/domains/app.example.io')).body.acm_status).toBe(
      'failing',
    );
    await heroku(sandbox(), 'PATCH', '/apps/acm-retry/acm', { body: { acm_refresh: true } });
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-retry/domains/app.example.io')).body).toMatchObject({
      acm_status: 'pending',
      acm_status_reason: null,
    });
    clock.advance(4000);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-retry/domains/app.example.io')).body.acm_status).toBe(
      'cert issued',
    );
    // A DNS target that failed fails its certificate too.
    await addDomain('acm-retry', 'broken.example.io');
    await admin(sandbox(), 'PATCH', '/apps/acm-retry/domains/broken.example.io', { status: 'failed' });
    clock.advance(5000);
    expect((await heroku<Domain>(sandbox(), 'GET', '/apps/acm-retry/domains/broken.example.io')).body).toMatchObject({
      status: 'failed',
      acm_status: 'failed',
    });
  });

  // Dev Center "Automated Certificate Management" (devcenter.heroku.com/articles/automated-certificate-management):
  // the DNS must point at the DNS target; a domain behind Cloudflare's proxy fails validation with
  // "CDN not returning HTTP challenge" (the reason `heroku certs:auto` shows for it).
  it('ACM validates through the sandbox DNS: missing, proxied or wrong records keep it failing, then failed', async () => {
    await createApp(sandbox(), 'acm-dns');
    await heroku(sandbox(), 'POST', '/apps/acm-dns/acm', { body: {} });
    const status = async (hostname: string) => {
      const body = (await heroku<Domain & { acm_status_reason: string | null }>(sandbox(), 'GET', `/apps/acm-dns/domains/${hostname}`)).body;
      return [body.acm_status, body.acm_status_reason];
    };
    const proxied = (await addDomain('acm-dns', 'cdn.example.net')).body.cname as string;
    const record = await pointAt('cdn.example.net', proxied, true);
    await addDomain('acm-dns', 'none.example.net');
    await pointAt('wrong.example.net', proxied);
    await addDomain('acm-dns', 'wrong.example.net');
    await addDomain('acm-dns', 'outside.example.org');
    clock.advance(5000);
    expect(await status('cdn.example.net')).toEqual(['failing', 'CDN not returning HTTP challenge']);
    expect(await status('none.example.net')).toEqual(['failing', 'DNS does not resolve: zone example.net has no A, AAAA or CNAME record for none.example.net']);
    expect((await status('wrong.example.net'))[1]).toMatch(/^DNS points at [a-z-]+-[a-z0-9]{24}\.herokudns\.com, not at this domain's DNS target /);
    expect(await status('outside.example.org')).toEqual(['failing', 'DNS does not resolve: no sandbox zone holds outside.example.org']);
    // Made DNS-only, the next retry (every acmMs) issues it; the others fail for good after acmFailingMs.
    await cloudflare(sandbox(), 'PATCH', record, { body: { proxied: false } });
    clock.advance(4000);
    expect(await status('cdn.example.net')).toEqual(['cert issued', null]);
    clock.advance(8000);
    expect((await status('none.example.net'))[0]).toBe('failed');
    expect((await status('outside.example.org'))[0]).toBe('failed');
  });

  // Dev Center "Automated Certificate Management" (2024): "All applications include ACM for free";
  // "Understanding TLS on Heroku" no longer lists Eco apps as unsupported.
  it('ACM is available while Eco dynos run, and refresh needs ACM on', async () => {
    await createApp(sandbox(), 'acm-eco');
    await declareProcessTypes(sandbox(), 'acm-eco', { web: 'npm start' });
    await heroku(sandbox(), 'PATCH', '/apps/acm-eco/formation/web', { body: { size: 'eco' } });
    expect((await heroku(sandbox(), 'PATCH', '/apps/acm-eco/acm', { body: {} })).status).toBe(422);
    const enabled = await heroku<Json>(sandbox(), 'POST', '/apps/acm-eco/acm', { body: {} });
    expect(enabled.status).toBe(200);
    expect(enabled.body['acm']).toBe(true);
  });
});
