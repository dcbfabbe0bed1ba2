import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient } from '../../../src/providers/cloudflare/client.js';
import { ProviderError } from '../../../src/runtime/errors.js';
import { ZONE_ID } from './fixtures.js';

// Cloudflare answers lost on the way, from a real HTTP server on loopback: a body cut before its
// end is a lost answer, retried for a read; a body trickled a byte at a time (a success or an
// error answer) is cut at the deadline of the whole exchange. Deadlines are injected (ms).
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    }),
  );
});

async function serve(handler: Handler): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const attempt = count;
    req.resume().on('end', () => handler(req, res, attempt));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`, requests: () => count };
}

function client(url: string, timeoutMs = 2_000, retries = 5): CloudflareClient {
  return new CloudflareClient({
    baseUrl: url,
    apiToken: 'cf-lost-answers-token',
    dnsPageSize: 100,
    timeoutMs,
    retryPolicy: { retries, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1_000 },
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const SETTINGS = JSON.stringify({ success: true, errors: [], messages: [], result: [{ id: 'ssl', value: 'strict', editable: true }] });

function trickle(res: ServerResponse, status: number): void {
  res.writeHead(status, JSON_TYPE);
  const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 10);
  res.on('close', () => clearInterval(drip));
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('Cloudflare: lost answers', () => {
  it('a body cut before its end (Content-Length) is retried and the whole body read', async () => {
    const server = await serve((_req, res, attempt) => {
      if (attempt > 1) return void res.writeHead(200, JSON_TYPE).end(SETTINGS);
      res.writeHead(200, { ...JSON_TYPE, 'Content-Length': String(SETTINGS.length) });
      res.write(SETTINGS.slice(0, 30), () => res.socket?.destroy());
    });
    await expect(client(server.url).getSettings(ZONE_ID)).resolves.toEqual([{ id: 'ssl', value: 'strict', editable: true }]);
    expect(server.requests()).toBe(2);
  });

  it('a success trickled a byte at a time: cut at the deadline, naming the endpoint', async () => {
    const server = await serve((_req, res) => trickle(res, 200));
    const error = await failure(client(server.url, 200, 1).getSettings(ZONE_ID));
    expect(error.message).toBe(`Could not reach the Cloudflare API for GET /zones/${ZONE_ID}/settings: timed out`);
    expect(server.requests()).toBe(2);
  });

  it('an error answer trickled a byte at a time: cut at the deadline too', async () => {
    const server = await serve((_req, res) => trickle(res, 503));
    const error = await failure(client(server.url, 200, 0).getSettings(ZONE_ID));
    expect(error.message).toBe(`Could not reach the Cloudflare API for GET /zones/${ZONE_ID}/settings: timed out`);
  });
});
