import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { diffAll } from '../../../src/engine/diff.js';
import type { LiveState } from '../../../src/engine/types.js';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import type { Resource } from '../../../src/model/resource.js';
import type { HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { CloudflareProvider } from '../../../src/providers/cloudflare/index.js';
import { NotFoundError } from '../../../src/runtime/errors.js';
import { API, apiRecord, appConfig, failure, hexId, mockRecords, mockZone, newClient, ok, ORIGIN, ZONE, ZONE_ID, zoneConfig } from './fixtures.js';

const PHASES = `${API}/zones/${ZONE_ID}/rulesets/phases`;
const owners = new Map([[ZONE, 'production']]);
const marker = (env: string) => `managed by daffeinated (${env})`;

/** Heroku domains as the Heroku provider reports them: the CNAMEs' targets resolve from these. */
function herokuDomains(): Resource[] {
  return ['daffeinated.com', 'www.daffeinated.com', 'staging.daffeinated.com'].map((host) => ({
    address: `heroku.domain[${host.startsWith('staging') ? 'staging' : 'production'}/${host}]`,
    provider: 'heroku',
    kind: 'heroku.domain',
    scope: host.startsWith('staging') ? 'staging' : 'production',
    attributes: { cname: `${host.split('.')[0]}-123.herokudns.com` },
    sensitive: [],
  }));
}

function plan(environments: string[], live: LiveState) {
  const desired = desiredCloudflare(appConfig(), environments);
  const heroku = herokuDomains().filter((r) => environments.includes(r.scope));
  return diffAll({ resources: [...desired.resources, ...heroku], prune: desired.prune }, { ...live, resources: [...live.resources, ...heroku] });
}

function read(environments: string[], log: HttpLogEntry[] = []) {
  const provider = new CloudflareProvider(newClient(log), owners);
  const desired = desiredCloudflare(appConfig(), environments).resources;
  return { provider, live: provider.read({ scopes: environments, desired }) };
}

afterEach(() => {
  nock.cleanAll();
});

describe('CloudflareProvider.read: a converged zone plans empty', () => {
  it('normalises what the API normalises and reads everything in two rounds', async () => {
    mockZone();
    mockRecords([
      apiRecord({ id: 'apex', type: 'CNAME', name: 'daffeinated.com', content: 'Daffeinated-123.HerokuDNS.com.', proxied: true, ttl: 1, comment: marker('production') }),
      apiRecord({ id: 'www', type: 'CNAME', name: 'WWW.daffeinated.com', content: 'www-123.herokudns.com', proxied: true, ttl: 1, comment: marker('production') }),
      apiRecord({ id: 'mx', type: 'MX', name: 'daffeinated.com', content: 'MX1.Mail.Example.', priority: 10, proxiable: false, ttl: 1, comment: marker('production') }),
      apiRecord({ id: 'txt', type: 'TXT', name: 'daffeinated.com', content: '"v=spf1 include:_spf.mail.example ~all"', proxiable: false, comment: marker('production') }),
    ]);
    const hsts = { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false } };
    // The bulk listing answers late: ssl_automatic_mode (never in it) must be asked for meanwhile, not after.
    const events: string[] = [];
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply((_uri, _body, callback) => {
        events.push('bulk asked');
        setTimeout(() => {
          events.push('bulk answered');
          callback(null, [200, ok([
            { id: 'ssl', value: 'strict', editable: true },
            { id: 'min_tls_version', value: '1.2', editable: true },
            { id: 'always_use_https', value: 'on', editable: true },
            { id: 'security_header', value: hsts, editable: true },
            { id: 'brotli', value: 'on', editable: true },
          ])]);
        }, 100);
      })
      .get(`${API}/zones/${ZONE_ID}/settings/ssl_automatic_mode`)
      .reply(() => {
        events.push('ssl_automatic_mode asked');
        return [200, ok({ id: 'ssl_automatic_mode', value: 'custom', editable: true })];
      })
      .get(`${PHASES}/http_request_firewall_custom/entrypoint`)
      .reply(200, ok({ id: hexId('custom'), version: '4', rules: [
        { id: hexId('hand'), ref: hexId('hand'), action: 'managed_challenge', expression: '(ip.geoip.country eq "XX")', description: 'added by hand', enabled: true, version: '1', last_updated: '2026-01-01T00:00:00Z' },
        { id: hexId('ours'), ref: 'daffeinated:block-wp', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', description: 'WordPress probes', enabled: true, version: '3', last_updated: '2026-01-01T00:00:00Z' },
      ] }))
      .get(`${PHASES}/http_ratelimit/entrypoint`)
      .reply(200, ok({ rules: [
        { id: hexId('rl'), ref: 'daffeinated:login', action: 'block', expression: '(http.request.uri.path eq "/login")', description: 'Login', version: '2', ratelimit: { characteristics: ['ip.src', 'cf.colo.id'], period: 60, requests_per_period: 10, mitigation_timeout: 600, counting_expression: '', requests_to_origin: false } },
      ] }))
      .get(`${PHASES}/http_request_firewall_managed/entrypoint`)
      .reply(200, ok({ rules: [
        { id: hexId('mg'), ref: 'daffeinated:managed-cloudflare', action: 'execute', expression: 'true', description: 'Cloudflare Managed Ruleset', enabled: true, action_parameters: { id: 'efb7b8c949ac4650a09736fc376e9aee', version: 'latest' }, categories: ['x'] },
      ] }));
    const log: HttpLogEntry[] = [];
    const { live } = read(['production'], log);
    const state = await live;
    expect(state.diagnostics).toEqual([]);
    const result = plan(['production'], state);
    expect(result.changes).toEqual([]);
    // The hand-made rule is reported, and kept (see apply tests); nothing else is unmanaged.
    expect(result.unmanaged).toEqual([
      expect.objectContaining({ address: 'cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]', attribute: `rule:${hexId('hand')}` }),
    ]);
    // Zone lookup, then at once DNS + settings + ssl_automatic_mode (absent from the bulk listing) + 3 phases.
    expect(log).toHaveLength(7);
    expect(events).toEqual(['bulk asked', 'ssl_automatic_mode asked', 'bulk answered']);
    expect(log[0]?.path).toBe(`/zones?name=${ZONE}`);
    expect(state.counts).toEqual({ [`cloudflare.dns@${ZONE}`]: 4 });
  });
});

describe('CloudflareProvider.read: ownership', () => {
  const records = [
    apiRecord({ id: 'stg', type: 'CNAME', name: 'staging.daffeinated.com', content: 'staging-123.herokudns.com', proxied: true, comment: marker('staging') }),
    apiRecord({ id: 'old', type: 'CNAME', name: 'old.daffeinated.com', content: 'old-1.herokudns.com', proxied: true, comment: marker('staging') }),
    apiRecord({ id: 'www', type: 'CNAME', name: 'www.daffeinated.com', content: 'www-123.herokudns.com', proxied: true, comment: marker('production') }),
    apiRecord({ id: 'gone', type: 'A', name: 'gone.daffeinated.com', content: '192.0.2.7', comment: `notes | ${marker('production')}` }),
    apiRecord({ id: 'legacy', type: 'A', name: 'legacy.daffeinated.com', content: '192.0.2.9', comment: 'made by hand' }),
    apiRecord({ id: 'apex', type: 'CNAME', name: 'daffeinated.com', content: 'somewhere-else.example', proxied: false, ttl: 300 }),
    apiRecord({ id: 'mx', type: 'MX', name: 'daffeinated.com', content: 'mx1.mail.example', priority: 10, proxiable: false }),
    apiRecord({ id: 'verify', type: 'TXT', name: 'daffeinated.com', content: '"google-site-verification=abc"', proxiable: false }),
  ];

  it('plans staging against its own records only: deletes its undeclared one, never sees production or foreign records', async () => {
    mockZone();
    mockRecords(records);
    const state = await read(['staging']).live;
    expect(state.resources.map((r) => `${r.scope} ${r.address}`).sort()).toEqual([
      'staging cloudflare.dns[daffeinated.com/CNAME/old]',
      'staging cloudflare.dns[daffeinated.com/CNAME/staging]',
    ]);
    const result = plan(['staging'], state);
    expect(result.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['delete cloudflare.dns[daffeinated.com/CNAME/old]']);
    expect(result.unmanaged).toEqual([]);
  });

  it('plans production: adopts declared records, deletes its undeclared one, reports foreign records unmanaged', async () => {
    const empty = { ...zoneConfig(), tls: undefined, waf: undefined };
    mockZone();
    mockRecords(records);
    const provider = new CloudflareProvider(newClient(), owners);
    const desired = desiredCloudflare(appConfig(empty), ['production']);
    const state = await provider.read({ scopes: ['production'], desired: desired.resources });
    const heroku = herokuDomains().filter((r) => r.scope === 'production');
    const result = diffAll({ resources: [...desired.resources, ...heroku], prune: desired.prune }, { ...state, resources: [...state.resources, ...heroku] });
    expect(result.changes.map((c) => `${c.action} ${c.address} ${c.diffs.map((d) => d.attribute).join(',')}`)).toEqual([
      // Marked for production, no longer declared: pruned.
      'delete cloudflare.dns[daffeinated.com/A/gone] comment,content,name,proxied,ttl,type',
      // The hand-made apex CNAME is declared (an environment domain): adopted, pointed at Heroku, proxied, marked.
      'update cloudflare.dns[daffeinated.com/CNAME/@] comment,content,proxied,ttl',
      // Same content, no marker: adopted in place; the missing marker alone is not a change.
      'create cloudflare.dns[daffeinated.com/TXT/@] comment,content,name,ttl,type',
    ]);
    expect(result.unmanaged.map((u) => u.address)).toEqual([
      'cloudflare.dns[daffeinated.com/A/legacy]',
      'cloudflare.dns[daffeinated.com/TXT/@#google-site-verification=abc]',
    ]);
    expect(state.resources.find((r) => r.address.includes('legacy'))?.scope).toBe(ZONE);
  });

  it('says which zone it cannot find and which permission the token needs', async () => {
    nock(ORIGIN).get(`${API}/zones`).query(true).reply(200, ok([]));
    const error = (await read(['staging']).live.catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('daffeinated.com');
    expect(error.hint).toContain('CLOUDFLARE_API_TOKEN');
  });

  it('asks for ssl_automatic_mode only when tls.mode is declared; a declared setting the listing lacks is asked for after it', async () => {
    const base = zoneConfig();
    const noMode = { ...base, dns: [], waf: undefined, tls: { ...(base.tls as NonNullable<typeof base.tls>), mode: undefined } };
    mockZone();
    mockRecords([]);
    const hsts = { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: false } };
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(200, ok([
        { id: 'min_tls_version', value: '1.2', editable: true },
        { id: 'security_header', value: hsts, editable: true },
      ]))
      .get(`${API}/zones/${ZONE_ID}/settings/always_use_https`)
      .reply(200, ok({ id: 'always_use_https', value: 'on', editable: true }));
    const log: HttpLogEntry[] = [];
    const provider = new CloudflareProvider(newClient(log), owners);
    const state = await provider.read({ scopes: ['production'], desired: desiredCloudflare(appConfig(noMode), ['production']).resources });
    expect(state.resources.find((r) => r.kind === 'cloudflare.settings')?.attributes).toMatchObject({ min_tls_version: '1.2', always_use_https: true });
    const settings = log.map((e) => e.path).filter((p) => p.includes('/settings'));
    expect(settings).toEqual([`/zones/${ZONE_ID}/settings`, `/zones/${ZONE_ID}/settings/always_use_https`]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads an empty phase (10003) as no rules, and warns about a declared setting the plan cannot change', async () => {
    const onlyTls = { ...zoneConfig(), dns: [], waf: { managed: [], custom: [], rateLimits: [] } };
    mockZone();
    mockRecords([]);
    nock(ORIGIN)
      .get(`${API}/zones/${ZONE_ID}/settings`)
      .reply(200, ok([
        { id: 'ssl', value: 'full', editable: true },
        { id: 'min_tls_version', value: '1.0', editable: false },
        { id: 'always_use_https', value: 'off', editable: true },
        { id: 'security_header', value: {}, editable: true },
      ]))
      .get(`${API}/zones/${ZONE_ID}/settings/ssl_automatic_mode`)
      .reply(200, ok({ id: 'ssl_automatic_mode', value: 'custom', editable: true }));
    for (const phase of ['http_request_firewall_custom', 'http_ratelimit', 'http_request_firewall_managed']) {
      nock(ORIGIN).get(`${PHASES}/${phase}/entrypoint`).reply(404, failure(10003, 'could not find entrypoint ruleset'));
    }
    const provider = new CloudflareProvider(newClient(), owners);
    const state = await provider.read({ scopes: ['production'], desired: desiredCloudflare(appConfig(onlyTls), ['production']).resources });
    expect(state.resources.filter((r) => r.kind === 'cloudflare.ruleset').map((r) => r.attributes)).toEqual([{ rules: [] }, { rules: [] }, { rules: [] }]);
    expect(state.resources.find((r) => r.kind === 'cloudflare.settings')?.attributes).toEqual({
      ssl: 'full',
      ssl_automatic_mode: 'custom',
      min_tls_version: '1.0',
      always_use_https: false,
      hsts: { enabled: false, max_age: 0, include_subdomains: false, preload: false, nosniff: false },
    });
    expect(state.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('min_tls_version') })]);
  });
});
