import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, Scenario } from '../helpers/scenario.js';

// A Retry-After longer than daffeinated sleeps through (the 2-minute retry budget for Heroku;
// Cloudflare's documented 5-minute block, developers.cloudflare.com/fundamentals/api/reference/limits)
// is not waited out blindly: the command stops at once and says when to run it again (issue 14).
describe('a rate limit that asks for a long wait', () => {
  const sandbox = useSandbox({ seed: 41, zones: ['daffeinated.com:pro'], heroku: QUICK_HEROKU });

  it('fails the command at once, saying when to retry, and sends nothing after the refused request', async () => {
    const scenario = new Scenario(sandbox, undefined, { STRIPE_KEY: 'sk_test_wait' });
    sandbox().setFaults({ failRequests: [{ request: 1, kind: 'rate_limit' }], retryAfterSeconds: 400 });
    sandbox().resetLog();
    const result = await scenario.run(['plan', '--all']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/the API asks to wait 400 s, longer than daffeinated waits \((120|300) s\): not waited/);
    expect(result.stderr).toMatch(/Run the command again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 400 s\)\./);
    expect(sandbox().requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
  });
});
