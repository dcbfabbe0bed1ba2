import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudflareClient } from '../../src/providers/cloudflare/client.js';
import { HerokuClient } from '../../src/providers/heroku/client.js';
import { errorShows, ProviderError } from '../../src/runtime/errors.js';
import { API, ORIGIN, ZONE_ID } from './cloudflare/fixtures.js';

// A library's error can quote the request it failed on, headers and all: nock's "No match for
// request" does (an interceptor for another path makes one here), and so may a proxy's error
// page. Neither client may keep such a text in what it throws — not in the message, and not in
// the cause chain that --debug prints.
const CF_TOKEN = 'cf-token-never-shown-5a1e';
const HEROKU_TOKEN = 'heroku-token-never-shown-9c2b';
const fast = { retryPolicy: { retries: 0, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }, sleep: async () => {} };

afterEach(() => {
  nock.cleanAll();
});

describe('API tokens in errors thrown below the clients', () => {
  it('Cloudflare: a connection error that quotes the Authorization header is scrubbed and its cause dropped', async () => {
    nock(ORIGIN).get('/elsewhere').reply(200, {});
    const client = new CloudflareClient({ baseUrl: `${ORIGIN}${API}`, apiToken: CF_TOKEN, ...fast });
    const error = await client.listRecords(ZONE_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/Could not reach the Cloudflare API/);
    expect(errorShows(error, [CF_TOKEN])).toBe(false);
  });

  it('Heroku: the same for a request heroku-client could not send', async () => {
    nock('https://api.heroku.example').get('/elsewhere').reply(200, {});
    const client = new HerokuClient({ baseUrl: 'https://api.heroku.example', token: HEROKU_TOKEN, userAgent: 'daffeinated/test', ...fast });
    const error = await client.get('/apps/demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(errorShows(error, [HEROKU_TOKEN])).toBe(false);
  });

  it('errorShows looks down the cause chain', () => {
    const inner = new Error(`sent Authorization: Bearer ${CF_TOKEN}`);
    expect(errorShows(new Error('outer', { cause: inner }), [CF_TOKEN])).toBe(true);
    expect(errorShows(new Error('outer'), [CF_TOKEN])).toBe(false);
  });
});
