import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { HerokuClient, type HttpLogEntry } from '../../../src/providers/heroku/client.js';
import { AuthError, ConflictError, NotFoundError, ProviderError, RateLimitedError } from '../../../src/runtime/errors.js';

const BASE = 'https://api.heroku.example';

function client(log: HttpLogEntry[] = [], sleeps: number[] = []) {
  return new HerokuClient({
    baseUrl: BASE,
    token: 'test-token-123',
    userAgent: 'daffeinated/test',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onHttp: (e) => log.push(e),
  });
}

afterEach(() => {
  nock.cleanAll();
});

describe('HerokuClient', () => {
  it('sends Bearer auth, the v3 Accept header and our user agent', async () => {
    const scope = nock(BASE, {
      reqheaders: {
        authorization: 'Bearer test-token-123',
        accept: 'application/vnd.heroku+json; version=3',
        'user-agent': 'daffeinated/test',
      },
    })
      .get('/apps/demo')
      .reply(200, { id: 'a1', name: 'demo' }, { 'Request-Id': 'req-1', 'RateLimit-Remaining': '4321' });
    const c = client();
    await expect(c.get('/apps/demo')).resolves.toEqual({ id: 'a1', name: 'demo' });
    expect(c.rateLimitRemaining).toBe(4321);
    scope.done();
  });

  it('follows Next-Range to the last page', async () => {
    nock(BASE)
      .get('/apps/demo/releases')
      .reply(206, [{ version: 1 }, { version: 2 }], { 'Next-Range': ']2..; max=2' })
      .get('/apps/demo/releases')
      .matchHeader('range', ']2..; max=2')
      .reply(200, [{ version: 3 }]);
    await expect(client().get('/apps/demo/releases')).resolves.toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('translates errors with status, API id and request id', async () => {
    nock(BASE)
      .get('/apps/missing')
      .reply(404, { id: 'not_found', message: "Couldn't find that app." }, { 'Request-Id': 'req-404' });
    const error = await client().get('/apps/missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, apiCode: 'not_found', requestId: 'req-404' });
    expect((error as Error).message).toContain("Couldn't find that app.");
  });

  it('maps 401 to AuthError with a hint naming HEROKU_API_KEY', async () => {
    nock(BASE).get('/account').reply(401, { id: 'unauthorized', message: 'Invalid credentials provided.' });
    const error = (await client().get('/account').catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.hint).toContain('HEROKU_API_KEY');
  });

  it('maps 422 name conflicts to ConflictError', async () => {
    nock(BASE).post('/apps').reply(422, { id: 'invalid_params', message: 'Name is already taken' });
    nock(BASE).post('/apps').reply(422, { id: 'conflict', message: 'Name is already taken' });
    const first = await client().post('/apps', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ProviderError);
    expect(first).not.toBeInstanceOf(ConflictError);
    const second = await client().post('/apps', { body: { name: 'x' } }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ConflictError);
  });

  it('waits out a 429 using Retry-After, even for a POST', async () => {
    const sleeps: number[] = [];
    nock(BASE)
      .post('/apps')
      .reply(429, { id: 'rate_limit', message: 'Too many requests' }, { 'Retry-After': '3' })
      .post('/apps')
      .reply(201, { id: 'a1', name: 'x' });
    await expect(client([], sleeps).post('/apps', { body: { name: 'x' } })).resolves.toMatchObject({ id: 'a1' });
    expect(sleeps).toEqual([3000]);
  });

  it('retries a 5xx for idempotent requests only', async () => {
    const sleeps: number[] = [];
    nock(BASE).get('/apps/x').reply(503, { id: 'unavailable', message: 'down' }).get('/apps/x').reply(200, { id: 'a' });
    await expect(client([], sleeps).get('/apps/x')).resolves.toEqual({ id: 'a' });
    expect(sleeps).toHaveLength(1);

    const scope = nock(BASE).post('/apps').reply(500, { id: 'internal', message: 'boom' });
    const error = await client().post('/apps', { body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    scope.done();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('never resends a POST after a broken connection (heroku-client would), but retries a GET', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      // The first request of each method is cut off, as by a dropped connection.
      if (seen.filter((s) => s.startsWith(`${req.method} `)).length === 1) req.socket.destroy();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"a"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sleeps: number[] = [];
    const local = new HerokuClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't', userAgent: 'u', sleep: async (ms) => void sleeps.push(ms) });
    try {
      const error = await local.post('/apps/x/addons', { body: { plan: 'heroku-redis:mini' } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ apiCode: 'ECONNRESET', message: 'Could not reach the Heroku API for POST /apps/x/addons: ECONNRESET' });
      await expect(local.get('/apps/x')).resolves.toEqual({ id: 'a' });
      expect(seen).toEqual(['POST /apps/x/addons', 'GET /apps/x', 'GET /apps/x']);
      expect(sleeps).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('gives up after the retry budget with the last error', async () => {
    nock(BASE).get('/apps/x').times(6).reply(500, { id: 'internal', message: 'boom' }, { 'Request-Id': 'req-last' });
    const error = await client().get('/apps/x').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, requestId: 'req-last' });
  });

  it('does not wait out a Retry-After longer than the retry budget: fails at once, saying when to retry', async () => {
    nock(BASE).get('/apps/x').reply(429, { id: 'rate_limit', message: 'slow down' }, { 'Retry-After': '3600' });
    const sleeps: number[] = [];
    const heroku = new HerokuClient({
      baseUrl: BASE,
      token: 'test-token-123',
      userAgent: 'daffeinated/test',
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      now: () => new Date('2026-12-06T10:00:00Z'),
    });
    const error = (await heroku.get('/apps/x').catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(sleeps).toEqual([]);
    expect(error.message).toContain('(the API asks to wait 3600 s, longer than daffeinated waits (120 s): not waited)');
    expect(error.hint).toContain('Run the command again after 2026-12-06T11:00:00Z (in 3600 s).');
  });

  it('reports an unparseable body as a clear ProviderError', async () => {
    nock(BASE).get('/apps/x').reply(200, '<html>gateway</html>');
    const error = (await client().get('/apps/x').catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain('not valid JSON');
  });

  it('find() maps 404 to undefined and rethrows other errors', async () => {
    nock(BASE).get('/apps/none').reply(404, { id: 'not_found', message: 'nope' });
    nock(BASE).get('/apps/forbidden').reply(403, { id: 'forbidden', message: 'no' });
    await expect(client().find('/apps/none')).resolves.toBeUndefined();
    await expect(client().find('/apps/forbidden')).rejects.toBeInstanceOf(AuthError);
  });

  it('logs each exchange without bodies', async () => {
    const log: HttpLogEntry[] = [];
    nock(BASE).patch('/apps/x/config-vars').reply(200, { SECRET: 'value-that-must-not-leak' }, { 'Request-Id': 'r-9' });
    await client(log).patch('/apps/x/config-vars', { body: { SECRET: 'value-that-must-not-leak' } });
    expect(log).toEqual([expect.objectContaining({ method: 'PATCH', path: '/apps/x/config-vars', status: 200, requestId: 'r-9', attempt: 1 })]);
    expect(JSON.stringify(log)).not.toContain('value-that-must-not-leak');
  });
});
