import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/sandbox/index.js';
import { type Census, census, dataAddonIds, repeatedCreates, seedForeign } from '../helpers/census.js';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Crash at every step: a full apply of config/app.yaml (both environments, Heroku and Cloudflare)
// on an empty sandbox is stopped at request k, for every k from 1 to the number of requests a
// clean apply makes, in two ways: the connection is cut after the sandbox carried the request out
// (`reset_after`: "did my POST happen?"), and before (a reset for odd k, a 500 for even k). Then
// the same command runs again without faults. It must exit 0 (which includes its final re-read
// finding nothing left to do: an empty plan), leave exactly what a clean apply leaves (no
// duplicate app, add-on, domain, drain, coupling, DNS record or rule; foreign records and the
// dashboard rule untouched), keep every data add-on the first run made, and never have a creating
// POST take effect twice.
const ENV = { STRIPE_KEY: 'sk_test_crash_every_step', DAFFEINATED_RETRY_BASE_MS: '1' };

describe('crash at every step of a full apply, then the same apply again', () => {
  const sandbox = useSandbox({ seed: 31, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, REFERENCE_YAML, ENV);
  const apply = ['apply', '--all', '--yes'];

  async function fresh(): Promise<void> {
    await sandbox().reset();
    await seedForeign(sandbox());
  }

  it('converges with nothing duplicated or lost from every crash point', async () => {
    await fresh();
    sandbox().setFaults({});
    const clean = await scenario.run(apply);
    expect(clean.code, clean.stderr).toBe(0);
    const total = sandbox().requestCount();
    const converged: Census = census(sandbox());
    expect(converged.addons).toHaveLength(6);
    expect(converged.records).toContain('TXT daffeinated.com "google-site-verification=foreign"');
    expect(converged.rules.filter((r) => r.endsWith('dashboard-emergency'))).toHaveLength(1);
    expect(total).toBeGreaterThan(60);

    const points: { k: number; kind: FaultKind }[] = [];
    for (let k = 1; k <= total; k++) points.push({ k, kind: 'reset_after' }, { k, kind: k % 2 === 1 ? 'reset' : 'server_error' });
    const outcomes = { stopped: 0, recovered: 0 };
    for (const { k, kind } of points) {
      await fresh();
      sandbox().setFaults({ failRequests: [{ request: k, kind }] });
      const first = await scenario.run(apply);
      expect([0, 1], `k=${k} ${kind}: ${first.stderr}`).toContain(first.code);
      outcomes[first.code === 0 ? 'recovered' : 'stopped'] += 1;
      expect(first.stderr, `k=${k} ${kind}`).not.toMatch(/\n\s+at .*\(/);
      const kept = dataAddonIds(sandbox());
      sandbox().setFaults({});
      const again = await scenario.run(apply);
      const where = `k=${k} ${kind}\n--- first\n${first.stderr}\n--- again\n${again.stderr}`;
      expect(again.code, where).toBe(0);
      expect(census(sandbox()), where).toEqual(converged);
      expect(dataAddonIds(sandbox()), where).toEqual(expect.arrayContaining(kept));
      expect(repeatedCreates(sandbox().requestLog()), where).toEqual([]);
      expect(sandbox().requestLog().filter((e) => e.method === 'DELETE' && !e.path.includes('/webhooks/')), where).toEqual([]);
    }
    // Both kinds of outcome happen: some faults are absorbed (a read retried), some stop the run.
    expect(outcomes.recovered).toBeGreaterThan(0);
    expect(outcomes.stopped).toBeGreaterThan(0);
    console.info(`crash points tested: ${points.length} (k = 1…${total}, 2 fault kinds each); ${outcomes.stopped} stopped the run, ${outcomes.recovered} were absorbed`);
  }, 600_000);
});
