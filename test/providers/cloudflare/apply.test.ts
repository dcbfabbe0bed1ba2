import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { diffAll } from '../../../src/engine/diff.js';
import type { Change } from '../../../src/engine/types.js';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import type { Resource } from '../../../src/model/resource.js';
import { CloudflareProvider } from '../../../src/providers/cloudflare/index.js';
import { DaffError, ProviderError } from '../../../src/runtime/errors.js';
import { API, apiRecord, appConfig, context, failure, hexId, mockRecords, mockZone, newClient, ok, ORIGIN, ZONE, ZONE_ID, zoneConfig } from './fixtures.js';
import { requestProblems } from './openapi.js';

const owners = new Map([[ZONE, 'production']]);
const marker = (env: string) => `managed by daffeinated (${env})`;
const BATCH = `${API}/zones/${ZONE_ID}/dns_records/batch`;
const PHASES = `${API}/zones/${ZONE_ID}/rulesets/phases`;
const dnsOnly = { ...zoneConfig(), tls: undefined, waf: undefined };

/** Reads the zone for `environments` through the provider, then plans with the engine. */
async function planned(provider: CloudflareProvider, environments: string[], zone = dnsOnly): Promise<Change[]> {
  const desired = desiredCloudflare(appConfig(zone), environments);
  const live = await provider.read({ scopes: environments, desired: desired.resources });
  return diffAll({ resources: desired.resources, prune: desired.prune }, live).changes;
}

function captureBatch(reply: () => [number, unknown]): { body?: Record<string, unknown> } {
  const seen: { body?: Record<string, unknown> } = {};
  nock(ORIGIN)
    .post(BATCH, (body: Record<string, unknown>) => {
      seen.body = body;
      return true;
    })
    .reply(() => reply());
  return seen;
}

afterEach(() => {
  nock.cleanAll();
});

