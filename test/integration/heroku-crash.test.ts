import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// An apply whose connection breaks right after Heroku processed a write (the "did my POST
// happen?" case) at each write of a first apply, then run again: it converges, with nothing
// created twice.
const STRIPE = 'sk_test_crash_0a1b';

describe('Heroku: apply after a broken connection converges without duplicates', () => {
  const sandbox = useSandbox({ seed: 21, zones: ['daffeinated.com:enterprise'], heroku: QUICK_HEROKU });

  function census() {
    const state = sandbox().state().heroku;
    const app = state.apps.find((a) => a.name === 'daffeinated-staging');
    return {
      apps: state.apps.length,
      addons: app?.addons.map((a) => a.service.name).sort(),
      domains: app?.domains.map((d) => d.hostname),
      pipelines: state.pipelines.length,
      couplings: state.couplings.length,
    };
  }

  it('at every write of the first apply', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    expect((await scenario.run(['apply', 'staging', '--yes'])).code).toBe(0);
    const converged = census();
    const writes = sandbox()
      .requestLog()
      .filter((e) => e.api === 'heroku' && e.method !== 'GET')
      .map((e) => e.seq);
    expect(writes.length).toBeGreaterThan(8);
    for (const request of writes) {
      await sandbox().reset();
      sandbox().setFaults({ failRequests: [{ request, kind: 'reset_after' }] });
      const interrupted = await scenario.run(['apply', 'staging', '--yes']);
      sandbox().setFaults({});
      const again = await scenario.run(['apply', 'staging', '--yes']);
      expect(again.code, `request ${request}: ${interrupted.stderr}\n${again.stderr}`).toBe(0);
      expect(census(), `request ${request}`).toEqual(converged);
    }
  });
});
