import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { RetryBudget } from '../../../src/runtime/budget.js';
import { mayHaveHappened, ProviderError } from '../../../src/runtime/errors.js';

// Answers lost on the way, from a real HTTP server on loopback: a body cut before its end
// (Content-Length or chunked), no answer at all, a body trickled a byte at a time. heroku-client
// alone never settled the first (exit 13, no output) and never ended the last; each is now a
// lost answer naming the endpoint: retried for a read, final for a POST, within the deadline.
// Deadlines are injected (ms, not the production 30 s).
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;
const servers: Server[] = [];
const clients: HerokuClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    }),
  );
});

/** A server answering the n-th request (from 1) with `handler`; the count is returned with it. */
async function serve(handler: Handler): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const attempt = count;
    req.resume().on('end', () => handler(req, res, attempt));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count };
}

function client(url: string, options: { timeoutMs?: number; budget?: RetryBudget; retries?: number } = {}): HerokuClient {
  const made = new HerokuClient({
    baseUrl: url,
    token: 'lost-answers-token',
    userAgent: 'daffeinated/test',
    timeoutMs: options.timeoutMs ?? 2_000,
    retryPolicy: { retries: options.retries ?? 5, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1_000 },
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  clients.push(made);
  return made;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const VARS = '{"NODE_ENV":"production","SESSION_SECRET":"kept-as-it-is"}';

/** Headers promising the whole of `VARS`, then half of it, then the connection closed. */
const cutByLength: Handler = (_req, res) => {
  res.writeHead(200, { ...JSON_TYPE, 'Content-Length': String(VARS.length) });
  res.write(VARS.slice(0, 20), () => res.socket?.destroy());
};
/** A chunked answer whose last chunk never comes. */
const cutChunked: Handler = (_req, res) => {
  res.writeHead(200, JSON_TYPE);
  res.write(VARS.slice(0, 20), () => res.socket?.destroy());
};
const whole: Handler = (_req, res) => {
  res.writeHead(200, JSON_TYPE).end(VARS);
};

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('Heroku: a body cut before its end', () => {
  for (const [name, cut] of [
    ['Content-Length', cutByLength],
    ['chunked', cutChunked],
  ] as const) {
    it(`(${name}) is a lost answer: a read is retried and gets the whole body`, async () => {
      const server = await serve((req, res, attempt) => (attempt === 1 ? cut(req, res, attempt) : whole(req, res, attempt)));
      await expect(client(server.url).get('/apps/demo/config-vars')).resolves.toEqual(JSON.parse(VARS));
      expect(server.requests()).toBe(2);
    });

    it(`(${name}) every time: an error naming the endpoint after the retries, never a hang`, async () => {
      const server = await serve(cut);
      const error = await failure(client(server.url, { retries: 2 }).get('/apps/demo/config-vars'));
      expect(error.message).toBe("Heroku's answer to GET /apps/demo/config-vars (HTTP 200) was cut off before the end of its body");
      expect(error.apiCode).toBe('response_cut');
      expect(error.hint).toMatch(/running the same command again continues/);
      expect(server.requests()).toBe(3);
    });
  }

  it('for a POST: not resent, and it may have happened', async () => {
    const server = await serve(cutByLength);
    const error = await failure(client(server.url).post('/apps', { body: { name: 'demo' } }));
    expect(error.message).toMatch(/^Heroku's answer to POST \/apps \(HTTP 200\) was cut off/);
    expect(mayHaveHappened(error)).toBe(true);
    expect(server.requests()).toBe(1);
  });

  it('on a later page of a listing: retried from the first page', async () => {
    const server = await serve((req, res, attempt) => {
      if (req.headers.range === 'id ..; max=1000') {
        res.writeHead(206, { ...JSON_TYPE, 'Next-Range': ']a..; max=1000' }).end('[{"id":"a"}]');
      } else if (attempt === 2) cutChunked(req, res, attempt);
      else res.writeHead(200, JSON_TYPE).end('[{"id":"b"}]');
    });
    await expect(client(server.url).get('/apps/demo/releases')).resolves.toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(server.requests()).toBe(4);
  });
});

describe('Heroku: deadlines', () => {
  it('no answer at all: a timeout naming the endpoint within the deadline, retried for a read', async () => {
    const server = await serve(() => {});
    const started = performance.now();
    const error = await failure(client(server.url, { timeoutMs: 150, retries: 1 }).get('/apps/demo/config-vars'));
    expect(error.message).toBe('Heroku gave no answer to GET /apps/demo/config-vars within 150 ms');
    expect(error.apiCode).toBe('timeout');
    expect(server.requests()).toBe(2);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a body trickled a byte at a time: cut at the deadline of the whole exchange', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, JSON_TYPE);
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(' ')), 10);
      res.on('close', () => clearInterval(drip));
    });
    const error = await failure(client(server.url, { timeoutMs: 200, retries: 0 }).get('/apps/demo/config-vars'));
    expect(error.message).toBe('Heroku gave an answer (HTTP 200) not finished to GET /apps/demo/config-vars within 200 ms');
    expect(error.apiCode).toBe('timeout');
  });

  it("the command's retry budget ends the retries before the retry count does, and says so", async () => {
    const server = await serve(() => {});
    const budget = new RetryBudget(250);
    const error = await failure(client(server.url, { timeoutMs: 100, budget, retries: 5 }).get('/apps/demo/formation'));
    expect(error.message).toMatch(
      /^Heroku gave no answer to GET \/apps\/demo\/formation within 100 ms \(not retried: this command has spent its 250 ms retry budget/,
    );
    expect(server.requests()).toBeLessThan(6);
    expect(server.requests()).toBeGreaterThanOrEqual(2);
  });
});
