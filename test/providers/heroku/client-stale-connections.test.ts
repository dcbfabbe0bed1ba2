import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HerokuClient, type HttpLogEntry } from '../../../src/providers/heroku/client.js';
import { ProviderError } from '../../../src/runtime/errors.js';

// The race of Node's `request.reusedSocket`: a request written to a pooled keep-alive connection
// the server closes at that moment. Made deterministic: the server below drops a connection when
// a request arrives on it after an earlier one (a reused connection), instead of answering — what
// a server closing an idle connection as the request arrives looks like to the client.
//
// nock (loaded for every test file by test/setup.ts) gives loopback requests a socket of their own
// per request, whatever the agent: switched off here, where only the server below is talked to.
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

interface Seen {
  readonly method: string;
  readonly url: string;
  /** Which connection it came on, by order of acceptance. */
  readonly connection: number;
  /** Whether the server dropped the connection instead of answering. */
  readonly dropped: boolean;
}

interface Drops {
  /**
   * How the next request on a reused connection is refused: dropped unanswered, dropped after part
   * of the status line, or left unanswered on an open connection.
   */
  next: 'drop' | 'drop mid-answer' | 'ignore' | undefined;
}

const servers: Server[] = [];
const clients: HerokuClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

async function droppingServer(): Promise<{ url: string; seen: Seen[]; drops: Drops }> {
  const seen: Seen[] = [];
  const drops: Drops = { next: undefined };
  const connections = new Map<Socket, { index: number; served: number }>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const connection = connections.get(socket) ?? { index: connections.size, served: 0 };
    connections.set(socket, connection);
    connection.served += 1;
    const drop = connection.served > 1 ? drops.next : undefined;
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      connection: connection.index,
      dropped: drop !== undefined,
    });
    if (drop !== undefined) {
      drops.next = undefined;
      if (drop === 'ignore') return;
      if (drop === 'drop mid-answer') socket.write('HTTP/1.1 20');
      socket.destroy();
      return;
    }
    req.resume().on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"a"}'));
  });
  // Far longer than the client's idle timeout: no connection closes unless a test drops it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, drops };
}

function client(url: string, timeoutMs?: number): { client: HerokuClient; log: HttpLogEntry[]; warnings: string[] } {
  const log: HttpLogEntry[] = [];
  const warnings: string[] = [];
  const made = new HerokuClient({
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    baseUrl: url,
    token: 't',
    userAgent: 'test',
    sleep: async () => {},
    onHttp: (entry) => log.push(entry),
    onRetry: (message) => warnings.push(message),
  });
  clients.push(made);
  return { client: made, log, warnings };
}

const brief = (entries: HttpLogEntry[]) =>
  entries.map(({ method, path, status, attempt, connection }) => ({ method, path, status, attempt, connection }));

