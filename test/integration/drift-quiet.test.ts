import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// The nightly check on the reference platform, as a new user runs it: quiet when clean (add-on
// vars, certificates and a missing optional secret are expected), loud and located when a var is
// set by hand, and legible when the API cannot be reached.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INSTANT = { addonProvisionMs: 0, buildMs: 0, releasePhaseMs: 0, promotionMs: 0, domainMs: 0, acmMs: 0 };
const STRIPE = 'sk_test_quiet_4d1f';

let sandbox: SandboxHandle;
let cwd: string;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-drift-quiet-'));
  cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  sandbox = await startSandbox({ port: 0, seed: 1515, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: INSTANT });
  const applied = await run(['apply', '--all', '--yes', '--format', 'json']);
  expect(applied.code, applied.stderr).toBe(0);
  const report = JSON.parse(applied.stdout) as { changes: { address: string }[]; result: { status: string; applied: string[]; failed: unknown[]; notAttempted: string[] } };
  expect(report.result).toMatchObject({ status: 'applied', failed: [], notAttempted: [] });
  expect([...report.result.applied].sort()).toEqual(report.changes.map((c) => c.address).sort());
});

afterAll(async () => {
  await sandbox.close();
});

function run(args: string[], env: Record<string, string> = { STRIPE_KEY: STRIPE }) {
  return cli([...args, '--sandbox', sandbox.url], { cwd, env });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('drift on the reference platform', () => {
  it('is a few quiet lines and exit 0 when clean, also --strict and with STRIPE_KEY="" (a missing secret in Actions)', async () => {
    const clean = await run(['drift', '--all']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(lines(clean.stdout + clean.stderr).length).toBeLessThanOrEqual(5);
    expect(clean.stdout).toContain('8 add-on variables, 3 certificates: as expected');
    expect(clean.stdout).toMatch(/No drift\.\n$/);
    const strict = await run(['drift', '--all', '--strict'], { STRIPE_KEY: STRIPE, GITHUB_ACTIONS: 'true' });
    expect(strict.code, strict.stdout).toBe(0);
    expect(strict.stderr).not.toMatch(/^::(warning|error|notice)/m);
    for (const env of [{ STRIPE_KEY: '' }, {}] as Record<string, string>[]) {
      const unset = await run(['drift', '--all', '--strict'], env);
      expect(unset.code, unset.stdout + unset.stderr).toBe(0);
      expect(lines(unset.stdout + unset.stderr).length).toBeLessThanOrEqual(5);
      expect(unset.stdout).toContain('2 config vars not managed in this run (from_env unset): as expected');
    }
  });

  it('lists every expected item with --verbose', async () => {
    const verbose = await run(['drift', '--all', '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain('Expected (8 add-on variables, 3 certificates: as expected):');
    expect(verbose.stdout).toMatch(/heroku\.config\[staging\] DATABASE_URL:\s+set by the add-on postgresql-/);
    expect(verbose.stdout).toContain('heroku.domain[production/daffeinated.com] acm_status: certificate issued');
  });

  it('fails --strict on an undeclared hand-set var, naming it with where app.yaml would declare it', async () => {
    const response = await fetch(`${sandbox.url}/apps/daffeinated-staging/config-vars`, {
      method: 'PATCH',
      headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ HAND_SET: 'by-someone' }),
    });
    expect(response.status).toBe(200);
    const configLine = readFileSync(join(cwd, 'app.yaml'), 'utf8').split('\n').findIndex((l) => l.trim() === 'config:') + 1;
    expect((await run(['drift', '--all'])).code).toBe(0);
    const strict = await run(['drift', '--all', '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain(`heroku.config[staging] HAND_SET (app.yaml:${configLine}:3):`);
    expect(strict.stdout).toContain('add HAND_SET to environments.staging.config to manage it');
    const json = JSON.parse((await run(['drift', '--all', '--strict', '--format', 'json'])).stdout) as {
      unmanaged: { address: string; attribute?: string; source?: { line: number } }[];
    };
    expect(json.unmanaged).toEqual([expect.objectContaining({ address: 'heroku.config[staging]', attribute: 'HAND_SET', source: expect.objectContaining({ line: configLine }) })]);
  });

  it('says why when app.yaml needs a secret the job does not have: ::error naming it, a summary, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daff-drift-secret-'));
    const yaml = readFileSync(join(root, 'config/app.yaml'), 'utf8');
    writeFileSync(join(dir, 'app.yaml'), yaml.replace('STRIPE_KEY: { from_env: STRIPE_KEY, optional: true }', 'STRIPE_KEY: { from_env: STRIPE_KEY }'));
    writeFileSync(join(dir, 'summary.md'), '');
    const env = { STRIPE_KEY: '', GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') };
    const result = await cli(['drift', '--all', '--sandbox', sandbox.url], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^::error title=Drift check could not run::app\.yaml:\d+:\d+: error: STRIPE_KEY needs the environment variable STRIPE_KEY, which is empty/m);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('**The drift check could not run**');
  });

  it('says why when Heroku cannot be reached: one retry line, one error naming the URL, ::error and a step summary', async () => {
    const offline = mkdtempSync(join(tmpdir(), 'daff-drift-offline-'));
    const yaml = readFileSync(join(root, 'config/app.yaml'), 'utf8');
    // Heroku only: no zones, so no purges that name them.
    writeFileSync(join(offline, 'app.yaml'), yaml.slice(0, yaml.indexOf('\ncloudflare:')).replace(/^ +purge:.*\n/gm, ''));
    writeFileSync(join(offline, 'summary.md'), '');
    const closed = await startSandbox({ port: 0 });
    const url = closed.url;
    await closed.close();
    const env = {
      STRIPE_KEY: STRIPE,
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: join(offline, 'summary.md'),
      DAFFEINATED_RETRY_BASE_MS: '1',
    };
    const result = await cli(['drift', '--all', '--sandbox', url], { cwd: offline, env });
    expect(result.code).toBe(1);
    const output = lines(result.stdout + result.stderr);
    expect(output.length, output.join('\n')).toBeLessThan(5);
    expect(output.filter((l) => l.startsWith('warning: '))).toHaveLength(1);
    expect(output.filter((l) => l.startsWith('Error: '))).toEqual([
      // Whichever read failed first: an app's own, or an account-wide listing (heroku/read-apps.ts).
      expect.stringMatching(/^Error: The drift check could not run: Could not reach the Heroku API for GET \/(apps\/daffeinated-|apps:|addons:|pipeline-couplings:)/),
    ]);
    expect(result.stderr).toMatch(
      new RegExp(`hint: Request: ${url.replaceAll('.', '\\.')}/(apps/daffeinated-[a-z]+(/[a-z-]+)?|apps|addons|pipeline-couplings)\\. Check the network`),
    );
    expect(output.filter((l) => l.startsWith('::error title=Drift check could not run::'))).toHaveLength(1);
    const summary = readFileSync(join(offline, 'summary.md'), 'utf8');
    expect(summary).toContain('**The drift check could not run**: nothing was compared');
    expect(summary).toMatch(new RegExp(`${url.replaceAll('.', '\\.')}/(apps|addons|pipeline-couplings)`));
  });
});