describe('CloudflareProvider.apply: DNS', () => {
  it('sends every DNS change of a zone in one batch: deletes, patches, posts, marker in comments', async () => {
    mockZone();
    mockRecords([
      apiRecord({ id: 'gone', type: 'A', name: `gone.${ZONE}`, content: '192.0.2.7', comment: marker('production') }),
      apiRecord({ id: 'apex', type: 'CNAME', name: ZONE, content: 'somewhere-else.example', ttl: 300 }),
      apiRecord({ id: 'mx', type: 'MX', name: ZONE, content: 'mx1.mail.example', priority: 10, proxiable: false }),
    ]);
    const provider = new CloudflareProvider(newClient(), owners);
    const changes = await planned(provider, ['production']);
    const seen = captureBatch(() => [200, ok({ deletes: [], patches: [], puts: [], posts: [] })]);
    const outputs = { 'heroku.domain[production/daffeinated.com]': { cname: 'Apex-1.HerokuDNS.com.' }, 'heroku.domain[production/www.daffeinated.com]': { cname: 'www-1.herokudns.com' } };
    const result = await provider.apply(changes, context(outputs));
    expect(result.failed).toEqual([]);
    // The unmarked MX matches its declaration exactly: adopted in place, nothing to write for it.
    expect(result.applied).toHaveLength(4);
    expect(seen.body).toEqual({
      deletes: [{ id: hexId('gone') }],
      patches: [{ id: hexId('apex'), comment: marker('production'), content: 'apex-1.herokudns.com', proxied: true, ttl: 1 }],
      posts: [
        { type: 'CNAME', name: `www.${ZONE}`, content: 'www-1.herokudns.com', proxied: true, ttl: 1, comment: marker('production') },
        { type: 'TXT', name: ZONE, content: 'v=spf1 include:_spf.mail.example ~all', ttl: 1, comment: marker('production') },
      ],
    });
    expect(requestProblems('POST', '/zones/{zone_id}/dns_records/batch', seen.body)).toEqual([]);
    expect(result.outputs.get('cloudflare.dns[daffeinated.com/CNAME/www]')?.['content']).toBe('www-1.herokudns.com');
  });

  it('fails a zone whose CNAME target is still unknown, before sending anything', async () => {
    mockZone();
    mockRecords([]);
    const provider = new CloudflareProvider(newClient(), owners);
    const changes = await planned(provider, ['staging']);
    const result = await provider.apply(changes, context());
    expect(result.applied).toEqual([]);
    const [failed] = result.failed;
    expect(failed?.address).toBe('cloudflare.dns[daffeinated.com/CNAME/staging]');
    expect(failed?.error).toBeInstanceOf(DaffError);
    expect(failed?.error.message).toContain('content is still unknown at apply time');
    expect(failed?.error.hint).toContain('heroku.domain[staging/staging.daffeinated.com]');
  });

  it('after an ambiguous batch failure, re-reads instead of resending, and succeeds when the batch took effect', async () => {
    mockZone();
    mockRecords([]);
    const provider = new CloudflareProvider(newClient(), owners);
    const changes = await planned(provider, ['staging']);
    const seen = captureBatch(() => [502, failure(10002, 'bad gateway')]);
    mockRecords([apiRecord({ id: 'new', type: 'CNAME', name: `staging.${ZONE}`, content: 'stg-1.herokudns.com', proxied: true, comment: marker('staging') })]);
    const warnings: string[] = [];
    const result = await provider.apply(changes, context({ 'heroku.domain[staging/staging.daffeinated.com]': { cname: 'stg-1.herokudns.com' } }, warnings));
    expect(seen.body?.['posts']).toHaveLength(1);
    expect(result.applied).toEqual(['cloudflare.dns[daffeinated.com/CNAME/staging]']);
    expect(warnings).toEqual([expect.stringContaining('shows it applied')]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('after an ambiguous batch failure that did not take effect, reports the original error and sends it once', async () => {
    mockZone();
    mockRecords([]);
    const provider = new CloudflareProvider(newClient(), owners);
    const changes = await planned(provider, ['staging']);
    let batches = 0;
    captureBatch(() => {
      batches += 1;
      return [500, failure(10001, 'internal error')];
    });
    mockRecords([]);
    const result = await provider.apply(changes, context({ 'heroku.domain[staging/staging.daffeinated.com]': { cname: 'stg-1.herokudns.com' } }));
    expect(batches).toBe(1);
    expect(result.failed[0]?.error).toBeInstanceOf(ProviderError);
    expect(result.failed[0]?.error).toMatchObject({ status: 500, address: 'cloudflare.dns[daffeinated.com/CNAME/staging]' });
  });
});

describe('CloudflareProvider.apply: without a read first', () => {
  it('lists the zone to find record ids, and fails an update whose record has vanished with a re-plan hint', async () => {
    const mx = desiredCloudflare(appConfig(dnsOnly), ['production']).resources.find((r) => r.address === 'cloudflare.dns[daffeinated.com/MX/@]') as Resource;
    const before = { ...mx, attributes: { ...mx.attributes, priority: 20 } };
    mockZone();
    mockRecords([apiRecord({ id: 'txt', type: 'TXT', name: ZONE, content: 'unrelated' })]);
    const result = await new CloudflareProvider(newClient(), owners).apply([change(mx, before)], context());
    expect(result.failed[0]?.error.message).toBe('cloudflare.dns[daffeinated.com/MX/@] no longer exists in Cloudflare');
    expect(result.failed[0]?.error.hint).toContain('daffeinated plan');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

function change(resource: Resource, live: Resource): Change {
  const [result] = diffAll({ resources: [resource], prune: [] }, { resources: [live], deferred: [], diagnostics: [] }).changes;
  if (result === undefined) throw new Error('no change');
  return result;
}

describe('CloudflareProvider.apply: settings and WAF', () => {
  const desired = desiredCloudflare(appConfig(zoneConfig()), ['production']).resources;
  const find = (address: string) => desired.find((r) => r.address === address) as Resource;

  // ssl_automatic_mode has its own endpoint; the bulk PATCH answers 1006 for settings it does not
  // list and changes nothing (terraform-provider-cloudflare PR #4465, issues #1810, #1527).
  it('pins ssl_automatic_mode through its own endpoint first, then the other changed settings in one bulk PATCH', async () => {
    const settings = find('cloudflare.settings[daffeinated.com]');
    const live = { ...settings, attributes: { ...settings.attributes, ssl: 'full', ssl_automatic_mode: 'auto', always_use_https: false } };
    const order: string[] = [];
    let single: unknown;
    let body: { items?: { id: string }[] } = {};
    mockZone();
    nock(ORIGIN)
      .patch(`${API}/zones/${ZONE_ID}/settings/ssl_automatic_mode`, (b: unknown) => {
        single = b;
        order.push('single');
        return true;
      })
      .reply(200, ok({ id: 'ssl_automatic_mode', value: 'custom', editable: true }))
      .patch(`${API}/zones/${ZONE_ID}/settings`, (b: typeof body) => {
        body = b;
        order.push('bulk');
        return true;
      })
      .reply(200, ok([]));
    const result = await new CloudflareProvider(newClient(), owners).apply([change(settings, live)], context());
    expect(result.applied).toEqual(['cloudflare.settings[daffeinated.com]']);
    expect(order).toEqual(['single', 'bulk']);
    expect(single).toEqual({ value: 'custom' });
    expect(body).toEqual({ items: [{ id: 'ssl', value: 'strict' }, { id: 'always_use_https', value: 'on' }] });
    expect(requestProblems('PATCH', '/zones/{zone_id}/settings', body)).toEqual([]);
  });

  it('PUTs a phase with the foreign rules first, as they are now, then ours in app.yaml order', async () => {
    const ruleset = find('cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]');
    const stale = { ...ruleset, attributes: { rules: [] } };
    const foreign = { id: hexId('hand'), ref: 'emergency', action: 'block', expression: '(ip.src eq 192.0.2.1)', description: 'added by hand', enabled: true };
    mockZone();
    let put: { rules?: unknown[] } = {};
    nock(ORIGIN)
      .get(`${PHASES}/http_request_firewall_custom/entrypoint`)
      .reply(200, ok({ rules: [{ ...foreign, version: '2', last_updated: '2026-01-01T00:00:00Z', categories: ['x'] }, { id: hexId('old'), ref: 'daffeinated:old', action: 'block', expression: 'true' }] }))
      .put(`${PHASES}/http_request_firewall_custom/entrypoint`, (b: typeof put) => {
        put = b;
        return true;
      })
      .reply(200, ok({ rules: [] }));
    const result = await new CloudflareProvider(newClient(), owners).apply([change(ruleset, stale)], context());
    expect(result.applied).toEqual([ruleset.address]);
    expect(put).toEqual({ rules: [foreign, { ref: 'daffeinated:block-wp', description: 'WordPress probes', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', enabled: true }] });
    expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', put)).toEqual([]);
  });

  it('removing the phase from app.yaml keeps only the foreign rules', async () => {
    const ruleset = find('cloudflare.ruleset[daffeinated.com/http_ratelimit]');
    const gone = diffAll({ resources: [], prune: ['cloudflare.ruleset@production'] }, { resources: [ruleset], deferred: [], diagnostics: [] }).changes;
    const foreign = { id: hexId('f'), ref: 'by-hand', action: 'block', expression: 'true' };
    mockZone();
    let put: { rules?: unknown[] } = {};
    nock(ORIGIN)
      .get(`${PHASES}/http_ratelimit/entrypoint`)
      .reply(200, ok({ rules: [foreign, { id: hexId('o'), ref: 'daffeinated:login', action: 'block', expression: 'true' }] }))
      .put(`${PHASES}/http_ratelimit/entrypoint`, (b: typeof put) => {
        put = b;
        return true;
      })
      .reply(200, ok({ rules: [foreign] }));
    const result = await new CloudflareProvider(newClient(), owners).apply(gone, context());
    expect(result.applied).toEqual([ruleset.address]);
    expect(put).toEqual({ rules: [foreign] });
  });

  it('creates the entrypoint of an empty phase (10003) with our rules only', async () => {
    const managed = find('cloudflare.ruleset[daffeinated.com/http_request_firewall_managed]');
    mockZone();
    let put: { rules?: unknown[] } = {};
    nock(ORIGIN)
      .get(`${PHASES}/http_request_firewall_managed/entrypoint`)
      .reply(404, failure(10003, 'could not find entrypoint ruleset'))
      .put(`${PHASES}/http_request_firewall_managed/entrypoint`, (b: typeof put) => {
        put = b;
        return true;
      })
      .reply(200, ok({ rules: [] }));
    const result = await new CloudflareProvider(newClient(), owners).apply([change(managed, { ...managed, attributes: { rules: [] } })], context());
    expect(result.failed).toEqual([]);
    expect(put.rules).toEqual([{ ref: 'daffeinated:managed-cloudflare', description: 'Cloudflare Managed Ruleset', action: 'execute', expression: 'true', enabled: true, action_parameters: { id: 'efb7b8c949ac4650a09736fc376e9aee' } }]);
    expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', put)).toEqual([]);
  });
});

describe('request bodies against the OpenAPI subset', () => {
  it('accepts every rule daffeinated writes, and rejects what Cloudflare rejects', () => {
    const desired = desiredCloudflare(appConfig(zoneConfig()), ['production']).resources;
    for (const ruleset of desired.filter((r) => r.kind === 'cloudflare.ruleset')) {
      expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', ruleset.attributes)).toEqual([]);
    }
    expect(requestProblems('POST', '/zones/{zone_id}/dns_records/batch', { posts: [{ type: 'CNAME', name: 'x', ttl: 5 }] })).not.toEqual([]);
    expect(requestProblems('PATCH', '/zones/{zone_id}/settings', { items: [{ id: 'ssl', value: 'superstrict' }] })).not.toEqual([]);
    // The subset's rule action pattern admits underscores (corrected upstream bug: it refused managed_challenge).
    expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', { rules: [{ action: 'managed_challenge', expression: 'true' }] })).toEqual([]);
    const noMode = { action: 'set_cache_settings', expression: 'true', action_parameters: { edge_ttl: { default: 60 } } };
    expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', { rules: [noMode] })).not.toEqual([]);
  });
});
