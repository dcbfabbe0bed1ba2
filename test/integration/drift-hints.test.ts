import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// Every hint drift prints for something undeclared is followed here, as a user would: app.yaml is
// edited exactly as the hint says, and the next `drift --strict` is clean.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ZONE = 'daffeinated.com';
const INSTANT = { addonProvisionMs: 0, buildMs: 0, releasePhaseMs: 0, promotionMs: 0, domainMs: 0, acmMs: 0 };

let sandbox: SandboxHandle;
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-drift-hints-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, seed: 77, zones: [{ name: ZONE, plan: 'pro' }], heroku: INSTANT });
  const applied = await run(['apply', '--all', '--yes']);
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[]) => cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: 'sk_test_hints_51c2' } });

async function api(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const cloudflare = path.startsWith('/client/v4');
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', ...(cloudflare ? {} : { Accept: 'application/vnd.heroku+json; version=3' }) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  expect(response.ok, JSON.stringify(json)).toBe(true);
  return json;
}

/** Inserts `lines` into app.yaml right after the line that is exactly `anchor`. */
function insertAfter(anchor: string, lines: string): void {
  const file = join(cwd, 'app.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(`\n${anchor}\n`);
  writeFileSync(file, text.replace(`\n${anchor}\n`, `\n${anchor}\n${lines}`));
}

async function strictDrift() {
  const result = await run(['drift', '--all', '--strict']);
  return { ...result, text: result.stdout.replace(/\n {4}/g, ' ') };
}

describe('following each hint for something undeclared', () => {
  it('to manage it: a config var, an add-on, a domain, a log drain and a DNS record made by hand', async () => {
    await api('PATCH', '/apps/daffeinated-staging/config-vars', { HAND_SET: 'by-hand' });
    const addon = await api('POST', '/apps/daffeinated-staging/addons', { plan: 'scheduler:standard' });
    await api('POST', '/apps/daffeinated-staging/domains', { hostname: 'extra.daffeinated.com', sni_endpoint: null });
    await api('POST', '/apps/daffeinated-staging/log-drains', { url: 'https://logs.example.com/hand' });
    const zone = ((await (await fetch(`${sandbox.url}/client/v4/zones?name=${ZONE}`, { headers: { Authorization: 'Bearer t' } })).json()) as { result: { id: string }[] }).result[0]?.id;
    await api('POST', `/client/v4/zones/${zone}/dns_records`, { type: 'TXT', name: `hand.${ZONE}`, content: 'hand-made', ttl: 1 });

    const before = await strictDrift();
    expect(before.code, before.stdout).toBe(2);
    for (const hint of [
      'add HAND_SET to environments.staging.config to manage it',
      `declare it under environments.staging.addons with name: ${String(addon['name'])} to manage it`,
      'add extra.daffeinated.com to environments.staging.domains to manage it',
      'add its URL to environments.staging.log_drains to manage it',
      `declare it with the same content under cloudflare.zones.${ZONE}.dns to manage it`,
    ])
      expect(before.text).toContain(hint);
    expect(before.text).not.toMatch(/set prune: true/);

    insertAfter(
      '    stage: staging',
      [
        '    config: { HAND_SET: by-hand }',
        `    addons: { jobs: { plan: "scheduler:standard", name: ${String(addon['name'])} } }`,
        '    log_drains: ["https://logs.example.com/hand"]',
        '',
      ].join('\n'),
    );
    const file = join(cwd, 'app.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('domains: [staging.daffeinated.com]', 'domains: [staging.daffeinated.com, extra.daffeinated.com]'));
    insertAfter('        - { name: "@", type: TXT, content: "v=spf1 include:_spf.mail.example ~all" }', '        - { name: hand, type: TXT, content: "hand-made" }\n');
    const applied = await run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await strictDrift();
    expect(after.code, after.stdout).toBe(0);
    expect(sandbox.state().heroku.apps.find((a) => a.name === 'daffeinated-staging')?.config['HAND_SET']).toBe('by-hand');
  });

  it('to remove it: prune.config, prune.addons and prune.domains', async () => {
    await api('PATCH', '/apps/daffeinated-production/config-vars', { HAND_TWO: 'x' });
    const addon = await api('POST', '/apps/daffeinated-production/addons', { plan: 'scheduler:standard' });
    await api('POST', '/apps/daffeinated-production/domains', { hostname: 'old.daffeinated.com', sni_endpoint: null });
    const before = await strictDrift();
    expect(before.code, before.stdout).toBe(2);
    for (const hint of [
      'set environments.production.prune.config: true to remove undeclared vars',
      'set environments.production.prune.addons: true to remove it',
      'set environments.production.prune.domains: true to remove it',
    ])
      expect(before.text).toContain(hint);

    insertAfter('    stage: production', '    prune: { config: true, addons: true, domains: true }\n');
    const applied = await run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const after = await strictDrift();
    expect(after.code, after.stdout).toBe(0);
    const production = sandbox.state().heroku.apps.find((a) => a.name === 'daffeinated-production');
    expect(production?.config).not.toHaveProperty('HAND_TWO');
    expect(production?.config).toHaveProperty('DATABASE_URL');
    expect(production?.addons.map((a) => a.name)).not.toContain(addon['name']);
    expect(production?.domains.map((d) => d.hostname)).toEqual(['daffeinated.com', 'www.daffeinated.com']);
  });
});
