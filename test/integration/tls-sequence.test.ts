import { cpSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';
import { cloudflareAsDashboard } from '../helpers/sandbox.js';

// The TLS sequence end to end against the sandbox (issue 14; Dev Center "Automated Certificate
// Management", cloudflare-docs `ssl/origin-configuration/ssl-modes/full-strict`): a new domain's
// CNAME is written DNS-only, ACM issues its certificate through it, and only then is it proxied.
// A crash between the two steps resumes; proxying first leaves ACM failing and the edge at 526.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ZONE = 'daffeinated.com';
const STAGING = 'staging.daffeinated.com';

let sandbox: SandboxHandle;
let cwd: string;
let zoneId: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-tls-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({
    port: 0,
    zones: [{ name: ZONE, plan: 'pro' }],
    heroku: { addonProvisionMs: 20, domainMs: 20, acmMs: 200, acmFailingMs: 600 },
  });
  const zones = (await cf('GET', `/zones?name=${ZONE}`)) as { result: { id: string }[] };
  zoneId = zones.result[0]?.id as string;
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[]) => cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: 'sk_test_tls' } });

const cf = (method: string, path: string, body?: unknown) => cloudflareAsDashboard(sandbox.url, method, path, body);

async function heroku<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: 'Bearer t', Accept: 'application/vnd.heroku+json; version=3', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as T;
}

type Record = { id: string; name: string; type: string; proxied: boolean; content: string };
const recordOf = async (name: string): Promise<Record> =>
  ((await cf('GET', `/zones/${zoneId}/dns_records?type=CNAME&name=${name}`)) as { result: Record[] }).result[0] as Record;

type Domain = { hostname: string; cname: string; acm_status: string | null; acm_status_reason: string | null };
const domainOf = (app: string, hostname: string) => heroku<Domain>('GET', `/apps/${app}/domains/${hostname}`);