describe('HerokuClient on a pooled connection the server has closed', () => {
  it('resends a GET once, at once, on a new connection, and says so in the request log only', async () => {
    const server = await droppingServer();
    const { client: c, log, warnings } = client(server.url);
    await c.get('/apps/a');
    server.drops.next = 'drop';
    await expect(c.get('/apps/b')).resolves.toEqual({ id: 'a' });
    expect(server.seen).toEqual([
      { method: 'GET', url: '/apps/a', connection: 0, dropped: false },
      { method: 'GET', url: '/apps/b', connection: 0, dropped: true },
      { method: 'GET', url: '/apps/b', connection: 1, dropped: false },
    ]);
    expect(brief(log)).toEqual([
      { method: 'GET', path: '/apps/a', status: 200, attempt: 1, connection: undefined },
      { method: 'GET', path: '/apps/b', status: undefined, attempt: 1, connection: 'stale' },
      { method: 'GET', path: '/apps/b', status: 200, attempt: 2, connection: 'fresh' },
    ]);
    expect(warnings).toEqual([]);
    // The pool serves the next request; the resend's connection was not kept.
    await c.get('/apps/c');
    expect(server.seen.at(-1)).toMatchObject({ url: '/apps/c', connection: 2 });
  });

  it('resends PUT, DELETE and PATCH the same way', async () => {
    const server = await droppingServer();
    const { client: c, log, warnings } = client(server.url);
    for (const send of [() => c.put('/x'), () => c.delete('/y'), () => c.patch('/z', { body: { A: '1' } })]) {
      // The previous drop took the pooled connection: one more to reuse.
      await c.get('/apps/a');
      server.drops.next = 'drop';
      await expect(send()).resolves.toEqual({ id: 'a' });
    }
    expect(
      server.seen.filter((s) => s.method !== 'GET').map((s) => `${s.method} ${s.url}${s.dropped ? ' dropped' : ''}`),
    ).toEqual(['PUT /x dropped', 'PUT /x', 'DELETE /y dropped', 'DELETE /y', 'PATCH /z dropped', 'PATCH /z']);
    expect(log.filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.attempt} ${e.connection}`)).toEqual([
      'PUT 1 stale',
      'PUT 2 fresh',
      'DELETE 1 stale',
      'DELETE 2 fresh',
      'PATCH 1 stale',
      'PATCH 2 fresh',
    ]);
    expect(warnings).toEqual([]);
  });

  it('does not resend a POST: it fails saying it may have reached Heroku and what to do', async () => {
    const server = await droppingServer();
    const { client: c, log, warnings } = client(server.url);
    await c.get('/apps/a');
    server.drops.next = 'drop';
    const error = await c
      .post('/apps/a/addons', { body: { plan: 'heroku-postgresql:essential-0' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      apiCode: 'ECONNRESET',
      message:
        'Heroku closed the connection before answering POST /apps/a/addons (a kept-alive connection, reused): ECONNRESET',
      hint: 'The request may have reached Heroku; run the command again: daffeinated adopts what exists.',
    });
    expect(server.seen.filter((s) => s.method === 'POST')).toEqual([
      { method: 'POST', url: '/apps/a/addons', connection: 0, dropped: true },
    ]);
    expect(brief(log).at(-1)).toEqual({
      method: 'POST',
      path: '/apps/a/addons',
      status: undefined,
      attempt: 1,
      connection: 'stale',
    });
    expect(warnings).toEqual([]);
  });

  it('a connection dropped after part of an answer is an ordinary lost connection: retried with backoff, not as stale', async () => {
    const server = await droppingServer();
    const { client: c, log, warnings } = client(server.url);
    await c.get('/apps/a');
    server.drops.next = 'drop mid-answer';
    await expect(c.get('/apps/b')).resolves.toEqual({ id: 'a' });
    expect(
      brief(log)
        .slice(1)
        .map((e) => e.connection),
    ).toEqual([undefined, undefined]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^GET \/apps\/b failed; retry 1 in \d+ ms$/);
  });

  it('a request the client gave up on at its deadline (and closed) is a lost answer, not a stale connection', async () => {
    const server = await droppingServer();
    const { client: c, log, warnings } = client(server.url, 300);
    await c.get('/apps/a');
    server.drops.next = 'ignore';
    await expect(c.get('/apps/b')).resolves.toEqual({ id: 'a' });
    expect(brief(log).slice(1)).toEqual([
      { method: 'GET', path: '/apps/b', status: undefined, attempt: 1, connection: undefined },
      { method: 'GET', path: '/apps/b', status: 200, attempt: 2, connection: undefined },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^GET \/apps\/b failed; retry 1 in \d+ ms$/);
  });

  it('a POST on a connection dropped after part of an answer keeps the ordinary error', async () => {
    const server = await droppingServer();
    const { client: c } = client(server.url);
    await c.get('/apps/a');
    server.drops.next = 'drop mid-answer';
    const error = await c.post('/apps').catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: expect.stringMatching(/^Could not reach the Heroku API for POST \/apps: /),
    });
    expect(server.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });
});
