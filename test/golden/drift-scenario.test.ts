import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// Golden drift reports of a fixed scenario: the platform applied to a seeded sandbox, then a
// sensitive var, an add-on plan, a DNS record and a WAF rule changed out of band. The files show
// exactly what the nightly job prints; a scan proves no secret value is in any of them.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ZONE = 'daffeinated.com';
const STRIPE = 'sk_test_golden_desired_0c4e';
const STRIPE_OUT_OF_BAND = 'sk_live_golden_out_of_band_7f21';
const INSTANT = { addonProvisionMs: 0, buildMs: 0, releaseStartMs: 0, releasePhaseMs: 0, promotionMs: 0, domainMs: 0, acmMs: 0 };

let sandbox: SandboxHandle;
let cwd: string;
const secrets: string[] = [STRIPE, STRIPE_OUT_OF_BAND];

const run = (args: string[]) => cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: STRIPE, COLUMNS: '100' } });

async function api(method: string, path: string, body?: unknown): Promise<unknown> {
  const cloudflare = path.startsWith('/client/v4');
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      Authorization: 'Bearer golden',
      'Content-Type': 'application/json',
      ...(cloudflare ? {} : { Accept: 'application/vnd.heroku+json; version=3' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-golden-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, seed: 424242, zones: [{ name: ZONE, plan: 'pro' }], heroku: INSTANT });
  const applied = await run(['apply', '--all', '--yes']);
  expect(applied.code, applied.stderr).toBe(0);
  for (const app of sandbox.state().heroku.apps) {
    for (const [key, value] of Object.entries(app.config)) if (key !== 'NODE_ENV' && value.length >= 8) secrets.push(value);
  }
  // Out of band: a sensitive var, an add-on plan, a DNS record and a WAF rule.
  await api('PATCH', '/apps/daffeinated-production/config-vars', { STRIPE_KEY: STRIPE_OUT_OF_BAND });
  const addons = (await api('GET', '/apps/daffeinated-production/addons')) as { id: string; addon_service: { name: string } }[];
  const redis = addons.find((a) => a.addon_service.name === 'heroku-redis');
  await api('PATCH', `/apps/daffeinated-production/addons/${redis?.id}`, { plan: 'heroku-redis:premium-1' });
  const zone = ((await api('GET', `/client/v4/zones?name=${ZONE}`)) as { result: { id: string }[] }).result[0]?.id;
  const mx = (await api('GET', `/client/v4/zones/${zone}/dns_records?type=MX`)) as { result: { id: string }[] };
  await api('PATCH', `/client/v4/zones/${zone}/dns_records/${mx.result[0]?.id}`, { content: 'mx.other-provider.example' });
  const phase = 'http_request_firewall_custom';
  const custom = (await api('GET', `/client/v4/zones/${zone}/rulesets/phases/${phase}/entrypoint`)) as { result: { rules: Record<string, unknown>[] } };
  const rules = custom.result.rules.map(({ version: _v, last_updated: _l, categories: _c, ...rule }) =>
    rule['ref'] === 'daffeinated:block-wp' ? { ...rule, expression: '(http.request.uri.path contains "/wp-admin")' } : rule,
  );
  await api('PUT', `/client/v4/zones/${zone}/rulesets/phases/${phase}/entrypoint`, { rules });
});

afterAll(async () => {
  await sandbox.close();
});

describe('golden drift reports', () => {
  const outputs: Record<string, string> = {};

  for (const [format, file] of [
    ['human', 'drift-scenario.human.txt'],
    ['json', 'drift-scenario.json'],
    ['markdown', 'drift-scenario.md'],
  ] as const) {
    it(`${format}`, async () => {
      const result = await run(['drift', '--all', '--format', format]);
      expect(result.code, result.stderr).toBe(2);
      outputs[format] = result.stdout;
      await expect(result.stdout).toMatchFileSnapshot(`outputs/${file}`);
    });
  }

  it('names exactly the four out-of-band changes', () => {
    const doc = JSON.parse(outputs['json'] ?? '{}') as { changes: { address: string; attributes: { name: string }[] }[] };
    expect(doc.changes.map((c) => `${c.address} ${c.attributes.map((a) => a.name).join(',')}`).sort()).toEqual([
      `cloudflare.dns[${ZONE}/MX/@] content`,
      `cloudflare.ruleset[${ZONE}/http_request_firewall_custom] rules`,
      'heroku.addon[production/cache] plan',
      'heroku.config[production] STRIPE_KEY',
    ]);
  });

  it('contains no secret value in any format', () => {
    expect(secrets.length).toBeGreaterThan(6);
    for (const [format, text] of Object.entries(outputs)) {
      for (const secret of secrets) expect(text.includes(secret), `${format} contains a secret`).toBe(false);
    }
  });
});
