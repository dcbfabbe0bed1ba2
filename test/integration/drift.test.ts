import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// The nightly drift check: exactly the out-of-band changes, located in app.yaml, in every format.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'sk_test_drift_canary_77aa';

let sandbox: SandboxHandle;
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-drift-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, zones: [{ name: 'daffeinated.com', plan: 'pro' }] });
  const applied = await run(['apply', 'staging', '--yes']);
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await sandbox.close();
});

function run(args: string[], env: Record<string, string> = {}) {
  return cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: SECRET, ...env } });
}

async function outOfBand(vars: Record<string, string | null>): Promise<void> {
  const response = await fetch(`${sandbox.url}/apps/daffeinated-staging/config-vars`, {
    method: 'PATCH',
    headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify(vars),
  });
  expect(response.status).toBe(200);
}

/** The line of app.yaml that declares `needle` (1-based). */
function lineOf(needle: string): number {
  return readFileSync(join(cwd, 'app.yaml'), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('drift', () => {
  it('is clean right after apply', async () => {
    const result = await run(['drift', 'staging']);
    expect(result.code, result.stderr).toBe(0);
  });

  it('reports exactly the out-of-band changes with their app.yaml lines and exits 2', async () => {
    await outOfBand({ NODE_ENV: 'development', STRIPE_KEY: 'sk_live_changed_by_hand', HAND_MADE: 'x' });
    const json = await run(['drift', 'staging', '--format', 'json', '--report', 'drift.md']);
    expect(json.code).toBe(2);
    const report = readFileSync(join(cwd, 'drift.md'), 'utf8');
    expect(report).toContain('| `NODE_ENV` | `"development"` | `"production"` |');
    expect(report).not.toContain('sk_live_changed_by_hand');
    const doc = JSON.parse(json.stdout) as {
      kind: string;
      changes: { address: string; attributes: { name: string; before?: unknown; after?: unknown; sensitive: boolean; changed?: boolean; source?: { line: number } }[] }[];
      unmanaged: { address: string; attribute?: string }[];
    };
    expect(doc.kind).toBe('drift');
    expect(doc.changes.map((c) => c.address)).toEqual(['heroku.config[staging]']);
    const attributes = doc.changes[0]?.attributes ?? [];
    expect(attributes.map((a) => a.name).sort()).toEqual(['NODE_ENV', 'STRIPE_KEY']);
    expect(attributes.find((a) => a.name === 'NODE_ENV')).toMatchObject({ before: 'development', after: 'production', source: { line: lineOf('NODE_ENV:') } });
    expect(attributes.find((a) => a.name === 'STRIPE_KEY')).toMatchObject({ before: '(sensitive)', after: '(sensitive)', changed: true, source: { line: lineOf('STRIPE_KEY:') } });
    expect(doc.unmanaged).toContainEqual(expect.objectContaining({ address: 'heroku.config[staging]', attribute: 'HAND_MADE' }));
    expect(json.stdout).not.toContain(SECRET);
    expect(json.stdout).not.toContain('sk_live_changed_by_hand');
  });

  it('under GitHub Actions annotates the app.yaml lines and writes a step summary', async () => {
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '');
    const result = await run(['drift', 'staging'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`::error file=app.yaml,line=${lineOf('NODE_ENV:')},`);
    expect(result.stderr).toContain('NODE_ENV is "development" live; app.yaml says "production"');
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('## daffeinated drift');
    expect(markdown).toContain('`NODE_ENV`');
    for (const text of [result.stdout, result.stderr, markdown]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('sk_live_changed_by_hand');
    }
  });

  it('--strict also fails on unmanaged config vars', async () => {
    await outOfBand({ NODE_ENV: 'production', STRIPE_KEY: SECRET });
    expect((await run(['drift', 'staging'])).code).toBe(0);
    expect((await run(['drift', 'staging', '--strict'])).code).toBe(2);
  });

  it('accepts drift listed in drift.ignore until it expires', async () => {
    await outOfBand({ NODE_ENV: 'development', HAND_MADE: null });
    appendFileSync(
      join(cwd, 'app.yaml'),
      '\ndrift:\n  ignore:\n    - { target: "heroku.config[staging].NODE_ENV", reason: "debugging INC-42", expires: "2026-12-01" }\n',
    );
    const accepted = await run(['drift', 'staging']);
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.stdout).toContain('Accepted drift');
    expect(accepted.stdout).toContain('debugging INC-42');
    const later = await cli(['drift', 'staging', '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: SECRET }, now: new Date('2026-12-02T00:00:00Z') });
    expect(later.code).toBe(2);
    expect(later.stdout).toContain('expired on 2026-12-01');
  });

  it('reverting the change makes the check clean again', async () => {
    await outOfBand({ NODE_ENV: 'production' });
    const result = await run(['drift', 'staging']);
    expect(result.stdout).toContain('drift.ignore entry heroku.config[staging].NODE_ENV matches no drift');
    expect(result.code).toBe(0);
  });
});
