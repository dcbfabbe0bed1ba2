import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { census, dataAddonIds, repeatedCreates, seedForeign } from '../helpers/census.js';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Fault storms: 20% of all requests fail (429 with Retry-After, 500, 503 with Retry-After, a reset
// before the request is carried out, a reset after), seeded. A full apply of config/app.yaml, run
// again while it stops, converges under the storm itself; no creating POST takes effect twice;
// nothing is duplicated or lost; retries are bounded; every failure names its address, HTTP status
// and request id (or, with no answer at all, the connection error).
const ENV = { STRIPE_KEY: 'sk_test_fault_storm', DAFFEINATED_RETRY_BASE_MS: '1' };
const STORM = { rate_limit: 0.05, server_error: 0.05, unavailable: 0.04, reset: 0.03, reset_after: 0.03 };
const FAILURE_LINE = /^\s+✗ (\S+): (.*)$/;
const ADDRESS = /^(heroku|cloudflare)\.[a-z-]+\[[^\]]+\]$/;
const NAMED_CAUSE = /\(HTTP \d{3}, .*request id [\w-]+\)$|: (ECONNRESET|EPIPE|socket hang up|network error|fetch failed)|\((ECONNRESET|network error)\)$/;

describe('fault storms', () => {
  const sandbox = useSandbox({ seed: 41, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, REFERENCE_YAML, ENV);
  const apply = ['apply', '--all', '--yes'];

  it('with 20% of requests failing, apply converges with nothing created twice', async () => {
    await sandbox().reset();
    await seedForeign(sandbox());
    expect((await scenario.run(apply)).code).toBe(0);
    const converged = census(sandbox());
    const seeds = [1, 2, 3, 4, 5];
    let attempts = 0;
    let faults = 0;
    let requests = 0;
    for (const seed of seeds) {
      // A storm per seed: the sandbox draws each fault from (seed, request number).
      const storm = await startSandbox({ seed, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
      try {
        await seedForeign(storm);
        storm.setFaults({ rates: STORM, retryAfterSeconds: 0 });
        storm.resetLog();
        const stormy = new Scenario(() => storm, REFERENCE_YAML, ENV);
        let run = await stormy.run(apply);
        const failures: string[] = [];
        for (let tries = 1; run.code !== 0 && tries < 8; tries++) {
          expect(run.code, run.stderr).toBe(1);
          failures.push(run.stderr);
          run = await stormy.run(apply);
        }
        attempts += failures.length + 1;
        const log = storm.requestLog();
        faults += log.filter((e) => e.fault !== undefined).length;
        requests += log.length;
        const where = `seed ${seed}\n${failures.join('\n---\n')}\n--- last\n${run.stderr}`;
        expect(run.code, where).toBe(0);
        for (const stderr of failures) {
          expect(stderr, where).not.toMatch(/\n\s+at .*\(/);
          for (const line of stderr.split('\n').filter((l) => FAILURE_LINE.test(l))) {
            const [, address, cause] = FAILURE_LINE.exec(line) as RegExpExecArray;
            expect(address, line).toMatch(ADDRESS);
            expect(cause, line).toMatch(NAMED_CAUSE);
          }
        }
        expect(census(storm), where).toEqual(converged);
        expect(dataAddonIds(storm)).toHaveLength(4);
        expect(repeatedCreates(log), where).toEqual([]);
        expect(log.filter((e) => e.method === 'DELETE' && !e.path.includes('/webhooks/')), where).toEqual([]);
      } finally {
        await storm.close();
      }
    }
    expect(faults / requests).toBeGreaterThan(0.12);
    console.info(`fault storms: ${seeds.length} seeds at 20% failing requests; ${faults} of ${requests} requests failed; converged in ${attempts} apply runs`);
  }, 120_000);

  it('waits out 429s (Retry-After) and never shows one to the user', async () => {
    await sandbox().reset();
    sandbox().setFaults({ rates: { rate_limit: 0.2 }, retryAfterSeconds: 1 });
    const started = performance.now();
    const plan = await scenario.run(['plan', '--all']);
    const limited = sandbox().requestLog().filter((e) => e.status === 429);
    expect(plan.code, plan.stderr).toBe(0);
    expect(limited.length).toBeGreaterThan(2);
    expect(plan.stderr).toMatch(/was rate limited \(HTTP 429\); retry 1 in 1000 ms/);
    expect(performance.now() - started).toBeGreaterThan(1000);
    expect(plan.stdout).not.toContain('429');
  });

  it('bounds retries: with every request failing, each read is tried 6 times, then the error names status and request id', async () => {
    await sandbox().reset();
    sandbox().setFaults({ rates: { server_error: 1 } });
    const plan = await scenario.run(['plan', 'staging']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/^Error: .* rejected GET .*\(HTTP 500, (internal_server_error|10002), request id [\w-]+\)$/m);
    expect(plan.stderr).not.toMatch(/\n\s+at .*\(/);
    const tries = new Map<string, number>();
    for (const e of sandbox().requestLog()) tries.set(`${e.method} ${e.path}`, (tries.get(`${e.method} ${e.path}`) ?? 0) + 1);
    expect(Math.max(...tries.values())).toBe(6);
  });

  it('a creating POST that fails with a 5xx is not resent: the apply stops naming address, status and request id', async () => {
    await sandbox().reset();
    sandbox().setFaults({});
    expect((await scenario.run(['plan', '--all'])).code).toBe(0);
    const reads = sandbox().requestCount();
    // The first write of an empty sandbox is a creating POST (an app, or the DNS batch of the zone).
    sandbox().setFaults({ failRequests: Array.from({ length: 40 }, (_, i) => ({ request: reads + 1 + i, kind: 'server_error' as const })) });
    const run = await scenario.run(apply);
    expect(run.code).toBe(1);
    // Creating POSTs carry a body; POST /apps/{app}/acm (a switch, resent safely) has none.
    const posts = sandbox().requestLog().filter((e) => e.method === 'POST' && e.status === 500 && e.bodyDigest !== undefined);
    const resent = posts.filter((e, i) => posts.findIndex((o) => o.path === e.path && o.bodyDigest === e.bodyDigest) !== i);
    expect(resent).toEqual([]);
    // A change that failed, or the apply lock's create or list (taken once the new apps exist: workflows/apply-lock.ts).
    expect(run.stderr).toMatch(
      /(✗ (heroku|cloudflare)\.[a-z-]+\[[^\]]+\]: |Error: (Could not read the apply lock of [\w-]+ \(on its Heroku app\): )?Heroku rejected [A-Z]+ \/apps\/[\w-]+\/(webhooks|log-drains)\b).*\(HTTP 500, .*request id [\w-]+\)/,
    );
  });
});
