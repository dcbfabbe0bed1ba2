import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient, type HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { ProviderError } from '../../../src/runtime/errors.js';
import { ok, ZONE_ID } from './fixtures.js';

// What holds for the Cloudflare client on a pooled keep-alive connection the server closes as a
// request arrives (made deterministic: the server drops a reused connection instead of answering).
// fetch's undici resends nothing and says nothing of reuse; the SDK's own resending is off
// (`maxRetries: 0`): the failure is a lost connection for the one retry layer, which resends
// idempotent requests after its backoff and never the DNS batch.
//
// nock (loaded for every test file by test/setup.ts) also intercepts fetch: switched off here.
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

async function droppingServer(): Promise<{ url: string; seen: string[]; dropNextReused: () => void }> {
  const seen: string[] = [];
  let drop = false;
  const served = new Map<Socket, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const count = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, count);
    const dropped = drop && count > 1;
    seen.push(`${req.method} ${req.url}${dropped ? ' dropped' : ''}`);
    if (dropped) {
      drop = false;
      req.socket.destroy();
      return;
    }
    req
      .resume()
      .on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(ok([]))));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`,
    seen,
    dropNextReused: () => {
      drop = true;
    },
  };
}

function client(url: string) {
  const log: HttpLogEntry[] = [];
  const sleeps: number[] = [];
  const made = new CloudflareClient({
    baseUrl: url,
    apiToken: 't',
    concurrency: 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onHttp: (entry) => log.push(entry),
  });
  return { client: made, log, sleeps };
}

/**
 * Runs `call` until one of its requests met a dropped connection (at most 20 times): undici puts a
 * connection back in its pool a little after the answer, so a request may still go out on a new one.
 * Returns what the server saw during that last call and how it ended.
 */
async function untilDropped(
  server: Awaited<ReturnType<typeof droppingServer>>,
  call: () => Promise<unknown>,
): Promise<{ seen: string[]; outcome: unknown }> {
  for (let i = 0; i < 20; i++) {
    const before = server.seen.length;
    server.dropNextReused();
    const outcome = await call().catch((error: unknown) => error);
    const seen = server.seen.slice(before);
    if (seen.some((s) => s.endsWith('dropped'))) return { seen, outcome };
  }
  throw new Error('no request was sent on a reused connection');
}

const SETTINGS = `/client/v4/zones/${ZONE_ID}/settings`;
const BATCH = `/client/v4/zones/${ZONE_ID}/dns_records/batch`;

describe('CloudflareClient on a pooled connection the server has closed', () => {
  it('resends a read through the retry layer, after its backoff', async () => {
    const server = await droppingServer();
    const { client: c, log, sleeps } = client(server.url);
    await c.getSettings(ZONE_ID);
    const { seen, outcome } = await untilDropped(server, () => c.getSettings(ZONE_ID));
    expect(outcome).toEqual([]);
    expect(seen).toEqual([`GET ${SETTINGS} dropped`, `GET ${SETTINGS}`]);
    expect(log.slice(-2).map((e) => [e.status, e.attempt])).toEqual([
      [undefined, 1],
      [200, 2],
    ]);
    expect(sleeps).toHaveLength(1);
  });

  it('never resends the DNS batch: it fails as a lost connection', async () => {
    const server = await droppingServer();
    const { client: c } = client(server.url);
    await c.getSettings(ZONE_ID);
    const batch = { deletes: [{ id: 'a'.repeat(32) }], patches: [], puts: [], posts: [] };
    const { seen, outcome } = await untilDropped(server, () => c.batchRecords(ZONE_ID, batch));
    expect(seen).toEqual([`POST ${BATCH} dropped`]);
    expect(outcome).toBeInstanceOf(ProviderError);
    expect((outcome as ProviderError).status).toBeUndefined();
  });
});
