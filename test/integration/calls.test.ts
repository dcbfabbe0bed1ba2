import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { isLockBookkeeping, QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Request counts (never timings: those are `npm run bench`, docs/BENCHMARKS.md) of the reference
// config against the sandbox: no read is repeated, the zone is looked up once per run, DNS is
// listed in one request, and writes are batched (one settings PATCH, one PUT per WAF phase, one
// config PATCH per app).
const STRIPE = 'sk_test_calls_0c1d2e3f';

const key = (e: RequestLogEntry) => `${e.method} ${e.path}`;

function repeated(log: readonly RequestLogEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const entry of log) seen.set(key(entry), (seen.get(key(entry)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([request, n]) => `${n} × ${request}`);
}

const count = (log: readonly RequestLogEntry[], method: string, pattern: RegExp) =>
  log.filter((e) => e.method === method && pattern.test(e.path)).length;

describe('API calls of the reference config', () => {
  const sandbox = useSandbox({ seed: 9, zones: ['daffeinated.com:pro'], heroku: QUICK_HEROKU });

  async function converged(): Promise<Scenario> {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const applied = await scenario.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    sandbox().resetLog();
    return scenario;
  }

  it('a plan reads each thing once: no request twice, one zone lookup, one DNS listing, no writes', async () => {
    const scenario = await converged();
    const plan = await scenario.run(['plan', '--all']);
    expect(plan.code, plan.stderr).toBe(0);
    const log = sandbox().requestLog();
    expect(repeated(log)).toEqual([]);
    expect(count(log, 'GET', /^\/client\/v4\/zones\?name=/)).toBe(1);
    expect(count(log, 'GET', /\/dns_records\?/)).toBe(1);
    expect(log.filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('an apply of an empty account looks the zone up once and batches its writes', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const applied = await scenario.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const log = sandbox().requestLog();
    // Plan, apply and the confirming re-read share one zone lookup.
    expect(count(log, 'GET', /^\/client\/v4\/zones\?name=/)).toBe(1);
    expect(count(log, 'PATCH', /\/zones\/[0-9a-f]{32}\/settings$/)).toBe(1);
    for (const phase of ['http_request_firewall_managed', 'http_request_firewall_custom', 'http_ratelimit']) {
      expect(count(log, 'PUT', new RegExp(`/rulesets/phases/${phase}/entrypoint$`)), phase).toBe(1);
    }
    expect(count(log, 'POST', /^\/apps$/)).toBe(2);
    for (const app of ['daffeinated-staging', 'daffeinated-production']) {
      expect(count(log, 'PATCH', new RegExp(`^/apps/${app}/config-vars$`)), app).toBe(1);
    }
    // Price lists are read once per run, whatever the number of add-ons and re-plans.
    expect(repeated(log.filter((e) => e.path.startsWith('/addon-services/')))).toEqual([]);
  });

  it('a config var changed in defaults is written with one PATCH per app, and nothing else', async () => {
    const scenario = await converged();
    scenario.write(REFERENCE_YAML.replace('NODE_ENV: production', 'NODE_ENV: staging'));
    const applied = await scenario.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const writes = sandbox()
      .requestLog()
      .filter((e) => e.method !== 'GET' && !isLockBookkeeping(e))
      .map(key)
      .sort();
    expect(writes).toEqual([
      'PATCH /apps/daffeinated-production/config-vars',
      'PATCH /apps/daffeinated-staging/config-vars',
    ]);
  });
});
