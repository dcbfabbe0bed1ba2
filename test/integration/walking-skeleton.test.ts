import { mkdtempSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Heroku from 'heroku-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// The first end-to-end slice against a real sandbox server: apply, re-plan empty, drift, secrets.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'sandbox-token';
const STRIPE = 'sk_test_canary_4f9a1c2e';

let sandbox: SandboxHandle;
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-skeleton-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, stateFile: join(cwd, 'sandbox.json'), zones: [{ name: 'daffeinated.com', plan: 'pro' }] });
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[], env: Record<string, string> = {}) =>
  cli([...args, '--sandbox', sandbox.url], { cwd, env: { STRIPE_KEY: STRIPE, ...env } });

async function herokuApi(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

describe('walking skeleton against the sandbox', () => {
  it('plans the staging app, its config and deferred formation before anything exists', async () => {
    const result = await run(['plan', 'staging', '--detailed-exitcode']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('+ heroku.app[staging]');
    expect(result.stdout).toContain('+ heroku.config[staging]');
    expect(result.stdout).toContain('heroku.formation[staging/web]');
    expect(result.stdout).not.toContain(STRIPE);
  });

  it('refuses to apply without --yes when nobody can confirm', async () => {
    const result = await run(['apply', 'staging']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('--yes');
    expect(sandbox.state().heroku.apps).toEqual(expect.not.arrayContaining([expect.objectContaining({ name: 'daffeinated-staging' })]));
  });

  it('applies staging, then a re-plan is empty', async () => {
    const applied = await run(['apply', 'staging', '--yes']);
    expect(applied.stderr).toContain('Apply complete');
    expect(applied.code).toBe(0);
    const replan = await run(['plan', 'staging', '--detailed-exitcode']);
    expect(replan.code).toBe(0);
    expect(replan.stdout).toContain('No changes');
    expect(replan.stdout).toContain('Deferred');
  });

  it('heroku-client reads back exactly what apply wrote', async () => {
    const heroku = new Heroku({ host: sandbox.url, token: TOKEN });
    const app = await heroku.request<{ name: string; region: { name: string }; build_stack: { name: string } }>({ method: 'GET', path: '/apps/daffeinated-staging' });
    expect(app.name).toBe('daffeinated-staging');
    expect(app.region.name).toBe('us');
    expect(app.build_stack.name).toBe('heroku-24');
    const vars = await heroku.request<Record<string, string>>({ method: 'GET', path: '/apps/daffeinated-staging/config-vars' });
    expect(vars['NODE_ENV']).toBe('production');
    expect(vars['STRIPE_KEY']).toBe(STRIPE);
    expect(vars['SESSION_SECRET']).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('keeps a generated secret across applies', async () => {
    const before = ((await herokuApi('GET', '/apps/daffeinated-staging/config-vars')) as Record<string, string>)['SESSION_SECRET'];
    expect((await run(['apply', 'staging', '--yes'])).code).toBe(0);
    const after = ((await herokuApi('GET', '/apps/daffeinated-staging/config-vars')) as Record<string, string>)['SESSION_SECRET'];
    expect(after).toBe(before);
  });

  it('drift names a var changed out of band, exits 2, and prints no secret in any format', async () => {
    await herokuApi('PATCH', '/apps/daffeinated-staging/config-vars', { NODE_ENV: 'development', STRIPE_KEY: 'sk_live_leaked_out_of_band' });
    const secrets = [STRIPE, 'sk_live_leaked_out_of_band'];
    const session = ((await herokuApi('GET', '/apps/daffeinated-staging/config-vars')) as Record<string, string>)['SESSION_SECRET'] as string;
    secrets.push(session);
    for (const format of ['human', 'json', 'markdown']) {
      const result = await run(['drift', 'staging', '--format', format]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(2);
      expect(result.stdout).toContain('NODE_ENV');
      expect(result.stdout).toContain('STRIPE_KEY');
      for (const secret of secrets) {
        expect(result.stdout).not.toContain(secret);
        expect(result.stderr).not.toContain(secret);
      }
    }
    const debug = await run(['drift', 'staging', '--debug']);
    expect(debug.stderr).toContain('debug: GET /apps/daffeinated-staging/config-vars');
    for (const secret of secrets) expect(debug.stdout + debug.stderr).not.toContain(secret);
  });

  it('apply repairs the drift and drift is clean again', async () => {
    expect((await run(['apply', 'staging', '--yes'])).code).toBe(0);
    const result = await run(['drift', 'staging']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No drift');
  });

  it('an unreachable API is an error (exit 1), never "no drift"', async () => {
    // nock refuses any non-loopback host here, as an unreachable network would.
    const result = await cli(['drift', 'staging', '--sandbox', 'http://api.unreachable.invalid'], { cwd, env: { STRIPE_KEY: STRIPE } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Could not reach the Heroku API');
    expect(result.stdout).toBe('');
  });

  it('a failing API is an error (exit 1) naming the status and request id', async () => {
    sandbox.setFaults({ rates: { server_error: 1 } });
    try {
      const result = await run(['drift', 'staging']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/HTTP 5\d\d/);
      expect(result.stderr).toContain('request id');
    } finally {
      sandbox.setFaults({});
    }
  });

  it('persists sandbox state to its file', async () => {
    await sandbox.flush();
    const state = JSON.parse(readFileSync(join(cwd, 'sandbox.json'), 'utf8')) as unknown;
    expect(JSON.stringify(state)).toContain('daffeinated-staging');
  });
});
