import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { AuthError, ConflictError, NotFoundError, ProviderError, RateLimitedError } from '../../../src/runtime/errors.js';
import { API, apiRecord, failure, mockZone, newClient, ok, ORIGIN, ZONE, ZONE_ID } from './fixtures.js';
import { requestProblems } from './openapi.js';

const RECORDS = `${API}/zones/${ZONE_ID}/dns_records`;
const page = (n: number, count: number) => Array.from({ length: count }, (_, i) => apiRecord({ id: `r${n}-${i}`, type: 'A', name: `h${n}-${i}.${ZONE}`, content: '192.0.2.1' }));

afterEach(() => {
  nock.cleanAll();
  delete process.env['CLOUDFLARE_API_KEY'];
  delete process.env['CLOUDFLARE_EMAIL'];
  delete process.env['CLOUDFLARE_API_USER_SERVICE_KEY'];
});

describe('CloudflareClient credentials and zones', () => {
  it('sends the API token and never CLOUDFLARE_API_KEY / CLOUDFLARE_EMAIL from the environment', async () => {
    process.env['CLOUDFLARE_API_KEY'] = 'global-key-that-must-not-leak';
    process.env['CLOUDFLARE_EMAIL'] = 'ops@daffeinated.com';
    process.env['CLOUDFLARE_API_USER_SERVICE_KEY'] = 'v1.0-service-key';
    let headers: Record<string, unknown> = {};
    nock(ORIGIN)
      .get(`${API}/zones`)
      .query(true)
      .reply(function () {
        headers = this.req.headers;
        return [200, ok([{ id: ZONE_ID, name: ZONE, status: 'active' }])];
      });
    await expect(newClient().findZone(ZONE)).resolves.toEqual({ id: ZONE_ID, name: ZONE, status: 'active' });
    expect(headers['authorization']).toBe('Bearer cf-test-token');
    expect(headers).not.toHaveProperty('x-auth-key');
    expect(headers).not.toHaveProperty('x-auth-email');
    expect(headers).not.toHaveProperty('x-auth-user-service-key');
    expect(JSON.stringify(headers)).not.toContain('global-key-that-must-not-leak');
  });

  it('looks a zone up by name once, however often it is asked for', async () => {
    const log: HttpLogEntry[] = [];
    const scope = mockZone();
    const client = newClient(log);
    const [a, b] = await Promise.all([client.findZone(ZONE), client.findZone(ZONE)]);
    expect(await client.findZone(ZONE)).toEqual(a);
    expect(b).toEqual(a);
    expect(log.map((e) => e.path)).toEqual([`/zones?name=${ZONE}`]);
    scope.done();
  });

  it('says which zone is missing and which token permissions are needed', async () => {
    nock(ORIGIN).get(`${API}/zones`).query(true).reply(200, ok([{ id: 'x', name: 'other.com', status: 'active' }]));
    const error = (await newClient().findZone(ZONE).catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('The Cloudflare zone daffeinated.com does not exist or the API token cannot see it');
    expect(error.hint).toContain('Zone › Zone › Read');
    expect(error.hint).toContain('Zone › DNS › Edit');
  });
});

describe('CloudflareClient DNS listing', () => {
  it('pages by total_pages and makes exactly one request per page (no trailing empty page)', async () => {
    const log: HttpLogEntry[] = [];
    const info = (n: number) => ({ page: n, per_page: 100, count: n === 3 ? 20 : 100, total_count: 220, total_pages: 3 });
    const scope = nock(ORIGIN);
    for (const n of [1, 2, 3]) scope.get(RECORDS).query({ page: String(n), per_page: '100' }).reply(200, ok(page(n, n === 3 ? 20 : 100), { result_info: info(n) }));
    const records = await newClient(log).listRecords(ZONE_ID);
    expect(records).toHaveLength(220);
    expect(log.map((e) => e.path).sort()).toEqual([1, 2, 3].map((n) => `/zones/${ZONE_ID}/dns_records?page=${n}&per_page=100`));
    scope.done();
  });

  it('falls back to total_count, then to a short page, when total_pages is absent', async () => {
    nock(ORIGIN)
      .get(RECORDS)
      .query({ page: '1', per_page: '100' })
      .reply(200, ok(page(1, 100), { result_info: { page: 1, per_page: 100, count: 100, total_count: 150 } }))
      .get(RECORDS)
      .query({ page: '2', per_page: '100' })
      .reply(200, ok(page(2, 50), { result_info: { page: 2, per_page: 100, count: 50, total_count: 150 } }));
    expect(await newClient().listRecords(ZONE_ID)).toHaveLength(150);
    // The server may cap per_page below what was asked: its own per_page decides what "short" is.
    const log: HttpLogEntry[] = [];
    nock(ORIGIN)
      .get(RECORDS)
      .query({ page: '1', per_page: '100' })
      .reply(200, ok(page(1, 50), { result_info: { page: 1, per_page: 50 } }))
      .get(RECORDS)
      .query({ page: '2', per_page: '100' })
      .reply(200, ok(page(2, 10), { result_info: { page: 2, per_page: 50 } }));
    expect(await newClient(log).listRecords(ZONE_ID)).toHaveLength(60);
    expect(log).toHaveLength(2);
  });

  it('treats a 200 whose envelope says success:false as an error, never as an empty zone', async () => {
    nock(ORIGIN).get(RECORDS).query(true).reply(200, failure(1000, 'Internal lookup failed'), { 'cf-ray': '8f00aa-IAD' });
    const error = (await newClient().listRecords(ZONE_ID).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 200, apiCode: '1000', requestId: '8f00aa-IAD' });
    expect(error.message).toBe(`Cloudflare answered GET /zones/${ZONE_ID}/dns_records?page=1&per_page=100 with success: false: Internal lookup failed (1000)`);
  });
});

