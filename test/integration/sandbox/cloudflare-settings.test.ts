import { describe, expect, it } from 'vitest';
import { cloudflare, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

type Setting = {
  id: string;
  value: unknown;
  editable: boolean;
  modified_on: string | null;
  next_scheduled_scan?: string;
};

let now = Date.parse('2026-06-01T08:00:00Z');

describe('Cloudflare zone settings', () => {
  const sandbox = useSandbox({ seed: 27, zones: ['example.com', 'paid.example:business'], clock: () => new Date(now) });
  const settings = (zone = 'example.com') => `/zones/${zoneId(sandbox(), zone)}/settings`;
  const all = async (zone = 'example.com') =>
    (await cloudflare<Setting[]>(sandbox(), 'GET', settings(zone))).body.result;
  const byId = (list: Setting[]) => Object.fromEntries(list.map((s) => [s.id, s]));

  it("lists a new Free zone's defaults, with editable flags by plan and null modified_on", async () => {
    const list = byId(await all());
    expect(list['ssl']).toEqual({ id: 'ssl', value: 'full', editable: true, modified_on: null });
    expect(list['min_tls_version']?.value).toBe('1.0');
    expect(list['always_use_https']?.value).toBe('off');
    expect(list['automatic_https_rewrites']?.value).toBe('on');
    expect(list['tls_1_3']?.value).toBe('on');
    expect(list['security_header']?.value).toEqual({
      strict_transport_security: {
        enabled: false,
        max_age: 0,
        include_subdomains: false,
        preload: false,
        nosniff: false,
      },
    });
    expect(list['polish']).toMatchObject({ value: 'off', editable: false });
    expect(list['advanced_ddos']).toMatchObject({ editable: false });
    // Newer than the bulk listing: read on its own.
    expect(list['ssl_automatic_mode']).toBeUndefined();
    expect(Object.keys(list).length).toBeGreaterThan(40);
    const paid = byId(await all('paid.example'));
    expect(paid['polish']?.editable).toBe(true);
    expect(paid['image_resizing']?.editable).toBe(true);
    expect(paid['prefetch_preload']?.editable).toBe(false);
  });

  it('edits in bulk, answering the updated settings and stamping modified_on where values changed', async () => {
    now += 1000;
    const res = await cloudflare<Setting[]>(sandbox(), 'PATCH', settings(), {
      body: {
        items: [
          { id: 'ssl', value: 'strict' },
          { id: 'min_tls_version', value: '1.2' },
          { id: 'always_use_https', value: 'off' },
          {
            id: 'security_header',
            value: { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true } },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const stamp = '2026-06-01T08:00:01.000000Z';
    expect(res.body.result.map((s) => [s.id, s.value, s.modified_on])).toEqual([
      ['ssl', 'strict', stamp],
      ['min_tls_version', '1.2', stamp],
      ['always_use_https', 'off', null],
      [
        'security_header',
        {
          strict_transport_security: {
            enabled: true,
            max_age: 31536000,
            include_subdomains: true,
            preload: false,
            nosniff: false,
          },
        },
        stamp,
      ],
    ]);
    expect(byId(await all())['ssl']?.value).toBe('strict');
  });

  it('validates every item and changes nothing when one is wrong, reporting each problem', async () => {
    const res = await cloudflare(sandbox(), 'PATCH', settings(), {
      body: {
        items: [
          { id: 'ssl', value: 'strict' },
          { id: 'ssl', value: 'superstrict' },
          { id: 'min_tls_version', value: 1.2 },
          { id: 'teleport', value: 'on' },
          { id: 'polish', value: 'lossy' },
          { id: 'ssl_automatic_mode', value: 'sometimes' },
          { id: 'security_header', value: { strict_transport_security: { max_age: -1 } } },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { code: 1007, message: 'Invalid value for zone setting ssl' },
      { code: 1007, message: 'Invalid value for zone setting min_tls_version' },
      { code: 1006, message: 'Unrecognized zone setting name: teleport' },
      { code: 1057, message: 'polish cannot be modified for this zone' },
      { code: 1006, message: 'Unrecognized zone setting name: ssl_automatic_mode' },
      { code: 1007, message: 'Invalid value for zone setting security_header' },
    ]);
    expect(byId(await all())['ssl']?.value).toBe('full');
    for (const body of [{}, { items: 'ssl' }]) {
      const missing = await cloudflare(sandbox(), 'PATCH', settings(), { body });
      expect([missing.status, missing.body.errors]).toEqual([400, [{ code: 1004, message: "Missing 'items'" }]]);
    }
  });

  // Source: the Automatic SSL/TLS API reference (own endpoint, 1008); terraform-provider-cloudflare
  // PR #4465 and issues #1810/#1527 (1006 in bulk for single-endpoint settings; inferred for this one).
  it('knows ssl_automatic_mode only through its own endpoint: 1006 in a bulk edit, which then changes nothing', async () => {
    const before = byId(await all())['ssl']?.value;
    const res = await cloudflare(sandbox(), 'PATCH', settings(), {
      body: {
        items: [
          { id: 'ssl', value: 'flexible' },
          { id: 'ssl_automatic_mode', value: 'custom' },
        ],
      },
    });
    expect([res.status, res.body.errors]).toEqual([
      400,
      [{ code: 1006, message: 'Unrecognized zone setting name: ssl_automatic_mode' }],
    ]);
    expect(byId(await all())['ssl']?.value).toBe(before);
    const bad = await cloudflare(sandbox(), 'PATCH', `${settings()}/ssl_automatic_mode`, {
      body: { value: 'sometimes' },
    });
    expect([bad.status, bad.body.errors[0]?.code]).toEqual([400, 1008]);
  });

  it('reads and edits one setting; ssl_automatic_mode says when the next scan is in automatic mode', async () => {
    const ssl = await cloudflare<Setting>(sandbox(), 'PATCH', `${settings()}/ssl`, { body: { value: 'flexible' } });
    expect(ssl.body.result).toMatchObject({ id: 'ssl', value: 'flexible', editable: true });
    expect((await cloudflare<Setting>(sandbox(), 'GET', `${settings()}/ssl`)).body.result.value).toBe('flexible');
    const auto = await cloudflare<Setting>(sandbox(), 'GET', `${settings()}/ssl_automatic_mode`);
    expect(auto.body.result).toMatchObject({ value: 'auto', next_scheduled_scan: expect.stringMatching(/Z$/) });
    const pinned = await cloudflare<Setting>(sandbox(), 'PATCH', `${settings()}/ssl_automatic_mode`, {
      body: { value: 'custom' },
    });
    expect(pinned.body.result).not.toHaveProperty('next_scheduled_scan');
    const hsts = await cloudflare<Setting>(sandbox(), 'PATCH', `${settings()}/security_header`, {
      body: { value: { strict_transport_security: { preload: true } } },
    });
    expect(hsts.body.result.value).toMatchObject({ strict_transport_security: { enabled: false, preload: true } });
  });

  it('answers 404 1006 for an unknown setting, 400 for a bad or missing value', async () => {
    const unknown = await cloudflare(sandbox(), 'GET', `${settings()}/teleport`);
    expect([unknown.status, unknown.body.errors[0]?.code]).toEqual([404, 1006]);
    const patchUnknown = await cloudflare(sandbox(), 'PATCH', `${settings()}/teleport`, { body: { value: 'on' } });
    expect([patchUnknown.status, patchUnknown.body.errors[0]?.code]).toEqual([400, 1006]);
    const missing = await cloudflare(sandbox(), 'PATCH', `${settings()}/ssl`, { body: { enabled: true } });
    expect([missing.status, missing.body.errors[0]?.message]).toEqual([400, "Missing 'value'"]);
    for (const [id, value] of [
      ['always_use_https', true],
      ['browser_cache_ttl', 15],
      ['ciphers', ['ECDHE-RSA-AES128-GCM-SHA256']],
      ['security_header', { strict_transport_security: { enabled: 'yes' } }],
      ['nel', { enabled: true, extra: 1 }],
    ] as const) {
      const res = await cloudflare(sandbox(), 'PATCH', `${settings()}/${id}`, { body: { value } });
      expect([res.status, res.body.errors[0]?.code], id).toEqual([400, id === 'ciphers' ? 1057 : 1007]);
    }
    const paidCiphers = await cloudflare<Setting>(sandbox(), 'PATCH', `${settings('paid.example')}/ciphers`, {
      body: { value: ['ECDHE-RSA-AES128-GCM-SHA256'] },
    });
    expect(paidCiphers.body.result.value).toEqual(['ECDHE-RSA-AES128-GCM-SHA256']);
  });
});
