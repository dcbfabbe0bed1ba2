import { describe, expect, it } from 'vitest';
import { AuthPolicy } from '../../../src/sandbox/auth.js';
import { authenticate } from '../../../src/sandbox/cloudflare/credentials.js';
import { CloudflareError } from '../../../src/sandbox/cloudflare/errors.js';
import { cloudflare, zoneId } from '../../helpers/cloudflare.js';
import { admin, heroku, useSandbox, withSandbox } from '../../helpers/sandbox.js';

const RAY = /^[0-9a-f]{16}-SBX$/;

describe('Cloudflare protocol', () => {
  const sandbox = useSandbox({ seed: 21, zones: ['example.com'] });

  describe('credentials', () => {
    it('answers 400 code 9106 when no credentials are sent', async () => {
      const res = await cloudflare(sandbox(), 'GET', '/zones', { token: null });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        success: false,
        errors: [{ code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' }],
        messages: [],
        result: null,
      });
      expect(res.headers.get('cf-ray')).toMatch(RAY);
    });

    it.each([
      ['an empty Bearer', { Authorization: 'Bearer' }, 6111],
      ['a token with spaces', { Authorization: 'Bearer two words' }, 6111],
      ['another scheme', { Authorization: 'Basic OmFiYw==' }, 6111],
      ['a key without an email', { 'X-Auth-Key': 'k' }, 6102],
      ['a malformed email', { 'X-Auth-Key': 'k', 'X-Auth-Email': 'nobody' }, 6102],
      ['an email without a key', { 'X-Auth-Email': 'me@example.com' }, 6103],
    ])('answers 400 6003 with the header code in error_chain for %s', async (_label, headers, chained) => {
      const res = await cloudflare(sandbox(), 'GET', '/zones', { token: null, headers });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        {
          code: 6003,
          message: 'Invalid request headers',
          error_chain: [
            { code: chained, message: expect.stringMatching(/^Invalid format for X?-?[A-Za-z-]+ header$/) },
          ],
        },
      ]);
    });

    it('accepts a Bearer token or an X-Auth-Key and X-Auth-Email pair on loopback', async () => {
      expect((await cloudflare(sandbox(), 'GET', '/zones', { token: 'any-token' })).status).toBe(200);
      const legacy = await cloudflare(sandbox(), 'GET', '/zones', {
        token: null,
        headers: { 'X-Auth-Key': 'global-key', 'X-Auth-Email': 'me@example.com' },
      });
      expect(legacy.status).toBe(200);
    });

    it('requires the configured token off loopback: 403 10000 for another token, 9103 for another key', () => {
      const policy = new AuthPolicy(false, 'team-secret');
      expect(authenticate({ authorization: 'Bearer team-secret' }, policy)).toBe('token:team-secret');
      const refused = (headers: Record<string, string>) => {
        try {
          authenticate(headers, policy);
        } catch (e) {
          return e instanceof CloudflareError ? [e.status, e.errors[0]?.code] : e;
        }
        return 'accepted';
      };
      expect(refused({ authorization: 'Bearer other' })).toEqual([403, 10000]);
      expect(refused({ 'x-auth-key': 'other', 'x-auth-email': 'me@example.com' })).toEqual([403, 9103]);
      expect(refused({ 'x-auth-key': 'team-secret', 'x-auth-email': 'me@example.com' })).toBe('accepted');
    });
  });

  describe('envelope, routes and bodies', () => {
    it('wraps results in the v4 envelope with cf-ray and rate-limit headers', async () => {
      const res = await cloudflare(sandbox(), 'GET', `/zones/${zoneId(sandbox(), 'example.com')}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, errors: [], messages: [], result: { name: 'example.com' } });
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('cf-ray')).toMatch(RAY);
      expect(res.headers.get('ratelimit')).toBe('"default";r=1199;t=300');
      expect(res.headers.get('ratelimit-policy')).toBe('"default";q=1200;w=300');
      const [entry] = sandbox().requestLog();
      expect(entry).toMatchObject({ api: 'cloudflare', status: 200, requestId: res.headers.get('cf-ray') });
    });

    it('answers 404 code 7000 for unknown routes and 405 for a known path with another method', async () => {
      for (const path of ['', '/nonsense', '/zones/abc/nothing']) {
        const res = await cloudflare(sandbox(), 'GET', path);
        expect(res.status).toBe(404);
        expect(res.body.errors).toEqual([{ code: 7000, message: 'No route for that URI' }]);
      }
      const wrong = await cloudflare(sandbox(), 'DELETE', '/zones');
      expect(wrong.status).toBe(405);
      expect(wrong.body.errors).toEqual([
        { code: 10000, message: 'DELETE method not allowed for the api_token authentication scheme' },
      ]);
      expect(wrong.headers.get('allow')).toBe('GET');
    });

    it('answers 400 7003 (+ 7000) for a malformed zone id and 404 7003 for an unknown one', async () => {
      const malformed = await cloudflare(sandbox(), 'GET', '/zones/example.com/dns_records');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors.map((e) => e.code)).toEqual([7003, 7000]);
      expect(malformed.body.errors[0]?.message).toBe(
        'Could not route to /zones/example.com/dns_records, perhaps your object identifier is invalid?',
      );
      const unknown = await cloudflare(sandbox(), 'GET', `/zones/${'a'.repeat(32)}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.errors.map((e) => e.code)).toEqual([7003]);
    });

    it('answers 400 6007 to malformed JSON, 400 1004 to a body that is not an object, 413 past 1 MiB', async () => {
      const records = `/zones/${zoneId(sandbox(), 'example.com')}/dns_records`;
      const malformed = await cloudflare(sandbox(), 'POST', records, { raw: '{"type": ' });
      expect(malformed).toMatchObject({ status: 400, body: { errors: [{ code: 6007 }], result: null } });
      const array = await cloudflare(sandbox(), 'POST', records, { body: [] });
      expect(array).toMatchObject({ status: 400, body: { errors: [{ code: 1004 }] } });
      const big = await cloudflare(sandbox(), 'POST', records, { body: { content: 'x'.repeat(1024 * 1024 + 1) } });
      expect(big).toMatchObject({ status: 413, body: { success: false, errors: [{ code: 6008 }] } });
      expect(sandbox().state().cloudflare.zones[0]?.records).toEqual([]);
    });
  });

  describe('rate limit', () => {
    it('allows N requests per window per token, then blocks for a whole window with 429 971', async () => {
      let now = Date.parse('2026-03-01T00:00:00Z');
      await withSandbox(
        async (small) => {
          const remaining: (string | null)[] = [];
          for (let i = 0; i < 3; i++)
            remaining.push((await cloudflare(small, 'GET', '/zones')).headers.get('ratelimit'));
          expect(remaining).toEqual(['"default";r=2;t=60', '"default";r=1;t=60', '"default";r=0;t=60']);
          const limited = await cloudflare(small, 'GET', '/zones');
          expect(limited.status).toBe(429);
          expect(limited.body.errors).toEqual([
            { code: 971, message: 'Please wait and consider throttling your request speed' },
          ]);
          expect(limited.headers.get('retry-after')).toBe('60');
          // Another token has its own window, and Heroku's bucket is separate.
          expect((await cloudflare(small, 'GET', '/zones', { token: 'other-token' })).status).toBe(200);
          expect((await heroku(small, 'GET', '/account', { token: 'cf-sandbox-token' })).status).toBe(200);
          now += 20_000;
          const still = await cloudflare(small, 'GET', '/zones');
          expect([still.status, still.headers.get('retry-after')]).toEqual([429, '40']);
          now += 40_000;
          expect((await cloudflare(small, 'GET', '/zones')).status).toBe(200);
        },
        { clock: () => new Date(now), cloudflareRateLimit: { requests: 3, windowSeconds: 60 } },
      );
    });

    it('slides: requests leave the window one by one', async () => {
      let now = Date.parse('2026-03-01T00:00:00Z');
      await withSandbox(
        async (small) => {
          await cloudflare(small, 'GET', '/zones');
          now += 30_000;
          await cloudflare(small, 'GET', '/zones');
          now += 31_000;
          // The first request has left the 60 s window; the second is still in it.
          expect((await cloudflare(small, 'GET', '/zones')).headers.get('ratelimit')).toBe('"default";r=0;t=29');
          expect((await cloudflare(small, 'GET', '/zones')).status).toBe(429);
        },
        { clock: () => new Date(now), cloudflareRateLimit: { requests: 2, windowSeconds: 60 } },
      );
    });

    it('is reset with the sandbox', async () => {
      await withSandbox(
        async (small) => {
          await cloudflare(small, 'GET', '/zones');
          expect((await cloudflare(small, 'GET', '/zones')).status).toBe(429);
          await small.reset();
          expect((await cloudflare(small, 'GET', '/zones')).status).toBe(200);
        },
        { cloudflareRateLimit: { requests: 1 } },
      );
    });
  });

  describe('faults', () => {
    it('answers injected 500, 503 and 429 in the Cloudflare envelope with a cf-ray', async () => {
      await withSandbox(
        async (faulty) => {
          const answers = [];
          for (let i = 0; i < 3; i++) answers.push(await cloudflare(faulty, 'GET', '/zones'));
          expect(answers.map((a) => [a.status, a.body.errors[0]?.code, a.headers.get('retry-after')])).toEqual([
            [500, 10002, null],
            [503, 10002, '4'],
            [429, 971, '4'],
          ]);
          expect(answers.every((a) => RAY.test(a.headers.get('cf-ray') ?? ''))).toBe(true);
          expect(answers.every((a) => a.body.success === false && a.body.result === null)).toBe(true);
          expect(faulty.requestLog().map((e) => e.fault)).toEqual(['server_error', 'unavailable', 'rate_limit']);
        },
        {
          faults: {
            retryAfterSeconds: 4,
            failRequests: [1, { request: 2, kind: 'unavailable' }, { request: 3, kind: 'rate_limit' }],
          },
        },
      );
    });
  });

  describe('admin', () => {
    it('seeds zones with a plan through POST /__sandbox/zones', async () => {
      const created = await admin<Record<string, unknown>>(sandbox(), 'POST', '/zones', {
        name: 'Shop.Example.',
        plan: 'business',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'shop.example', plan: { legacy_id: 'business' } });
      const again = await admin(sandbox(), 'POST', '/zones', { name: 'shop.example', plan: 'pro' });
      expect(again).toMatchObject({ status: 200, body: { plan: { legacy_id: 'pro' } } });
      for (const bad of [{}, { name: 'not a zone' }, { name: 'x.example', plan: 'gold' }]) {
        expect((await admin(sandbox(), 'POST', '/zones', bad)).status, JSON.stringify(bad)).toBe(422);
      }
      const listed = await cloudflare<{ name: string }[]>(sandbox(), 'GET', '/zones');
      expect(listed.body.result.map((z) => z.name)).toEqual(['example.com', 'shop.example']);
    });
  });
});
