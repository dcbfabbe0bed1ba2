import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { schemaErrors } from '../helpers/json-schema.js';
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

const run = (args: string[], env: Record<string, string> = {}) =>
  cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: STRIPE, COLUMNS: '100', ...env } });

/** The 1-based line of app.yaml whose text contains `needle` (after `after`, when given). */
function lineOf(needle: string, after = ''): number {
  const lines = readFileSync(join(cwd, 'app.yaml'), 'utf8').split('\n');
  const start = after === '' ? 0 : lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
}

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

  it('github', async () => {
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '');
    const result = await run(['drift', '--all'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(2);
    outputs['github'] = result.stderr;
    outputs['summary'] = readFileSync(summary, 'utf8');
    await expect(result.stderr).toMatchFileSnapshot('outputs/drift-scenario.github.txt');
  });

  it('names exactly the four out-of-band changes, the WAF rule by its changed field only', () => {
    const doc = JSON.parse(outputs['json'] ?? '{}') as { changes: { address: string; attributes: { name: string }[] }[] };
    expect(doc.changes.map((c) => `${c.address} ${c.attributes.map((a) => a.name).join(',')}`)).toEqual([
      'heroku.config[production] STRIPE_KEY',
      'heroku.addon[production/cache] plan',
      `cloudflare.ruleset[${ZONE}/http_request_firewall_custom] rules[daffeinated:block-wp].expression`,
      `cloudflare.dns[${ZONE}/MX/@] content`,
    ]);
  });

  it('human: the changes first, in app.yaml order with their lines, then one quiet line each for deferred and expected', () => {
    const human = outputs['human'] ?? '';
    const order = [
      `~ heroku.config[production]  # app.yaml:${lineOf('config:')}:3`,
      'STRIPE_KEY: (sensitive) → (sensitive)  # value changed',
      `~ heroku.addon[production/cache]  # app.yaml:${lineOf('cache:', '  production:')}:7`,
      'plan: "heroku-redis:premium-1" → "heroku-redis:premium-0"',
      `~ cloudflare.ruleset[${ZONE}/http_request_firewall_custom]  # app.yaml:${lineOf(`${ZONE}:`)}:5`,
      'rules[daffeinated:block-wp].expression:',
      `~ cloudflare.dns[${ZONE}/MX/@]  # app.yaml:${lineOf('type: MX')}:11`,
      '3 deferred until a later step, e.g. a release (--verbose lists them)',
      '8 add-on variables, 3 certificates: as expected (--verbose lists them)',
      'Drift: 0 to create, 4 to update, 0 to replace, 0 to delete.',
    ];
    const at = order.map((text) => human.indexOf(text));
    expect(at.every((i) => i >= 0), `missing: ${order.filter((_, i) => (at[i] ?? -1) < 0).join(' | ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(human).not.toContain('WordPress probes');
    expect(human).not.toContain('DATABASE_URL');
    expect(human).not.toContain('Unmanaged');
  });

  it('json: one shape with plan (before/after), the expected items apart from the unmanaged ones', () => {
    const doc = JSON.parse(outputs['json'] ?? '{}') as {
      formatVersion: number;
      kind: string;
      changes: { attributes: Record<string, unknown>[] }[];
      unmanaged: unknown[];
      expected: { kind: string }[];
    };
    expect(doc).toMatchObject({ formatVersion: 2, kind: 'drift', unmanaged: [] });
    const waf = doc.changes[2]?.attributes[0];
    expect(waf).toMatchObject({
      before: '(http.request.uri.path contains "/wp-admin")',
      after: '(http.request.uri.path contains "/wp-login.php")',
      source: { line: lineOf('ref: block-wp') },
    });
    for (const change of doc.changes) for (const a of change.attributes) expect(Object.keys(a)).not.toContain('live');
    const schema = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as object;
    expect(schemaErrors(schema, doc)).toEqual([]);
    expect(doc.expected.map((e) => e.kind).sort()).toEqual([...Array(3).fill('certificate'), ...Array(8).fill('addon-var')].sort());
  });

  it('markdown: one table row per changed attribute, the expected items folded away', () => {
    const md = outputs['markdown'] ?? '';
    expect(md).toContain('**Drift: 0 to create, 4 to update, 0 to replace, 0 to delete.**');
    expect(md).toContain('| update | `heroku.addon[production/cache]` | `plan` | `"heroku-redis:premium-1"` | `"heroku-redis:premium-0"` |');
    expect(md).toContain('`rules[daffeinated:block-wp].expression` | `"(http.request.uri.path contains \\"/wp-admin\\")"`');
    expect(md).toContain('<details>\n<summary>8 add-on variables, 3 certificates: as expected</summary>');
    expect(md).not.toContain('### Unmanaged');
    expect(outputs['summary']).toBe(`${md}\n`);
  });

  it('github: one ::error per drifted attribute at its app.yaml line, nothing else', () => {
    const annotations = (outputs['github'] ?? '').trimEnd().split('\n');
    expect(annotations.map((l) => /^::(\w+) file=app\.yaml,line=(\d+),/.exec(l)?.slice(1, 3).join(' '))).toEqual([
      `error ${lineOf('STRIPE_KEY:')}`,
      `error ${lineOf('cache:', '  production:')}`,
      `error ${lineOf('ref: block-wp')}`,
      `error ${lineOf('type: MX')}`,
    ]);
    expect(annotations[0]).toContain('::STRIPE_KEY differs from app.yaml (sensitive: values not shown)');
    expect(annotations[3]).toContain('::content is "mx.other-provider.example" live; app.yaml says "mx1.mail.example"');
  });

  it('contains no secret value in any format', () => {
    expect(secrets.length).toBeGreaterThan(6);
    for (const [format, text] of Object.entries(outputs)) {
      for (const secret of secrets) expect(text.includes(secret), `${format} contains a secret`).toBe(false);
    }
  });
});
