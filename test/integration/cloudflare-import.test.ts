import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// `import --app --zone` describes a live setup (made by daffeinated, then changed by hand) so that
// a plan right after shows no changes; `import --zone` alone prints the cloudflare section.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ZONE = 'daffeinated.com';

let sandbox: SandboxHandle;
let source: string;

beforeAll(async () => {
  source = mkdtempSync(join(tmpdir(), 'daff-zone-src-'));
  cpSync(join(root, 'config/app.yaml'), join(source, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, zones: [{ name: ZONE, plan: 'pro' }], heroku: { addonProvisionMs: 0 } });
  const applied = await cli(['apply', '--all', '--yes', '--sandbox', sandbox.url], { cwd: source, env: { STRIPE_KEY: 'sk_test_import' } });
  expect(applied.code, applied.stderr).toBe(0);
  const zones = (await cf('GET', `/zones?name=${ZONE}`)) as { result: { id: string }[] };
  const zoneId = zones.result[0]?.id as string;
  // Changed by hand afterwards: a record, and a rule made in the dashboard.
  await cf('POST', `/zones/${zoneId}/dns_records`, { type: 'TXT', name: '_verify', content: 'hand-made', ttl: 3600, comment: 'ops ticket 7' });
  const phase = (await cf('GET', `/zones/${zoneId}/rulesets/phases/http_request_firewall_custom/entrypoint`)) as { result: { rules: unknown[] } };
  await cf('PUT', `/zones/${zoneId}/rulesets/phases/http_request_firewall_custom/entrypoint`, {
    rules: [...phase.result.rules.map((r) => strip(r as Record<string, unknown>)), { ref: 'dash-rule', action: 'block', expression: '(ip.src.country eq "T1")' }],
  });
});

afterAll(async () => {
  await sandbox.close();
});

function strip(rule: Record<string, unknown>): Record<string, unknown> {
  const { version: _v, last_updated: _l, categories: _c, ...rest } = rule;
  return rest;
}

async function cf(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}/client/v4${path}`, {
    method,
    headers: { Authorization: 'Bearer hand', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as { success: boolean; errors: unknown[] };
  if (!json.success) throw new Error(`${method} ${path}: ${JSON.stringify(json.errors)}`);
  return json;
}

describe('import --zone', () => {
  it('import --app --zone prints an app.yaml that plans with no changes', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'daff-zone-import-'));
    sandbox.resetLog();
    const imported = await cli(['import', '--app', 'daffeinated-production', '--zone', ZONE, '--sandbox', sandbox.url], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(sandbox.requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
    expect(imported.stdout).toContain('cloudflare:');
    expect(imported.stdout).toContain('_verify');
    expect(imported.stdout).toContain('comment: ops ticket 7');
    expect(imported.stdout).not.toContain('dash-rule');
    expect(imported.stderr).toContain('made elsewhere stay unmanaged');
    writeFileSync(join(cwd, 'app.yaml'), imported.stdout);
    const variables = Object.fromEntries(
      imported.stderr
        .split('\n')
        .filter((l) => /^ {2}[A-Z_]+$/.test(l))
        .map((l) => [l.trim(), 'imported-value']),
    );
    const plan = await cli(['plan', '--all', '--detailed-exitcode', '--sandbox', sandbox.url], { cwd, env: variables });
    // Config vars exported as placeholders differ from live; everything Cloudflare must plan empty.
    const cloudflareChanges = plan.stdout.split('\n').filter((l) => /^\s+[-+~]/.test(l) && l.includes('cloudflare.'));
    expect(cloudflareChanges).toEqual([]);
  });

  it('import --zone alone prints the cloudflare section, owned by production by default', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'daff-zone-only-'));
    const imported = await cli(['import', '--zone', ZONE, '--sandbox', sandbox.url], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^cloudflare:\n {2}zones:\n {4}daffeinated\.com:\n {6}owner: production\n/m);
    // Without the app, the environment CNAMEs are ordinary records.
    expect(imported.stdout).toContain('type: CNAME');
    expect(imported.stdout).toContain('herokudns.com');
  });
});
