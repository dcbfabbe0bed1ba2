import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AuthPolicy } from '../../../src/sandbox/auth.js';
import { startSandbox } from '../../../src/sandbox/index.js';
import { createApp, HEROKU_ACCEPT, heroku, useSandbox, withSandbox } from '../../helpers/sandbox.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Heroku protocol', () => {
  const sandbox = useSandbox({ seed: 5 });

  describe('Accept', () => {
    it.each([
      undefined,
      'application/json',
      'application/vnd.heroku+json',
      'application/vnd.heroku+json; version=2',
      'application/vnd.heroku+json; version=30',
    ])('answers 406 not_acceptable to Accept %s', async (accept) => {
      const res = await heroku<{ id: string; message: string }>(sandbox(), 'GET', '/account', {
        headers: accept === undefined ? { Accept: '' } : { Accept: accept },
      });
      expect(res.status).toBe(406);
      expect(res.body.id).toBe('not_acceptable');
      expect(res.body.message).toContain('Accept: application/vnd.heroku+json; version=3');
      expect(res.headers.get('request-id')).toMatch(UUID);
    });

    it.each([
      'application/vnd.heroku+json; version=3',
      'application/vnd.heroku+json; version=3.sdk',
      'application/vnd.heroku+json; version=3.pipelines',
      'text/plain, application/vnd.heroku+json;version=3.webhooks',
    ])('accepts %s', async (accept) => {
      expect((await heroku(sandbox(), 'GET', '/account', { headers: { Accept: accept } })).status).toBe(200);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an empty Bearer', 'Bearer '],
      ['an unknown scheme', 'Token abc'],
      ['Basic without a password', `Basic ${Buffer.from('user:').toString('base64')}`],
      ['Basic that is not base64', 'Basic !!!'],
      ['a token with spaces', 'Bearer two words'],
    ])('answers 401 unauthorized to %s', async (_label, authorization) => {
      const res = await heroku(sandbox(), 'GET', '/account', {
        token: null,
        ...(authorization === undefined ? {} : { headers: { Authorization: authorization } }),
      });
      expect(res).toMatchObject({
        status: 401,
        body: { id: 'unauthorized', message: 'Invalid credentials provided.' },
      });
    });

    it('accepts Bearer and Basic :token (and email:token) on loopback', async () => {
      for (const authorization of [
        'Bearer anything',
        `Basic ${Buffer.from(':hk-token').toString('base64')}`,
        `Basic ${Buffer.from('me@example.com:hk-token').toString('base64')}`,
      ]) {
        expect(
          (await heroku(sandbox(), 'GET', '/account', { token: null, headers: { Authorization: authorization } }))
            .status,
        ).toBe(200);
      }
    });

    it('requires the configured token when not on loopback', async () => {
      const policy = new AuthPolicy(false, 'team-secret');
      expect(policy.accepts('team-secret')).toBe(true);
      expect(policy.accepts('other')).toBe(false);
      expect(policy.accepts(undefined)).toBe(false);
      expect(new AuthPolicy(true, 'ignored').accepts('anything')).toBe(true);
      // Refused before anything listens: a public sandbox without a token would be open to all.
      await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/DAFFEINATED_SANDBOX_TOKEN/);
    });
  });

  describe('headers', () => {
    it('echoes the client Request-Id, else sends a UUID', async () => {
      const echoed = await heroku(sandbox(), 'GET', '/account', { headers: { 'Request-Id': 'abc-123,def-456' } });
      expect(echoed.headers.get('request-id')).toBe('abc-123,def-456');
      const fresh = await heroku(sandbox(), 'GET', '/apps/nope');
      expect(fresh.headers.get('request-id')).toMatch(UUID);
    });

    it('sends an ETag and answers 304 to a matching If-None-Match', async () => {
      const first = await heroku(sandbox(), 'GET', '/account');
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
      const again = await heroku(sandbox(), 'GET', '/account', { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(again.body).toBeUndefined();
    });

    it('tolerates a Range header on POST and PATCH (heroku-client sends one on every request)', async () => {
      const created = await heroku(sandbox(), 'POST', '/apps', {
        body: { name: 'ranged' },
        headers: { Range: 'id ..; max=1000' },
      });
      expect(created.status).toBe(201);
      const patched = await heroku(sandbox(), 'PATCH', '/apps/ranged/config-vars', {
        body: { A: 'b' },
        headers: { Range: 'id ..; max=1000' },
      });
      expect(patched.status).toBe(200);
    });
  });

  describe('rate limit', () => {
    it('counts RateLimit-Remaining down from 4,500 per token; /account/rate-limits is free', async () => {
      const a1 = await heroku(sandbox(), 'GET', '/account', { token: 'token-a' });
      const a2 = await heroku(sandbox(), 'GET', '/apps', { token: 'token-a' });
      const b1 = await heroku(sandbox(), 'GET', '/account', { token: 'token-b' });
      expect([a1, a2, b1].map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4499', '4498', '4499']);
      const free = await heroku(sandbox(), 'GET', '/account/rate-limits', { token: 'token-a' });
      expect(free.body).toEqual({ remaining: 4498 });
      expect((await heroku(sandbox(), 'GET', '/account/rate-limits', { token: 'token-a' })).body).toEqual({
        remaining: 4498,
      });
    });

    it('answers 429 rate_limit when the bucket is empty and refills on the injected clock', async () => {
      let now = Date.parse('2026-01-01T00:00:00Z');
      await withSandbox(
        async (small) => {
          for (let i = 0; i < 3; i++) expect((await heroku(small, 'GET', '/account')).status).toBe(200);
          const limited = await heroku<{ id: string; message: string }>(small, 'GET', '/account');
          expect(limited.status).toBe(429);
          expect(limited.body.id).toBe('rate_limit');
          expect(limited.headers.get('ratelimit-remaining')).toBe('0');
          expect(limited.headers.get('retry-after')).toBe('1');
          // 75 tokens a minute: 0.8 s later one is back.
          now += 800;
          expect((await heroku(small, 'GET', '/account')).status).toBe(200);
          expect((await heroku(small, 'GET', '/account')).status).toBe(429);
          now += 60_000;
          const refilled = await heroku(small, 'GET', '/account/rate-limits');
          expect(refilled.body).toEqual({ remaining: 3 });
        },
        { rateLimit: { capacity: 3 }, clock: () => new Date(now) },
      );
    });
  });

  describe('errors', () => {
    it('answers 404 not_found for unknown routes and wrong verbs', async () => {
      for (const [method, path] of [
        ['GET', '/nonsense'],
        ['PUT', '/apps'],
        ['POST', '/account'],
      ] as const) {
        const res = await heroku<{ id: string; message: string }>(sandbox(), method, path, { body: {} });
        expect(res.status).toBe(404);
        expect(res.body.id).toBe('not_found');
        expect(res.body.message).toContain('The requested API endpoint was not found');
      }
    });

    it('answers 400 bad_request to malformed JSON', async () => {
      await createApp(sandbox(), 'json-app');
      const res = await heroku<{ id: string }>(sandbox(), 'PATCH', '/apps/json-app/config-vars', { raw: '{"FOO": ' });
      expect(res.status).toBe(400);
      expect(res.body.id).toBe('bad_request');
    });

    it('answers 413 to a body over 1 MiB and stays up', async () => {
      await createApp(sandbox(), 'big-app');
      const res = await heroku<{ id: string }>(sandbox(), 'PATCH', '/apps/big-app/config-vars', {
        body: { BIG: 'x'.repeat(1024 * 1024 + 10) },
      });
      expect(res.status).toBe(413);
      expect(res.body.id).toBe('request_entity_too_large');
      expect((await heroku(sandbox(), 'GET', '/apps/big-app/config-vars')).body).toEqual({});
    });

    it('answers a malformed request line with 400 and keeps serving', async () => {
      const { port } = new URL(sandbox().url);
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write('GET /account HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
        );
        socket.on('data', (chunk) => {
          text += chunk.toString();
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect((await heroku(sandbox(), 'GET', '/account', { headers: { Accept: HEROKU_ACCEPT } })).status).toBe(200);
    });
  });
});