/** What the sandbox's front door answers for `host` over https (status 0: the connection was closed unanswered). */
function edge(host: string): Promise<number> {
  const url = new URL(sandbox.url);
  return new Promise((done) => {
    const req = request({ host: url.hostname, port: url.port, path: '/health', headers: { host, 'x-forwarded-proto': 'https' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const writes = () =>
  sandbox
    .requestLog()
    .filter((e) => e.method !== 'GET' || e.path.includes('/domains/'))
    .map((e) => `${e.method} ${e.path.replace(zoneId, 'Z').replace(/\?.*$/, '')}`);

describe('the TLS sequence of a new proxied domain', () => {
  it('writes the CNAME DNS-only, waits for the certificate, then turns the proxy on', async () => {
    sandbox.resetLog();
    const applied = await run(['apply', 'staging', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(`certificate issued for ${STAGING}`);
    const seen = writes();
    const at = (entry: string) => seen.indexOf(entry);
    const batches = seen.flatMap((entry, index) => (entry === 'POST /client/v4/zones/Z/dns_records/batch' ? [index] : []));
    const polls = seen.flatMap((entry, index) => (entry === `GET /apps/daffeinated-staging/domains/${STAGING}` ? [index] : []));
    expect(batches).toHaveLength(2);
    expect(at('POST /apps/daffeinated-staging/domains')).toBeLessThan(batches[0] as number);
    expect(polls.filter((i) => i > (batches[0] as number) && i < (batches[1] as number)).length).toBeGreaterThanOrEqual(1);
    expect(seen).not.toContain('PATCH /apps/daffeinated-staging/acm');
    const record = await recordOf(STAGING);
    const domain = await domainOf('daffeinated-staging', STAGING);
    expect({ proxied: record.proxied, content: record.content, acm: domain.acm_status }).toEqual({ proxied: true, content: domain.cname, acm: 'cert issued' });
    const replan = await run(['plan', 'staging', '--detailed-exitcode']);
    expect(replan.code, replan.stdout).toBe(0);
    const drift = await run(['drift', 'staging']);
    expect(drift.code, drift.stdout).toBe(0);
  });

  it('a crash between DNS-only and proxied resumes: the plan shows the record turned proxied, apply finishes it', async () => {
    // The proxied batch of production fails (a 500 the client cannot reconcile: nothing applied).
    sandbox.setFaults({ failRequests: [{ request: 2, kind: 'server_error', path: `/client/v4/zones/${zoneId}/dns_records/batch` }] });
    const crashed = await run(['apply', 'production', '--yes']);
    sandbox.setFaults({});
    expect(crashed.code).toBe(1);
    expect((await recordOf('www.daffeinated.com')).proxied).toBe(false);
    expect((await domainOf('daffeinated-production', 'www.daffeinated.com')).acm_status).toBe('cert issued');
    const plan = await run(['plan', 'production', '--format', 'json']);
    const doc = JSON.parse(plan.stdout) as { changes: { address: string; action: string; attributes: { name: string; before: unknown; after: unknown }[] }[] };
    expect(doc.changes.map((c) => [c.address, c.action, c.attributes.map((a) => `${a.name}: ${String(a.before)} → ${String(a.after)}`)])).toEqual([
      [`cloudflare.dns[${ZONE}/CNAME/@]`, 'update', ['proxied: false → true']],
      [`cloudflare.dns[${ZONE}/CNAME/www]`, 'update', ['proxied: false → true']],
    ]);
    sandbox.resetLog();
    const resumed = await run(['apply', 'production', '--yes']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(writes().filter((w) => !w.startsWith('GET '))).toEqual(expect.arrayContaining(['POST /client/v4/zones/Z/dns_records/batch']));
    expect(writes().filter((w) => w === 'POST /client/v4/zones/Z/dns_records/batch')).toHaveLength(1);
    expect((await recordOf('www.daffeinated.com')).proxied).toBe(true);
    expect((await run(['plan', 'production', '--detailed-exitcode'])).code).toBe(0);
  });

  it('a record made DNS-only again with a failing certificate: refreshed, waited for, proxied again', async () => {
    const record = await recordOf(STAGING);
    await cf('PATCH', `/zones/${zoneId}/dns_records/${record.id}`, { proxied: false });
    const admin = await fetch(`${sandbox.url}/__sandbox/apps/daffeinated-staging/domains/${STAGING}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ acm_status: 'failing', acm_status_reason: 'CDN not returning HTTP challenge' }),
    });
    expect(admin.status).toBe(200);
    const plan = await run(['plan', 'staging']);
    expect(plan.stdout).toMatch(/certificate = "failing" → "issued"|certificate: "failing" → "issued"/);
    sandbox.resetLog();
    const applied = await run(['apply', 'staging', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(writes()).toContain('PATCH /apps/daffeinated-staging/acm');
    expect((await recordOf(STAGING)).proxied).toBe(true);
    expect((await domainOf('daffeinated-staging', STAGING)).acm_status).toBe('cert issued');
  });
});

describe('the old order in the sandbox: proxied before the certificate', () => {
  it('leaves ACM failing, then failed, and the edge answers 526 under strict (200-class path once fixed)', async () => {
    await heroku('POST', '/apps', { name: 'tls-old-order' });
    await heroku('POST', '/apps/tls-old-order/acm', {});
    const domain = await heroku<Domain>('POST', '/apps/tls-old-order/domains', { hostname: 'old.daffeinated.com', sni_endpoint: null });
    await cf('POST', `/zones/${zoneId}/dns_records`, { type: 'CNAME', name: 'old', content: domain.cname, proxied: true, ttl: 1 });
    await cf('PATCH', `/zones/${zoneId}/settings/ssl`, { value: 'strict' });
    expect(await edge('old.daffeinated.com')).toBe(526);
    await sleep(400);
    const failing = await domainOf('tls-old-order', 'old.daffeinated.com');
    expect([failing.acm_status, failing.acm_status_reason]).toEqual(['failing', 'Strict TLS in CDN not supported']);
    await sleep(800);
    expect((await domainOf('tls-old-order', 'old.daffeinated.com')).acm_status).toBe('failed');
    expect(await edge('old.daffeinated.com')).toBe(526);
    await cf('PATCH', `/zones/${zoneId}/settings/ssl`, { value: 'full' });
    expect(await edge('old.daffeinated.com')).not.toBe(526);
    await cf('PATCH', `/zones/${zoneId}/settings/ssl`, { value: 'strict' });
    // Fixed the right way: DNS-only, refresh, issued, proxied; the edge then reaches the origin.
    const old = await recordOf('old.daffeinated.com');
    await cf('PATCH', `/zones/${zoneId}/dns_records/${old.id}`, { proxied: false });
    await heroku('PATCH', '/apps/tls-old-order/acm', { acm_refresh: true });
    await sleep(400);
    expect((await domainOf('tls-old-order', 'old.daffeinated.com')).acm_status).toBe('cert issued');
    await cf('PATCH', `/zones/${zoneId}/dns_records/${old.id}`, { proxied: true });
    expect(await edge('old.daffeinated.com')).toBe(503); // past the edge: the sandbox runs no processes here
    // A domain whose name no record answers for cannot even be connected to.
    await heroku('POST', '/apps/tls-old-order/domains', { hostname: 'unpointed.daffeinated.com', sni_endpoint: null });
    expect(await edge('unpointed.daffeinated.com')).toBe(0);
  });
});
