import { describe, expect, it } from 'vitest';
import { HerokuClient } from '../../src/providers/heroku/client.js';
import { readHeroku } from '../../src/providers/heroku/read.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { ManualClock } from '../helpers/heroku.js';
import { heroku, useSandbox } from '../helpers/sandbox.js';
import { Scenario, tally } from '../helpers/scenario.js';
import { desired } from '../providers/heroku/fixtures.js';

// The rate budget of a drift (DESIGN.md §8, issue #20): the reads of 200 environments that declare
// nothing but their app cost at most 4.5·200 + 10 Heroku requests, and a bucket too small for them
// makes the read wait for it, and say so, instead of meeting 429s.
const COUNT = 200;
const ENVIRONMENTS = Array.from({ length: COUNT }, (_, i) => `env${String(i + 1).padStart(3, '0')}`);
const appOf = (environment: string) => `daff-rb-${environment}`;

const YAML = `version: 1
name: daffeinated
region: us
stack: heroku-24
environments:
${ENVIRONMENTS.map((e) => `  ${e}:\n    app: ${appOf(e)}`).join('\n')}
`;

/** The apps as an apply of YAML leaves them (it declares none of their parts), created with a token of their own. */
async function seedApps(sandbox: SandboxHandle): Promise<void> {
  for (const environment of ENVIRONMENTS) {
    const created = await heroku(sandbox, 'POST', '/apps', {
      token: 'seed-token',
      body: { name: appOf(environment), region: 'us', stack: 'heroku-24' },
    });
    expect(created.status).toBe(201);
  }
  sandbox.resetLog();
}

/** Heroku requests in the log that spend a token (`GET /account/rate-limits` is free). */
function spent(sandbox: SandboxHandle) {
  return sandbox.requestLog().filter((e) => e.api === 'heroku' && e.path !== '/account/rate-limits');
}

describe(`rate budget of a drift of ${COUNT} environments`, () => {
  const sandbox = useSandbox({ seed: 20 });

  it('reads with the account-wide listings and four requests per app, within 4.5·N + 10; the lock survey adds one per app, --no-lock-survey none', async () => {
    await seedApps(sandbox());
    const scenario = new Scenario(sandbox, YAML);
    const drift = await scenario.run(['drift', '--all']);
    expect(drift.code, drift.stderr.slice(-2000)).toBe(0);
    const kinds = () => tally(spent(sandbox()).map((e) => `${e.method} ${e.path.replace(/^\/apps\/[^/]+/, '/apps/{app}')}`));
    const reads = {
      'GET /apps': 1,
      'GET /addons': 1,
      'GET /apps/{app}/config-vars': COUNT,
      'GET /apps/{app}/formation': COUNT,
      'GET /apps/{app}/domains': COUNT,
      'GET /apps/{app}/log-drains': COUNT,
    };
    // The reads: GET /apps and GET /addons for the account, config vars, formation, domains and
    // log drains per app. Alongside them the apply locks drift reports (lock-report.ts): one
    // webhook list per app, which no account-wide listing holds.
    expect(kinds()).toEqual({ ...reads, 'GET /apps/{app}/webhooks': COUNT });
    expect(spent(sandbox()).length - COUNT).toBeLessThanOrEqual(4.5 * COUNT + 10);
    // The survey queues behind the plan's reads (HerokuLocks.survey): none of the 20 requests the
    // pacer lets out before its first answer is a survey's, which would push the reads a round later.
    expect(spent(sandbox()).slice(0, 20).filter((e) => e.path.endsWith('/webhooks'))).toEqual([]);

    sandbox().resetLog();
    const unsurveyed = await scenario.run(['drift', '--all', '--no-lock-survey']);
    expect(unsurveyed.code, unsurveyed.stderr.slice(-2000)).toBe(0);
    expect(kinds()).toEqual(reads);
    expect(spent(sandbox()).length).toBeLessThanOrEqual(4.5 * COUNT + 10);
  }, 240_000);
});

describe(`pacing a read of ${COUNT} apps through a small bucket`, () => {
  // The bucket refills on a clock that moves only while the client sleeps for it: how long the
  // machine takes to answer cannot refill it, so the read must wait, whatever the machine's load.
  const clock = new ManualClock();
  const sandbox = useSandbox({ seed: 21, clock: clock.now, rateLimit: { capacity: 300, refillPerMinute: 3_000 } });

  it('waits for the bucket, seconds at a time and told so, and never meets a 429', async () => {
    await seedApps(sandbox());
    const waits: number[] = [];
    const client = new HerokuClient({
      baseUrl: sandbox().url,
      token: 'sandbox-token',
      userAgent: 'test',
      now: clock.now,
      sleep: async (ms) => {
        clock.advance(ms);
      },
      onPace: (_message, waitMs) => waits.push(waitMs),
    });
    const live = await readHeroku(client, { scopes: ENVIRONMENTS, desired: desired(YAML, ENVIRONMENTS).resources });
    client.close();
    expect(live.resources.filter((r) => r.kind === 'heroku.app')).toHaveLength(COUNT);
    expect(sandbox().requestLog().filter((e) => e.status === 429)).toEqual([]);
    expect(spent(sandbox()).length).toBe(2 + 4 * COUNT);
    // 802 requests from a bucket of 300 at 50 a second: about 10 s of waits, some of a second or more.
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(((2 + 4 * COUNT - 300) / 50) * 1000 * 0.9);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(1_000);
  }, 120_000);
});
