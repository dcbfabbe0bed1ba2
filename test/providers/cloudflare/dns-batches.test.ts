import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diffAll } from '../../../src/engine/diff.js';
import type { DnsRecordConfig, ZoneConfig } from '../../../src/model/config.js';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import type { Resource } from '../../../src/model/resource.js';
import { CloudflareClient } from '../../../src/providers/cloudflare/client.js';
import { batchLimit } from '../../../src/providers/cloudflare/dns-apply.js';
import { CloudflareProvider } from '../../../src/providers/cloudflare/index.js';
import { ProviderError } from '../../../src/runtime/errors.js';
import { type SandboxHandle, startSandbox } from '../../../src/sandbox/index.js';
import { API, apiRecord, appConfig, context, hexId, mockRecords, ok, ORIGIN, ZONE, ZONE_ID, zoneConfig } from './fixtures.js';

// A zone's DNS changes go out in batches of at most the plan's limit (Free 200; Pro, Business,
// Enterprise 3,500), deletes before patches before posts across batches as within one, one batch
// after another; a failed batch stops the zone there and says which addresses went through.

const owners = new Map([[ZONE, 'production']]);
const EXTRA = 450;
const at = { file: 'app.yaml', line: 1, col: 1 };
const extra: DnsRecordConfig[] = Array.from({ length: EXTRA }, (_, i) => ({
  name: `h${String(i).padStart(3, '0')}`,
  type: 'A',
  content: `192.0.2.${i % 250}`,
  ttl: 300,
  proxied: undefined,
  priority: undefined,
  comment: undefined,
  source: at,
}));
const bigZone: ZoneConfig = { ...zoneConfig(), dns: extra, tls: undefined, waf: undefined };

/** The production domains as the Heroku provider reports them: the zone's CNAMEs point at these. */
const heroku: Resource[] = ['daffeinated.com', 'www.daffeinated.com'].map((host) => ({
  address: `heroku.domain[production/${host}]`,
  provider: 'heroku',
  kind: 'heroku.domain',
  scope: 'production',
  attributes: { cname: `${host.split('.')[0]}-123.herokudns.com` },
  sensitive: [],
}));
const outputs = Object.fromEntries(heroku.map((r) => [r.address, r.attributes]));

async function plan(provider: CloudflareProvider, zone = bigZone) {
  const desired = desiredCloudflare(appConfig(zone), ['production']);
  const live = await provider.read({ scopes: ['production'], desired: desired.resources });
  return diffAll({ resources: [...desired.resources, ...heroku], prune: desired.prune }, { ...live, resources: [...live.resources, ...heroku] }).changes;
}

describe('batchLimit', () => {
  it('is 200 on Free, 3,500 on Pro, Business and Enterprise, and 200 for a plan it does not know', () => {
    const zone = (legacy_id?: string) => ({ id: ZONE_ID, name: ZONE, ...(legacy_id === undefined ? {} : { plan: { legacy_id } }) });
    expect(['free', 'pro', 'business', 'enterprise', 'galactic', undefined].map((plan) => batchLimit(zone(plan)))).toEqual([200, 3500, 3500, 3500, 200, 200]);
  });
});

