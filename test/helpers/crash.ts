import { expect } from 'vitest';
import type { FaultKind } from '../../src/sandbox/index.js';
import { type Census, census, dataAddonIds, repeatedCreates, seedForeign } from './census.js';
import { useSandbox } from './sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from './scenario.js';

/** Where a crashed apply is stopped: at its k-th request, in the way `kind` says. */
interface CrashPoint {
  readonly k: number;
  readonly kind: FaultKind;
}

/**
 * The two crashes at request k: the connection cut after the sandbox carried the request out
 * (`reset_after`: "did my POST happen?"), and before (a reset for odd k, a 500 for even k).
 */
function crashesAt(k: number): CrashPoint[] {
  return [
    { k, kind: 'reset_after' },
    { k, kind: k % 2 === 1 ? 'reset' : 'server_error' },
  ];
}

/**
 * Which third of a clean apply's requests 1…total a test crashes at: the first (roughly the locks,
 * the reads and the apps' creation), the middle (the re-read, then the add-ons, rules, domains,
 * pipeline and DNS created) or the last (waiting for add-ons and domains, couplings, zone settings,
 * the backup schedule, the final re-read). A third a file, so each runs well within its timeout.
 */
export type Third = 'first' | 'middle' | 'last';

const ENV = { STRIPE_KEY: 'sk_test_crash_every_step', DAFFEINATED_RETRY_BASE_MS: '1' };
const APPLY = ['apply', '--all', '--yes'];

/**
 * Crash at every step: a full apply of config/app.yaml (both environments, Heroku and Cloudflare) on
 * an empty sandbox (seed 31, so every fresh world makes the same requests; a foreign TXT and A record
 * and a dashboard WAF rule seeded) is stopped at request k, then the same command runs again without
 * faults. The first run exits 0 or 1 without a stack trace. The second must exit 0 (which includes
 * its final re-read finding nothing left to do: an empty plan), leave exactly what a clean apply
 * leaves (no duplicate app, add-on, domain, drain, coupling, DNS record or rule; foreign records and
 * the dashboard rule untouched), keep every data add-on the first run made and delete nothing but its
 * locks; no creating POST takes effect twice. Both outcomes of a first run occur in each third: some
 * faults absorbed (a read retried), some stopping the run.
 *
 * Call inside `describe` (one sandbox for it); returns the test's body: both crashes at every request
 * k of `third`.
 */
export function crashAtEveryStep(third: Third): () => Promise<void> {
  const sandbox = useSandbox({ seed: 31, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, REFERENCE_YAML, ENV);

  async function fresh(): Promise<void> {
    await sandbox().reset();
    await seedForeign(sandbox());
  }

  /** What a clean apply leaves, and how many requests it makes. */
  async function cleanApply(): Promise<{ converged: Census; total: number }> {
    await fresh();
    sandbox().setFaults({});
    const clean = await scenario.run(APPLY);
    expect(clean.code, clean.stderr).toBe(0);
    const total = sandbox().requestCount();
    const converged = census(sandbox());
    expect(converged.addons).toHaveLength(6);
    expect(converged.records).toContain('TXT daffeinated.com "google-site-verification=foreign"');
    expect(converged.rules.filter((r) => r.endsWith('dashboard-emergency'))).toHaveLength(1);
    expect(total).toBeGreaterThan(60);
    return { converged, total };
  }

  /** The apply crashed at `point`, then again without faults: whether the first run stopped. */
  async function crashThenAgain({ k, kind }: CrashPoint, converged: Census): Promise<'stopped' | 'recovered'> {
    await fresh();
    sandbox().setFaults({ failRequests: [{ request: k, kind }] });
    const first = await scenario.run(APPLY);
    expect([0, 1], `k=${k} ${kind}: ${first.stderr}`).toContain(first.code);
    expect(first.stderr, `k=${k} ${kind}`).not.toMatch(/\n\s+at .*\(/);
    const kept = dataAddonIds(sandbox());
    sandbox().setFaults({});
    const again = await scenario.run(APPLY);
    const where = `k=${k} ${kind}\n--- first\n${first.stderr}\n--- again\n${again.stderr}`;
    expect(again.code, where).toBe(0);
    expect(census(sandbox()), where).toEqual(converged);
    expect(dataAddonIds(sandbox()), where).toEqual(expect.arrayContaining(kept));
    expect(repeatedCreates(sandbox().requestLog()), where).toEqual([]);
    const deletes = sandbox()
      .requestLog()
      .filter((e) => e.method === 'DELETE' && !e.path.includes('/webhooks/'));
    expect(deletes, where).toEqual([]);
    return first.code === 0 ? 'recovered' : 'stopped';
  }

  return async () => {
    const { converged, total } = await cleanApply();
    const index = (['first', 'middle', 'last'] as const).indexOf(third);
    const from = Math.ceil((total * index) / 3) + 1;
    const to = Math.ceil((total * (index + 1)) / 3);
    const stopped: string[] = [];
    let recovered = 0;
    for (let k = from; k <= to; k++) {
      for (const point of crashesAt(k)) {
        if ((await crashThenAgain(point, converged)) === 'stopped') stopped.push(`${k} ${point.kind}`);
        else recovered += 1;
      }
    }
    console.info(
      `crash points tested: ${2 * (to - from + 1)} (k = ${from}…${to} of ${total}, 2 fault kinds each); ${stopped.length} stopped the run (${stopped.join(', ')}), ${recovered} were absorbed`,
    );
    expect(recovered).toBeGreaterThan(0);
    expect(stopped.length).toBeGreaterThan(0);
  };
}
