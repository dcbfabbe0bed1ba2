import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultKind, type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { repeatedCreates } from '../helpers/census.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// A bad answer is an error, never a diff: the sandbox spoils the answer to one read of a
// converged platform (config/app.yaml, both environments), and the command must either get a
// good answer by retrying or stop with exit 1 naming the endpoint — never plan the config vars
// as new, never report drift, never rotate the generated SESSION_SECRET — and a re-run converges.
// Deadlines are injected (DAFFEINATED_REQUEST_DEADLINE_MS) so slow answers cost ms, not minutes.
const ENV = { STRIPE_KEY: 'sk_test_bad_answers', DAFFEINATED_RETRY_BASE_MS: '1', DAFFEINATED_REQUEST_DEADLINE_MS: '2000' };
const CONFIG_VARS = '/apps/daffeinated-staging/config-vars';
const NO_STACK = /\n\s+at .*\(/;

let sandbox: SandboxHandle;
let scenario: Scenario;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 21, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  scenario = new Scenario(() => sandbox, REFERENCE_YAML, ENV);
  const apply = await scenario.run(['apply', '--all', '--yes']);
  expect(apply.code, apply.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await sandbox.close();
});

function secrets(): (string | undefined)[] {
  return sandbox.state().heroku.apps.map((app) => app.config['SESSION_SECRET']);
}

/** Faults on the first `times` requests to `path`, none elsewhere. */
function spoil(path: string, kind: FaultKind, times = 1, extra: { trickleMs?: number } = {}): void {
  sandbox.resetLog();
  sandbox.setFaults({ ...extra, failRequests: Array.from({ length: times }, (_, i) => ({ request: i + 1, kind, path })) });
}

describe('a spoiled answer to a read of config vars', () => {
  const refused: [FaultKind, RegExp][] = [
    ['empty_body', /the body is empty/],
    ['no_content', /no body at all \(HTTP 204 No Content\)/],
    ['error_200', /the body is an error \(internal_server_error: Internal server error\.\), not the answer/],
  ];
  for (const [kind, problem] of refused) {
    it(`${kind}: drift exits 1 naming the endpoint, not 2 with every var new`, async () => {
      spoil(CONFIG_VARS, kind);
      const drift = await scenario.run(['drift', '--all']);
      expect(drift.code, drift.stderr + drift.stdout).toBe(1);
      expect(drift.stderr).toContain(`Heroku answered GET ${CONFIG_VARS} with an unexpected body`);
      expect(drift.stderr).toMatch(problem);
      expect(drift.stderr).not.toMatch(NO_STACK);
      sandbox.setFaults({});
      const again = await scenario.run(['drift', '--all']);
      expect(again.code, again.stderr + again.stdout).toBe(0);
    });
  }

  it('empty_body during apply: exit 1 before any write; the generated secret is not rotated', async () => {
    const before = secrets();
    spoil(CONFIG_VARS, 'empty_body');
    const apply = await scenario.run(['apply', '--all', '--yes']);
    expect(apply.code, apply.stderr).toBe(1);
    expect(apply.stderr).toContain(`GET ${CONFIG_VARS} with an unexpected body: the body is empty`);
    expect(sandbox.requestLog().filter((e) => e.method === 'PATCH' && e.path.endsWith('/config-vars'))).toEqual([]);
    expect(secrets()).toEqual(before);
    sandbox.setFaults({});
    expect((await scenario.run(['apply', '--all', '--yes'])).code).toBe(0);
    expect(secrets()).toEqual(before);
  });

  for (const kind of ['cut_length', 'cut_chunked'] as const) {
    it(`${kind} once: the read is retried and drift finds nothing`, async () => {
      spoil(CONFIG_VARS, kind);
      const drift = await scenario.run(['drift', '--all']);
      expect(drift.code, drift.stderr + drift.stdout).toBe(0);
      expect(drift.stderr).toContain(`GET ${CONFIG_VARS} failed; retry 1`);
    });

    it(`${kind} every time: exit 1 naming the endpoint (no hang, no exit 13); a re-run converges`, async () => {
      spoil(CONFIG_VARS, kind, 6);
      const drift = await scenario.run(['drift', '--all']);
      expect(drift.code, drift.stderr + drift.stdout).toBe(1);
      expect(drift.stderr).toContain(`Heroku's answer to GET ${CONFIG_VARS} (HTTP 200) was cut off before the end of its body`);
      expect(drift.stderr).not.toMatch(NO_STACK);
      sandbox.setFaults({});
      expect((await scenario.run(['drift', '--all'])).code).toBe(0);
    });
  }

  it('slow_body every time: cut at the deadline, retried within the budget, then exit 1 naming the endpoint', async () => {
    // The config vars (hundreds of bytes) would take tens of seconds at 50 ms a byte; every other
    // answer comes whole, well within the deadline even on a busy machine.
    spoil(CONFIG_VARS, 'slow_body', 6, { trickleMs: 50 });
    const started = performance.now();
    const drift = await scenario.run(['drift', '--all'], { DAFFEINATED_REQUEST_DEADLINE_MS: '1500', DAFFEINATED_RETRY_BUDGET_MS: '4000' });
    expect(drift.code, drift.stderr + drift.stdout).toBe(1);
    expect(drift.stderr).toContain(`Heroku gave an answer (HTTP 200) not finished to GET ${CONFIG_VARS} within 1.5 s`);
    expect(drift.stderr).toContain('not retried: this command has spent its 4 s retry budget');
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('a spoiled answer to a write', () => {
  it('a creating POST whose answer is cut: not resent; the same apply again converges with nothing made twice', async () => {
    await sandbox.reset();
    spoil('/apps', 'cut_chunked');
    const first = await scenario.run(['apply', '--all', '--yes']);
    expect([0, 1], first.stderr).toContain(first.code);
    expect(first.stderr).not.toMatch(NO_STACK);
    sandbox.setFaults({});
    const again = await scenario.run(['apply', '--all', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(sandbox.state().heroku.apps.map((app) => app.name).sort()).toEqual(['daffeinated-production', 'daffeinated-staging']);
    expect(repeatedCreates(sandbox.requestLog())).toEqual([]);
  }, 120_000);
});
