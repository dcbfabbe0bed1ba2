import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

// Secrets canary: known secret values (the API token, a from_env value, a password interpolated
// into a URL with `${VAR}`, generated secrets, add-on-owned URLs, a secret changed out of band) appear in no output of any command or format,
// including --debug HTTP logs, errors, saved plans, reports and GitHub step summaries.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'canary-token-5c1f0e9a2b';
const STRIPE = 'sk_live_canary_from_env_7d3e';
const OUT_OF_BAND = 'sk_live_canary_out_of_band_91ab';
const DB_PASS = 'canary-db-pass-3f9a1c';
/** A literal in app.yaml whose name alone makes it a secret (model/sensitive.ts). */
const LITERAL = 'literal-canary-api-token-3e8d';

let sandbox: SandboxHandle;
let cwd: string;
const canaries: string[] = [TOKEN, STRIPE, OUT_OF_BAND, DB_PASS, LITERAL];
const outputs: { name: string; text: string }[] = [];

const env = { DAFFEINATED_SANDBOX_TOKEN: TOKEN, STRIPE_KEY: STRIPE, DB_PASS };
async function run(name: string, args: string[], extra: Record<string, string> = {}): Promise<CliRun> {
  const result = await cli([...args, '--sandbox', sandbox.url], { cwd, env: { ...env, ...extra } });
  outputs.push({ name: `${name} (stdout)`, text: result.stdout }, { name: `${name} (stderr)`, text: result.stderr });
  return result;
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'daff-secrets-'));
  const reference = readFileSync(join(root, 'config/app.yaml'), 'utf8');
  // A value that takes a password from the environment is sensitive as a whole; a literal named
  // like a secret is sensitive by its name.
  const yaml = reference.replace(
    '    NODE_ENV: production\n',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax.
    '    NODE_ENV: production\n    REPORTING_DB_URL: postgres://reader:${DB_PASS}@reports.example.net/shop\n' +
      `    API_TOKEN: ${LITERAL}\n`,
  );
  expect(yaml).not.toBe(reference);
  writeFileSync(join(cwd, 'app.yaml'), yaml);
  sandbox = await startSandbox({ port: 0, seed: 7, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: { addonProvisionMs: 0 } });
});

afterAll(async () => {
  await sandbox.close();
});

/** A command that dies early leaks nothing: each must end as expected and say what it is about. */
function expectRun(result: CliRun, code: number, says: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout + result.stderr).toMatch(says);
}

describe('secrets never appear in any output', () => {
  it('runs every command and format against a populated sandbox', async () => {
    const first = await run('apply --debug', ['apply', '--all', '--yes', '--debug']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('API_TOKEN');
    // Every secret the platform now holds: generated session secrets and add-on-owned URLs/keys.
    for (const app of sandbox.state().heroku.apps) {
      for (const [key, value] of Object.entries(app.config)) {
        if (key !== 'NODE_ENV' && key !== 'NEW_RELIC_LOG' && value.length >= 8) canaries.push(value);
      }
    }
    expect(canaries.length).toBeGreaterThan(8);

    expectRun(await run('validate', ['validate']), 0, /app\.yaml/);
    for (const format of ['human', 'json', 'markdown']) {
      expectRun(await run(`plan ${format}`, ['plan', '--all', '--format', format, '--debug']), 0, /heroku\.formation\[staging\/web\]/);
    }
    expectRun(await run('plan --out', ['plan', 'staging', '--out', 'plan.json']), 0, /plan\.json/);
    outputs.push({ name: 'plan.json', text: readFileSync(join(cwd, 'plan.json'), 'utf8') });

    // Drift on secrets: the value changes out of band; it must show as changed, never as a value.
    const patch = await fetch(`${sandbox.url}/apps/daffeinated-staging/config-vars`, {
      method: 'PATCH',
      headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ STRIPE_KEY: OUT_OF_BAND, REPORTING_DB_URL: `postgres://reader:${DB_PASS}-old@reports.example.net/shop` }),
    });
    expect(patch.status).toBe(200);
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '');
    for (const format of ['human', 'json', 'markdown']) {
      const drift = await run(`drift ${format}`, ['drift', '--all', '--format', format, '--report', 'drift.md', '--debug'], {
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: summary,
      });
      expect(drift.code).toBe(2);
      expect(drift.stdout).toContain('STRIPE_KEY');
      expect(drift.stdout).toContain('REPORTING_DB_URL');
    }
    outputs.push({ name: 'drift.md', text: readFileSync(join(cwd, 'drift.md'), 'utf8') });
    outputs.push({ name: 'step summary', text: readFileSync(summary, 'utf8') });
    // The plan saved before the out-of-band change is stale now: refused, naming why.
    expectRun(await run('stale plan', ['apply', 'plan.json', '--yes']), 3, /stale/);
    expectRun(await run('apply repairs', ['apply', 'staging', '--yes', '--debug']), 0, /STRIPE_KEY/);
    expectRun(await run('diff', ['diff', 'production', 'staging']), 2, /5 differences between production and staging/);
    expectRun(await run('import', ['import', '--app', 'daffeinated-production']), 0, /API_TOKEN/);

    // Errors: a failing API with --debug stack traces.
    sandbox.setFaults({ rates: { server_error: 1 } });
    expectRun(await run('failing API --debug', ['plan', 'staging', '--debug']), 1, /HTTP 5\d\d/);
    // Retries and reconciliations under a fault storm, with --debug, repairing a secret changed out of band.
    sandbox.setFaults({});
    const repatch = await fetch(`${sandbox.url}/apps/daffeinated-production/config-vars`, {
      method: 'PATCH',
      headers: { Accept: 'application/vnd.heroku+json; version=3', Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ STRIPE_KEY: OUT_OF_BAND }),
    });
    expect(repatch.status).toBe(200);
    sandbox.setFaults({ rates: { server_error: 0.2, reset_after: 0.1, rate_limit: 0.1 }, retryAfterSeconds: 0 });
    const stormy = { DAFFEINATED_RETRY_BASE_MS: '1' };
    // A storm may fail a write that is not safe to retry: such a run must end as a reported error
    // (exit 1, with a hint), and a later run must finish the job.
    const attempts: CliRun[] = [];
    for (let i = 0; i < 10 && attempts.at(-1)?.code !== 0; i++) {
      const format = i % 2 === 0 ? 'human' : 'json';
      const attempt = await run(`apply under faults --debug (${format}, attempt ${i + 1})`, ['apply', '--all', '--yes', '--debug', '--format', format], stormy);
      if (attempt.code !== 0) {
        expectRun(attempt, 1, /^Error: /m);
        expect(attempt.stderr).not.toContain('This is a bug in daffeinated');
      }
      attempts.push(attempt);
    }
    // The last attempt converged (or found an earlier one had applied the change before failing).
    expect(attempts.at(-1)?.code, attempts.at(-1)?.stderr).toBe(0);
    sandbox.setFaults({});
    expectRun(await run('plan after the storm', ['plan', '--all', '--detailed-exitcode']), 0, /No changes/);
  }, 180_000); // some twenty commands, up to ten of them under a fault storm

  it('no canary appears anywhere', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const leaks = outputs.flatMap((o) => canaries.filter((c) => o.text.includes(c)).map((c) => `${o.name} leaks ${c.slice(0, 6)}…`));
    expect(leaks).toEqual([]);
  });
});
