import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { CloudflareProvider } from '../../../src/providers/cloudflare/index.js';
import { purgeBodies } from '../../../src/providers/cloudflare/purge.js';
import { AuthError } from '../../../src/runtime/errors.js';
import { API, failure, newClient, ok, ORIGIN, ZONE, ZONE_ID } from './fixtures.js';
import { requestProblems } from './openapi.js';

const PURGE = `${API}/zones/${ZONE_ID}/purge_cache`;
const hosts = (count: number) => Array.from({ length: count }, (_, i) => `h${i}.${ZONE}`);

afterEach(() => {
  nock.cleanAll();
});

/** The zone lookup, answering `plan` as the zone's plan. */
function zoneOnPlan(plan: string | undefined): nock.Scope {
  const zone = { id: ZONE_ID, name: ZONE, status: 'active', ...(plan === undefined ? {} : { plan: { legacy_id: plan, name: plan } }) };
  return nock(ORIGIN).get(`${API}/zones`).query({ name: ZONE, per_page: '50' }).reply(200, ok([zone]));
}

/** On `scope`: records the bodies of `count` purge requests, answering each with an id. */
function purges(scope: nock.Scope, count: number, bodies: unknown[]): nock.Scope {
  return scope
    .post(PURGE, (body) => {
      bodies.push(body);
      return true;
    })
    .times(count)
    .reply(200, () => ok({ id: `purge-${bodies.length}` }));
}

function provider(log: HttpLogEntry[] = [], sleeps: number[] = []): CloudflareProvider {
  return new CloudflareProvider(newClient(log, sleeps), new Map([[ZONE, 'production']]));
}

describe('cache purge through the Cloudflare provider', () => {
  it('sends the hosts through the SDK in one POST, a body valid against the official schema', async () => {
    const bodies: unknown[] = [];
    const log: HttpLogEntry[] = [];
    const scope = purges(zoneOnPlan('pro'), 1, bodies);
    const purged = await provider(log).purge(ZONE, { kind: 'selected', hosts: ['www.daffeinated.com', ZONE], prefixes: [] });
    expect(purged).toEqual({ zone: ZONE, plan: 'pro', requests: 1, selection: { kind: 'selected', hosts: ['www.daffeinated.com', ZONE], prefixes: [] } });
    expect(bodies).toEqual([{ hosts: ['www.daffeinated.com', ZONE] }]);
    expect(requestProblems('POST', '/zones/{zone_id}/purge_cache', bodies[0])).toEqual([]);
    expect(log.map((e) => `${e.method} ${e.path}`)).toEqual([`GET /zones?name=${ZONE}`, `POST /zones/${ZONE_ID}/purge_cache`]);
    scope.done();
  });

  it("batches by the plan's items per request: 30 below Enterprise, hosts before prefixes, one request at a time", async () => {
    const bodies: unknown[] = [];
    const scope = purges(zoneOnPlan('business'), 4, bodies);
    const purged = await provider().purge(ZONE, { kind: 'selected', hosts: hosts(61), prefixes: [`${ZONE}/assets`] });
    expect(purged.requests).toBe(4);
    expect(bodies).toEqual([{ hosts: hosts(30) }, { hosts: hosts(60).slice(30) }, { hosts: [`h60.${ZONE}`] }, { prefixes: [`${ZONE}/assets`] }]);
    scope.done();
  });

  it('takes 100 per request on Enterprise, and counts a zone whose plan the API does not name as Free', async () => {
    const enterprise: unknown[] = [];
    const scope = purges(zoneOnPlan('enterprise'), 2, enterprise);
    expect((await provider().purge(ZONE, { kind: 'selected', hosts: hosts(101), prefixes: [] })).requests).toBe(2);
    expect(enterprise.map((b) => (b as { hosts: string[] }).hosts.length)).toEqual([100, 1]);
    scope.done();
    const unknown: unknown[] = [];
    const again = purges(zoneOnPlan(undefined), 2, unknown);
    expect(await provider().purge(ZONE, { kind: 'selected', hosts: hosts(31), prefixes: [] })).toMatchObject({ plan: 'free', requests: 2 });
    again.done();
  });

  it('purges everything in one request', async () => {
    const bodies: unknown[] = [];
    const scope = purges(zoneOnPlan('free'), 1, bodies);
    expect((await provider().purge(ZONE, { kind: 'everything' })).requests).toBe(1);
    expect(bodies).toEqual([{ purge_everything: true }]);
    expect(requestProblems('POST', '/zones/{zone_id}/purge_cache', bodies[0])).toEqual([]);
    scope.done();
  });

  it("waits out a 429's Retry-After through the retry layer and resends the same batch", async () => {
    const sleeps: number[] = [];
    const bodies: unknown[] = [];
    const scope = zoneOnPlan('free')
      .post(PURGE)
      .reply(429, failure(971, 'Please wait and consider throttling your request speed'), { 'Retry-After': '12' });
    purges(scope, 1, bodies);
    expect((await provider([], sleeps).purge(ZONE, { kind: 'selected', hosts: [ZONE], prefixes: [] })).requests).toBe(1);
    expect(sleeps).toEqual([12_000]);
    expect(bodies).toEqual([{ hosts: [ZONE] }]);
    scope.done();
  });

  it('says how many batches were accepted when a later one fails, and sends no more', async () => {
    const bodies: unknown[] = [];
    const scope = purges(zoneOnPlan('pro'), 1, bodies)
      .post(PURGE)
      .reply(403, failure(10000, 'Authentication error'));
    const error = await provider()
      .purge(ZONE, { kind: 'selected', hosts: hosts(90), prefixes: [] })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain('(purge request 2 of 3 for daffeinated.com; the 1 before it were accepted)');
    const cause = (error as Error & { cause?: unknown }).cause as AuthError;
    expect(cause).toBeInstanceOf(AuthError);
    // What to do next is the failed request's own advice (here: the permission to add).
    expect(cause.hint).toContain('Cache Purge');
    expect((error as AuthError).hint).toBe(cause.hint);
    expect(bodies).toHaveLength(1);
    scope.done();
  });

  it('asks for the Cache Purge permission when the token lacks it', async () => {
    const scope = zoneOnPlan('pro').post(PURGE).reply(403, failure(10000, 'Authentication error'));
    const error = (await provider()
      .purge(ZONE, { kind: 'everything' })
      .catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(`${error.message} ${error.hint ?? ''}`).toContain('Zone › Cache Purge › Purge');
    scope.done();
  });
});

describe('purgeBodies', () => {
  it('makes no request for an empty selection', () => {
    expect(purgeBodies({ kind: 'selected', hosts: [], prefixes: [] }, 30)).toEqual([]);
  });
});
