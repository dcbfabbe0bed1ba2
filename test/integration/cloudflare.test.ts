import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';
import { cloudflareAsDashboard } from '../helpers/sandbox.js';

// Cloudflare against the sandbox: the platform's zone converges, foreign things survive, one
// record change is one batch, and a plan reads a zone with one request per kind.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ZONE = 'daffeinated.com';

let sandbox: SandboxHandle;
let cwd: string;
let zoneId: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-cf-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, zones: [{ name: ZONE, plan: 'pro' }] });
  const zones = (await cf('GET', `/zones?name=${ZONE}`)) as { result: { id: string }[] };
  zoneId = zones.result[0]?.id as string;
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[]) => cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: 'sk_test_cf' } });

const cf = (method: string, path: string, body?: unknown) => cloudflareAsDashboard(sandbox.url, method, path, body);

const cloudflareRequests = () => sandbox.requestLog().filter((e) => e.path.startsWith('/client/v4'));

describe('Cloudflare against the sandbox', () => {
  it('a dashboard-made TXT record and WAF rule exist before daffeinated arrives', async () => {
    await cf('POST', `/zones/${zoneId}/dns_records`, { type: 'TXT', name: 'hand', content: 'made in the dashboard', ttl: 300 });
    await cf('PUT', `/zones/${zoneId}/rulesets/phases/http_request_firewall_custom/entrypoint`, {
      rules: [{ ref: 'dashboard-geo', description: 'made by hand', action: 'block', expression: '(ip.src.country eq "T1")' }],
    });
  });

  it('fresh zone → apply → an empty re-plan', async () => {
    const applied = await run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const replan = await run(['plan', '--all', '--detailed-exitcode']);
    expect(replan.code, replan.stdout).toBe(0);
  });

  it('left the dashboard-made record and rule untouched, and reports them as unmanaged', async () => {
    const txt = (await cf('GET', `/zones/${zoneId}/dns_records?type=TXT&name=hand.${ZONE}`)) as { result: { content: string; comment?: string }[] };
    expect(txt.result).toHaveLength(1);
    expect(txt.result[0]?.content).toBe('made in the dashboard');
    const phase = (await cf('GET', `/zones/${zoneId}/rulesets/phases/http_request_firewall_custom/entrypoint`)) as { result: { rules: { ref: string }[] } };
    expect(phase.result.rules.map((r) => r.ref)).toEqual(['dashboard-geo', 'daffeinated:block-wp']);
    const plan = await run(['plan', 'production', '--format', 'json']);
    const doc = JSON.parse(plan.stdout) as { unmanaged: { address: string; attribute?: string }[] };
    expect(doc.unmanaged.map((u) => u.address)).toEqual(expect.arrayContaining([`cloudflare.dns[${ZONE}/TXT/hand]`]));
  });

  it('a plan reads the zone with one request per kind: zone, records, settings (cache settings included), one per phase', async () => {
    sandbox.resetLog();
    const plan = await run(['plan', 'production']);
    expect(plan.code).toBe(0);
    const paths = cloudflareRequests().map((e) => `${e.method} ${e.path.replace(zoneId, 'Z').replace(/\?.*$/, '')}`);
    expect(paths.filter((p) => p === 'GET /client/v4/zones')).toHaveLength(1);
    expect(paths.filter((p) => p === 'GET /client/v4/zones/Z/dns_records')).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('GET /client/v4/zones/Z/settings'))).toHaveLength(2); // bulk + ssl_automatic_mode (absent from the bulk list)
    expect(paths.filter((p) => p.includes('/rulesets/phases/'))).toHaveLength(4); // three WAF phases and the cache rules'
    expect(paths.every((p) => p.startsWith('GET '))).toBe(true);
  });

  it('staging never reads or writes the zone-wide settings or WAF', async () => {
    sandbox.resetLog();
    expect((await run(['plan', 'staging'])).code).toBe(0);
    expect(cloudflareRequests().some((e) => e.path.includes('/settings') || e.path.includes('/rulesets'))).toBe(false);
  });

  it('a change to one record is exactly one batch request', async () => {
    const yaml = `${await readConfig()}`.replace('content: mx1.mail.example, priority: 10', 'content: mx2.mail.example, priority: 10');
    writeFileSync(join(cwd, 'app.yaml'), yaml);
    sandbox.resetLog();
    const applied = await run(['apply', 'production', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const writes = cloudflareRequests().filter((e) => e.method !== 'GET');
    expect(writes.map((e) => `${e.method} ${e.path.replace(zoneId, 'Z')}`)).toEqual(['POST /client/v4/zones/Z/dns_records/batch']);
    expect((await run(['plan', '--all', '--detailed-exitcode'])).code).toBe(0);
  });

  it('a record conflicting with another (CNAME beside A) is refused before any write', async () => {
    const yaml = (await readConfig()).replace(
      '        - { name: "@", type: TXT',
      '        - { name: "www", type: A, content: 192.0.2.10 }\n        - { name: "@", type: TXT',
    );
    writeFileSync(join(cwd, 'app.yaml'), yaml);
    sandbox.resetLog();
    const result = await run(['apply', 'production', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/www/);
    expect(sandbox.requestLog()).toEqual([]);
  });
});

async function readConfig(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(join(cwd, 'app.yaml'), 'utf8');
}