describe('DNS batches against the sandbox (a Free zone: 200 operations per batch)', () => {
  let sandbox: SandboxHandle;
  const provider = () => new CloudflareProvider(new CloudflareClient({ baseUrl: `${sandbox.url}/client/v4`, apiToken: 'cf-test-token' }), owners);
  const batches = () => sandbox.requestLog().filter((e) => e.method === 'POST' && e.path.endsWith('/dns_records/batch'));
  const liveNames = () => (sandbox.state().cloudflare.zones[0]?.records ?? []).map((r) => r.name);

  beforeAll(async () => {
    // A Free zone added before 2024-09-01: it may hold 1,000 records (450 fit), and its batches still hold 200.
    sandbox = await startSandbox({ port: 0, seed: 7, zones: [ZONE], clock: () => new Date('2024-06-01T12:00:00Z') });
  });
  beforeEach(async () => {
    await sandbox.reset();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('creates 452 records in 3 batch requests, and the re-plan is empty', async () => {
    const cf = provider();
    const changes = await plan(cf);
    expect(changes).toHaveLength(EXTRA + 2);
    sandbox.resetLog();
    const result = await cf.apply(changes, context(outputs));
    expect(result.failed).toEqual([]);
    expect(result.notAttempted).toEqual([]);
    expect(result.applied).toHaveLength(EXTRA + 2);
    expect(batches().map((e) => e.status)).toEqual([200, 200, 200]);
    expect(sandbox.requestLog().map((e) => e.method)).toEqual(['POST', 'POST', 'POST']);
    expect(await plan(provider())).toEqual([]);
  });

  it('a second batch that fails stops there: the first applied, the second failed, the third not sent; a re-run completes', async () => {
    const cf = provider();
    const changes = await plan(cf);
    // The apply reuses the read's zone and records: request 1 is the first batch, request 2 the second.
    sandbox.setFaults({ failRequests: [{ request: 2, kind: 'server_error' }] });
    sandbox.resetLog();
    const result = await cf.apply(changes, context(outputs));
    sandbox.setFaults({});
    expect(batches().map((e) => e.status)).toEqual([200, 500]);
    // The first 200 addresses by address order, which puts the two CNAMEs last, in the third batch.
    const order = changes.map((c) => c.address).sort();
    expect(result.applied).toEqual(order.slice(0, 200));
    expect(result.failed.map((f) => f.address)).toEqual(order.slice(200, 400));
    expect(result.notAttempted).toEqual(order.slice(400));
    expect(result.notAttempted).toContain('cloudflare.dns[daffeinated.com/CNAME/www]');
    const [first] = result.failed;
    expect(first?.error).toBeInstanceOf(ProviderError);
    expect(first?.error).toMatchObject({ status: 500, address: order[200] });
    // The 500 was ambiguous: the zone was listed again before giving up, and nothing was resent.
    expect(sandbox.requestLog().map((e) => `${e.method} ${e.path.split('?')[0]?.replace(/^.*\/zones\/\w+/, '')}`)).toEqual([
      'POST /dns_records/batch',
      'POST /dns_records/batch',
      'GET /dns_records',
    ]);
    expect(liveNames()).toHaveLength(200);
    expect(result.outputs.has(order[0] as string)).toBe(true);
    expect(result.outputs.has(order[200] as string)).toBe(false);

    const rerun = provider();
    const rest = await plan(rerun);
    expect(rest).toHaveLength(EXTRA + 2 - 200);
    const again = await rerun.apply(rest, context(outputs));
    expect(again.failed).toEqual([]);
    expect(await plan(provider())).toEqual([]);
  });

  it('a second batch that took effect but lost its answer is reconciled, and the third still goes out', async () => {
    const cf = provider();
    const changes = await plan(cf);
    sandbox.setFaults({ failRequests: [{ request: 2, kind: 'reset_after' }] });
    sandbox.resetLog();
    const warnings: string[] = [];
    const result = await cf.apply(changes, context(outputs, warnings));
    sandbox.setFaults({});
    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(EXTRA + 2);
    expect(batches()).toHaveLength(3);
    expect(warnings).toEqual([`the DNS batch 2 of 3 of ${ZONE} failed ambiguously, but Cloudflare shows it applied`]);
    expect(await plan(provider())).toEqual([]);
  });
});

describe('DNS batches: order across batches', () => {
  afterEach(() => {
    nock.cleanAll();
  });

  it('sends every delete before any post, as Cloudflare does within one batch, cutting at the limit', async () => {
    // 150 records of ours no longer declared (deletes) and 150 new ones (posts): 300 operations on Free.
    const old = Array.from({ length: 150 }, (_, i) => apiRecord({ id: `old${i}`, type: 'TXT', name: `o${String(i).padStart(3, '0')}.${ZONE}`, content: 'old', comment: 'managed by daffeinated (production)' }));
    const zone: ZoneConfig = { ...bigZone, dns: extra.slice(0, 150) };
    const apex = apiRecord({ id: 'apex', type: 'CNAME', name: ZONE, content: 'daffeinated-123.herokudns.com', proxied: true, comment: 'managed by daffeinated (production)' });
    const www = apiRecord({ id: 'www', type: 'CNAME', name: `www.${ZONE}`, content: 'www-123.herokudns.com', proxied: true, comment: 'managed by daffeinated (production)' });
    nock(ORIGIN)
      .get(`${API}/zones`)
      .query(true)
      .reply(200, ok([{ id: ZONE_ID, name: ZONE, status: 'active', plan: { id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee', legacy_id: 'free' } }]));
    mockRecords([apex, www, ...old]);
    const bodies: Record<string, unknown[]>[] = [];
    nock(ORIGIN)
      .post(`${API}/zones/${ZONE_ID}/dns_records/batch`, (body: Record<string, unknown[]>) => {
        bodies.push(body);
        return true;
      })
      .times(2)
      .reply(200, ok({ deletes: [], patches: [], puts: [], posts: [] }));
    const cf = new CloudflareProvider(new CloudflareClient({ baseUrl: `${ORIGIN}${API}`, apiToken: 'cf-test-token', dnsPageSize: 100 }), owners);
    const changes = await plan(cf, zone);
    expect(changes.map((c) => c.action).sort()).toEqual([...Array(150).fill('create'), ...Array(150).fill('delete')]);
    const result = await cf.apply(changes, context(outputs));
    expect(result.failed).toEqual([]);
    expect(bodies.map((b) => Object.fromEntries(Object.entries(b).map(([group, items]) => [group, items.length])))).toEqual([
      { deletes: 150, posts: 50 },
      { posts: 100 },
    ]);
    expect(bodies[0]?.['deletes']?.[0]).toEqual({ id: hexId('old0') });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
