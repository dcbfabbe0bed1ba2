import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Partial apply: a write in the middle of a full apply fails (a 500 on the staging domain's
// creating POST, which is never resent blindly). The apply stops after that level and says what
// was applied, what failed (address, status, request id) and what was not attempted; the same
// command run again plans only what is left, applies it and converges.
const ENV = { STRIPE_KEY: 'sk_test_partial', DAFFEINATED_RETRY_BASE_MS: '1' };
const TARGET = 'POST /apps/daffeinated-staging/domains';

describe('an apply stopped part way', () => {
  const sandbox = useSandbox({ seed: 71, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, REFERENCE_YAML, ENV);
  const apply = ['apply', '--all', '--yes'];
  const seqOf = () => sandbox().requestLog().find((e) => `${e.method} ${e.path}` === TARGET)?.seq;

  it('lists applied, failed and not attempted, and the re-run continues from there', async () => {
    // Concurrent requests reach the sandbox in an order that can vary slightly between runs:
    // find the number of the target request in a clean run, and fail that one.
    let stopped: Awaited<ReturnType<Scenario['run']>> | undefined;
    for (let attempt = 0; attempt < 5 && stopped === undefined; attempt++) {
      await sandbox().reset();
      sandbox().setFaults({});
      expect((await scenario.run(apply)).code).toBe(0);
      const k = seqOf();
      expect(k).toBeDefined();
      await sandbox().reset();
      sandbox().setFaults({ failRequests: [{ request: k as number, kind: 'server_error' }] });
      const run = await scenario.run(apply);
      if (sandbox().requestLog().find((e) => e.seq === k && `${e.method} ${e.path}` === TARGET)) stopped = run;
    }
    if (stopped === undefined) throw new Error(`${TARGET} never came at the same request number twice`);
    sandbox().setFaults({});
    expect(stopped.code).toBe(1);
    const text = stopped.stderr;
    expect(text).toContain('Apply stopped: 1 change failed.');
    expect(text).toMatch(/✗ heroku\.domain\[staging\/staging\.daffeinated\.com\]: Heroku rejected POST \/apps\/daffeinated-staging\/domains: Internal server error\. \(HTTP 500, internal_server_error, request id [0-9a-f-]{36}\)/);
    const applied = /^\s+applied: (.*)$/m.exec(text)?.[1]?.split(', ') ?? [];
    const notAttempted = /^\s+not attempted: (.*)$/m.exec(text)?.[1]?.split(', ') ?? [];
    expect(applied).toEqual(expect.arrayContaining(['heroku.app[staging]', 'heroku.app[production]', 'heroku.addon[staging/database]']));
    // Production's domain was added, but its certificate step (after the zone's DNS batch) never ran.
    expect(notAttempted).toEqual(expect.arrayContaining(['cloudflare.dns[daffeinated.com/CNAME/staging]', 'heroku.coupling[staging]', 'heroku.domain[production/daffeinated.com]']));
    expect(applied.filter((a) => notAttempted.includes(a))).toEqual([]);
    expect(text).toContain('run the same command again');
    expect(text).not.toMatch(/\n\s+at .*\(/);

    // The re-run plans only what is left: the failed domain and what waited for it.
    const again = await scenario.run([...apply, '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const planned = (JSON.parse(again.stdout) as { changes: { address: string }[] }).changes.map((c) => c.address);
    expect(planned).toContain('heroku.domain[staging/staging.daffeinated.com]');
    expect(planned).toContain('cloudflare.dns[daffeinated.com/CNAME/staging]');
    expect(planned).toContain('heroku.coupling[staging]');
    for (const done of applied) expect(planned).not.toContain(done);
    expect((await scenario.run(['plan', '--all', '--detailed-exitcode'])).code).toBe(0);
  });
});
