import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import { describeError, ProviderError } from '../../../src/runtime/errors.js';
import { convergedStaging, desired, PIPELINE_ID } from './fixtures.js';
import { BASE, provider } from './support.js';

// Bad responses on Heroku's read path: a body of the wrong shape, a field missing, an HTML error
// page, a body cut in half. Each is a ProviderError naming the endpoint and what was wrong (never
// a TypeError, never a diff built on it); unexpected extra fields are ignored.
afterEach(() => {
  nock.cleanAll();
});

/** A reply other than a 200 JSON body. */
class Raw {
  constructor(
    readonly status: number,
    readonly body: string | object,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Serves staging as converged, with `parts` replaced; every reply may be asked for again (retries). */
function serve(parts: Record<string, unknown>): void {
  for (const [suffix, part] of Object.entries({ ...convergedStaging(), ...parts })) {
    const reply = part instanceof Raw ? part : new Raw(200, part as object);
    nock(BASE)
      .get(`/apps/demo-staging${suffix}`)
      .times(6)
      .reply(reply.status, reply.body, { 'Request-Id': `req${suffix.replaceAll('/', '-')}`, ...reply.headers });
  }
  nock(BASE).get('/pipelines/demo-pipe').times(6).reply(200, { id: PIPELINE_ID, name: 'demo-pipe' });
}

async function readError(parts: Record<string, unknown>): Promise<ProviderError> {
  serve(parts);
  const error = await provider()
    .read({ scopes: ['staging'], desired: desired().resources })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

describe('Heroku: bad responses are clear errors', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['config vars as a list', { '/config-vars': ['NODE_ENV=production'] }, /GET \/apps\/demo-staging\/config-vars with an unexpected body: \$ is a list, not an object/],
    ['a config var that is a number', { '/config-vars': { NODE_ENV: 3 } }, /config-vars with an unexpected body: \$\.NODE_ENV is number 3, not a string/],
    ['a formation without type', { '/formation': [{ id: 'f1', quantity: 1, size: 'Basic' }] }, /GET \/apps\/demo-staging\/formation with an unexpected body: \$\[0\]\.type is missing, not a string/],
    ['an add-on without plan', { '/addons': [{ id: 'a1', name: 'pg', config_vars: [], addon_service: { id: 's', name: 'heroku-postgresql' }, state: 'provisioned' }] }, /GET \/apps\/demo-staging\/addons with an unexpected body: \$\[0\]\.plan is missing, not an object/],
    ['an app whose name is not a string', { '': { ...(convergedStaging()[''] as object), name: 42 } }, /GET \/apps\/demo-staging with an unexpected body: \$\.name is number 42, not a string/],
    ['a domain list that is an object', { '/domains': { hostname: 'staging.demo.example' } }, /GET \/apps\/demo-staging\/domains with an unexpected body: \$ is an object, not a list/],
    ['a JSON body cut in half', { '/features': new Raw(200, '[{"id":"ft1","name":"preb', JSON_TYPE) }, /Heroku answered GET \/apps\/demo-staging\/features with a body that is not valid JSON \(cut short\?\)/],
    ['an HTML page with 200', { '/log-drains': new Raw(200, HTML, { 'Content-Type': 'text/html' }) }, /Heroku answered GET \/apps\/demo-staging\/log-drains with an HTML page instead of JSON/],
    ['a 502 HTML page', { '/buildpack-installations': new Raw(502, HTML, { 'Content-Type': 'text/html' }) }, /Heroku rejected GET \/apps\/demo-staging\/buildpack-installations: HTTP 502 \(an HTML page, not an API answer/],
    ['a 404 that is not Heroku\'s (an HTML page): not "the app does not exist"', { '': new Raw(404, HTML, { 'Content-Type': 'text/html' }) }, /Heroku rejected GET \/apps\/demo-staging: HTTP 404 \(an HTML page, not an API answer/],
    ['an empty 200 body for a list', { '/addons': new Raw(200, '', JSON_TYPE) }, /GET \/apps\/demo-staging\/addons with an unexpected body: the body is empty/],
    // heroku-client parses an empty body as {}: read as "no config vars", every var was planned as new.
    ['an empty 200 body for config vars', { '/config-vars': new Raw(200, '', JSON_TYPE) }, /GET \/apps\/demo-staging\/config-vars with an unexpected body: the body is empty/],
    ['a 204 for config vars', { '/config-vars': new Raw(204, '') }, /GET \/apps\/demo-staging\/config-vars with an unexpected body: no body at all \(HTTP 204 No Content\)/],
    ['an error object with status 200 for config vars', { '/config-vars': { id: 'service_unavailable', message: 'API is temporarily unavailable.' } }, /config-vars with an unexpected body: the body is an error \(service_unavailable: API is temporarily unavailable\.\), not the answer/],
    ['config vars as JSON text that is not JSON by its type', { '/config-vars': new Raw(200, '{}', { 'Content-Type': 'text/plain' }) }, /config-vars with an unexpected body: the body is of type text\/plain, not JSON/],
    ['a coupling without id (an empty object)', { '/pipeline-couplings': {} }, /GET \/apps\/demo-staging\/pipeline-couplings with an unexpected body: \$\.id is missing, not a string/],
    ['an empty 200 body for a coupling', { '/pipeline-couplings': new Raw(200, '', JSON_TYPE) }, /pipeline-couplings with an unexpected body: the body is empty/],
  ];
  for (const [name, parts, message] of cases) {
    it(`${name}: a ProviderError naming the endpoint and the problem`, async () => {
      const error = await readError(parts);
      expect(error.message).toMatch(message);
      expect(error.provider).toBe('heroku');
      expect(describeError(error)).toMatch(/request id req/);
      expect(error.hint).toBeDefined();
    });
  }

  it('unexpected extra fields are ignored: a converged app still plans no change', async () => {
    const parts = convergedStaging();
    const extra = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(extra) : typeof value === 'object' && value !== null ? { ...value, surprise: { nested: [1, 2] } } : value;
    serve(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, k === '/config-vars' ? v : extra(v)])));
    const live = await provider().read({ scopes: ['staging'], desired: desired().resources });
    expect(buildPlan(desired(), live, ['staging'], { digestKey: 'k' }).changes).toEqual([]);
  });
});
