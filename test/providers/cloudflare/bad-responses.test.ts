import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError, ProviderError } from '../../../src/runtime/errors.js';
import { API, apiRecord, mockZone, newClient, ok, ORIGIN, ZONE, ZONE_ID } from './fixtures.js';

// Bad responses on Cloudflare's read path: results of the wrong shape, fields missing, HTML pages
// (with 200 or 502), bodies cut in half. Each is a ProviderError naming the endpoint and what was
// wrong — never a TypeError deep in a diff, never a diff built on it; extra fields are ignored.
afterEach(() => {
  nock.cleanAll();
});

const RAY = { 'cf-ray': '8f00aa11bb22cc33-SBX' };
const JSON_TYPE = { 'Content-Type': 'application/json', ...RAY };
const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>';
const RECORDS = `${API}/zones/${ZONE_ID}/dns_records`;
const SETTINGS = `${API}/zones/${ZONE_ID}/settings`;
const PHASE = `${API}/zones/${ZONE_ID}/rulesets/phases/http_request_firewall_custom/entrypoint`;

async function failure(run: () => Promise<unknown>): Promise<ProviderError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const records = (...items: unknown[]) => ok(items, { result_info: { page: 1, per_page: 100, count: items.length, total_count: items.length, total_pages: 1 } });
const listRecords = () => newClient().listRecords(ZONE_ID);
const listing = () => nock(ORIGIN).get(RECORDS).query({ page: '1', per_page: '100' });

describe('Cloudflare: bad responses are clear errors', () => {
  it('a DNS record without name', async () => {
    const { name: _name, ...nameless } = apiRecord({ id: 'a', type: 'A', name: `www.${ZONE}`, content: '192.0.2.1' });
    listing().reply(200, records(nameless), RAY);
    const error = await failure(listRecords);
    expect(error.message).toMatch(/Cloudflare answered GET \/zones\/\w+\/dns_records\?page=1&per_page=100 with an unexpected body: \$\.result\[0\]\.name is missing, not a string/);
    expect(describeError(error)).toContain('request id 8f00aa11bb22cc33-SBX');
  });

  it('a DNS record whose ttl is a string', async () => {
    listing().reply(200, records(apiRecord({ id: 'a', type: 'A', name: `www.${ZONE}`, content: '192.0.2.1', ttl: 'auto' })), RAY);
    expect((await failure(listRecords)).message).toMatch(/\$\.result\[0\]\.ttl is the string "auto", not a number/);
  });

  it('a DNS listing without result (the SDK would read it as an empty zone, planning every record anew)', async () => {
    listing().reply(200, { success: true, errors: [], messages: [] }, RAY);
    expect((await failure(listRecords)).message).toMatch(/with an unexpected body: \$\.result is missing, not a list/);
  });

  it('a DNS listing cut in half', async () => {
    listing().reply(200, '{"success":true,"errors":[],"result":[{"id":"a","type":"A","na', JSON_TYPE);
    expect((await failure(listRecords)).message).toMatch(/GET \/zones\/\w+\/dns_records\?page=1&per_page=100 with an unexpected body: the body is not valid JSON \(cut short\?\)/);
  });

  it('an HTML page answered with 200', async () => {
    listing().reply(200, HTML, { 'Content-Type': 'text/html', ...RAY });
    expect((await failure(listRecords)).message).toMatch(/with an unexpected body: the body is an HTML page, not the API's JSON/);
  });

  it('a 502 HTML page, retried, then named', async () => {
    listing().times(6).reply(502, HTML, { 'Content-Type': 'text/html', ...RAY });
    const error = await failure(listRecords);
    expect(error.message).toMatch(/Cloudflare rejected GET \/zones\/\w+\/dns_records\?page=1&per_page=100: HTTP 502 \(an HTML page, not an API answer/);
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('<html>');
  });

  it('a zone lookup whose result is null', async () => {
    nock(ORIGIN).get(`${API}/zones`).query(true).reply(200, ok(null), RAY);
    expect((await failure(() => newClient().findZone(ZONE))).message).toMatch(/GET \/zones\?name=daffeinated\.com with an unexpected body: \$\.result is null, not a list/);
  });

  it('settings that are not a list', async () => {
    nock(ORIGIN).get(SETTINGS).reply(200, ok({ ssl: 'strict' }), RAY);
    expect((await failure(() => newClient().getSettings(ZONE_ID))).message).toMatch(/GET \/zones\/\w+\/settings with an unexpected body: \$\.result is an object, not a list/);
  });

  it('a setting without id', async () => {
    nock(ORIGIN).get(SETTINGS).reply(200, ok([{ value: 'strict' }]), RAY);
    expect((await failure(() => newClient().getSettings(ZONE_ID))).message).toMatch(/\$\.result\[0\]\.id is missing, not a string/);
  });

  it('a ruleset whose rules are not a list', async () => {
    nock(ORIGIN).get(PHASE).reply(200, ok({ id: 'rs', rules: { ref: 'x' } }), RAY);
    expect((await failure(() => newClient().getPhase(ZONE_ID, 'http_request_firewall_custom'))).message).toMatch(
      /GET \/zones\/\w+\/rulesets\/phases\/http_request_firewall_custom\/entrypoint with an unexpected body: \$\.result\.rules is an object, not a list/,
    );
  });

  it('a ruleset with a rule without id (read as live, the phase would be rewritten)', async () => {
    const rule = { ref: 'block-admin', action: 'block', expression: 'http.request.uri.path eq "/admin"', enabled: true };
    nock(ORIGIN).get(PHASE).reply(200, ok({ id: 'rs', rules: [rule] }), RAY);
    expect((await failure(() => newClient().getPhase(ZONE_ID, 'http_request_firewall_custom'))).message).toMatch(
      /entrypoint with an unexpected body: \$\.result\.rules\[0\]\.id is missing, not a string/,
    );
  });

  it('an empty 200 body', async () => {
    listing().reply(200, '', JSON_TYPE);
    expect((await failure(listRecords)).message).toMatch(/dns_records\?page=1&per_page=100 with an unexpected body: the body is empty/);
  });

  it('a 204 for a listing', async () => {
    listing().reply(204, '', RAY);
    expect((await failure(listRecords)).message).toMatch(/dns_records\?page=1&per_page=100 with an unexpected body: no body at all \(HTTP 204 No Content\)/);
  });

  it('unexpected extra fields are ignored', async () => {
    listing().reply(200, { ...records({ ...apiRecord({ id: 'a', type: 'A', name: `www.${ZONE}`, content: '192.0.2.1' }), surprise: { x: 1 } }), extra: true }, RAY);
    const listed = await listRecords();
    expect(listed.map((r) => [r.type, r.name, r.content])).toEqual([['A', `www.${ZONE}`, '192.0.2.1']]);
    mockZone();
    expect((await newClient().findZone(ZONE)).id).toBe(ZONE_ID);
  });
});