describe('CloudflareClient error translation and retries', () => {
  it('maps 401, 403, 404 and record conflicts to their classes with hints', async () => {
    nock(ORIGIN).get(RECORDS).query(true).reply(401, failure(10000, 'Authentication error'));
    const unauthorized = (await newClient().listRecords(ZONE_ID).catch((e: unknown) => e)) as AuthError;
    expect(unauthorized).toBeInstanceOf(AuthError);
    expect(unauthorized.hint).toContain('CLOUDFLARE_API_TOKEN');

    nock(ORIGIN).get(`${API}/zones/${ZONE_ID}/settings`).reply(403, failure(9109, 'Unauthorized to access requested resource'), { 'cf-ray': 'ray-403' });
    const forbidden = (await newClient().getSettings(ZONE_ID).catch((e: unknown) => e)) as AuthError;
    expect(forbidden).toBeInstanceOf(AuthError);
    expect(forbidden).toMatchObject({ status: 403, apiCode: '9109', requestId: 'ray-403' });
    expect(forbidden.hint).toContain('Zone › Zone Settings › Read');

    nock(ORIGIN).get(`${API}/zones/${ZONE_ID}/rulesets/phases/http_ratelimit/entrypoint`).reply(404, failure(7003, 'Could not route to /zones/x'));
    await expect(newClient().getPhase(ZONE_ID, 'http_ratelimit')).rejects.toBeInstanceOf(NotFoundError);

    nock(ORIGIN).post(`${RECORDS}/batch`).reply(400, failure(81053, 'An A, AAAA, or CNAME record with that host already exists.'));
    const conflict = (await newClient().batchRecords(ZONE_ID, { deletes: [], patches: [], puts: [], posts: [{ type: 'CNAME', name: `www.${ZONE}`, content: 'x.herokudns.com' }] }).catch((e: unknown) => e)) as ConflictError;
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.message).toContain('An A, AAAA, or CNAME record with that host already exists. (81053)');
    expect(conflict.hint).toContain('declare it in app.yaml');
  });

  it('reads a phase without an entrypoint (404 code 10003) as empty', async () => {
    nock(ORIGIN).get(`${API}/zones/${ZONE_ID}/rulesets/phases/http_request_firewall_custom/entrypoint`).reply(404, failure(10003, 'could not find entrypoint ruleset'));
    await expect(newClient().getPhase(ZONE_ID, 'http_request_firewall_custom')).resolves.toBeUndefined();
  });

  it('waits out a 429 for exactly its Retry-After, and gives up on one longer than the 5-minute block', async () => {
    const sleeps: number[] = [];
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(429, failure(971, 'Please wait and consider throttling your request speed'), { 'Retry-After': '7' })
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(200, ok([{ id: 'ssl', value: 'strict', editable: true }]));
    await expect(newClient([], sleeps).getSettings(ZONE_ID)).resolves.toEqual([{ id: 'ssl', value: 'strict', editable: true }]);
    expect(sleeps).toEqual([7000]);

    // Longer than the block: not slept through; the error says when to run again (issue 14).
    nock(ORIGIN).get(`${API}/zones/${ZONE_ID}/settings`).reply(429, failure(971, 'slow down'), { 'Retry-After': '301' });
    const later: number[] = [];
    const now = () => new Date('2026-12-06T10:00:00Z');
    const error = (await newClient([], later, { now }).getSettings(ZONE_ID).catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(later).toEqual([]);
    expect(error.message).toContain('(the API asks to wait 301 s, longer than daffeinated waits (300 s): not waited)');
    expect(error.hint).toContain('1,200');
    expect(error.hint).toContain('Run the command again after 2026-12-06T10:05:01Z (in 301 s).');
  });

  // A 429 blocks the token for five minutes (developers.cloudflare.com/fundamentals/api/reference/limits/).
  it('waits out a 5-minute block (300 s, or Retry-After) with a visible notice, on an injected clock', async () => {
    const sleeps: number[] = [];
    const notices: string[] = [];
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(429, failure(971, 'Please wait and consider throttling your request speed'), { 'Retry-After': '300' })
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(429, failure(971, 'Please wait and consider throttling your request speed'))
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(200, ok([]));
    const client = newClient([], sleeps, { onRetry: (m: string) => notices.push(m) });
    await expect(client.getSettings(ZONE_ID)).resolves.toEqual([]);
    expect(sleeps).toEqual([300_000, 300_000]);
    expect(notices[0]).toMatch(/was rate limited \(HTTP 429\); retry 1 in 300000 ms \(Cloudflare blocks a token's API calls for up to 5 minutes .*: waiting 300 s\)/);
  });

  it('resends reads after a 5xx or a lost connection, but never the non-idempotent batch', async () => {
    const sleeps: number[] = [];
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(503, failure(10001, 'service unavailable'))
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(200, ok([]));
    await expect(newClient([], sleeps).getSettings(ZONE_ID)).resolves.toEqual([]);
    expect(sleeps).toHaveLength(2);

    const log: HttpLogEntry[] = [];
    nock(ORIGIN).post(`${RECORDS}/batch`).reply(502, failure(10002, 'bad gateway'));
    const error = await newClient(log).batchRecords(ZONE_ID, { deletes: [{ id: 'a'.repeat(32) }], patches: [], puts: [], posts: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502 });
    expect(log).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads and writes all settings in one request each, the write as {items}', async () => {
    let body: unknown;
    nock(ORIGIN)
      .patch(`${API}/zones/${ZONE_ID}/settings`, (b: unknown) => {
        body = b;
        return true;
      })
      .reply(200, ok([{ id: 'ssl', value: 'strict' }, { id: 'always_use_https', value: 'on' }]), { 'cf-ray': 'ray-patch' });
    const log: HttpLogEntry[] = [];
    const items = [{ id: 'ssl', value: 'strict' }, { id: 'always_use_https', value: 'on' }];
    await expect(newClient(log).patchSettings(ZONE_ID, items)).resolves.toHaveLength(2);
    expect(body).toEqual({ items });
    expect(requestProblems('PATCH', '/zones/{zone_id}/settings', body)).toEqual([]);
    expect(log).toEqual([expect.objectContaining({ method: 'PATCH', path: `/zones/${ZONE_ID}/settings`, status: 200, requestId: 'ray-patch', attempt: 1 })]);
    expect(JSON.stringify(log)).not.toContain('strict');
  });

  it('asks for one setting the bulk listing lacks, and maps its 404 to undefined', async () => {
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings/ssl_automatic_mode`)
      .reply(200, ok({ id: 'ssl_automatic_mode', value: 'auto', editable: true }))
      .get(`${API}/zones/${ZONE_ID}/settings/ssl_automatic_mode`)
      .reply(404, failure(1003, 'Invalid or missing zone setting'));
    const client = newClient();
    await expect(client.getSetting(ZONE_ID, 'ssl_automatic_mode')).resolves.toEqual({ id: 'ssl_automatic_mode', value: 'auto', editable: true });
    await expect(client.getSetting(ZONE_ID, 'ssl_automatic_mode')).resolves.toBeUndefined();
  });
});
