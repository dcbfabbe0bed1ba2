import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, Scenario } from '../helpers/scenario.js';

// Rate limits: a plan and an apply of 20 environments stay under Heroku's published limit (a
// bucket of 4,500 requests, refilled at ~75/min) and Cloudflare's (1,200 requests per 5 min), and
// the clients pace themselves so they never meet a 429. Proven against the sandbox's limiters set
// far smaller — a Heroku bucket of 120 refilled at 30/s (slower than an apply sends, even on a
// loaded machine), a Cloudflare window of 3 requests per
// second (going over it blocks for the whole window) — where unpaced runs would be refused: not
// one 429 may reach the sandbox's log, let alone the user, and the pacers' waits show with --debug.
// A command learns the bucket's level from its first answers, so its first 20 requests
// (runtime/pacing.ts FIRST_BURST) go out before it knows: commands here start on a refilled bucket
// that holds them, as they do on Heroku's 4,500; one started on an empty bucket waits its 429s out.
const ENVIRONMENTS = Array.from({ length: 20 }, (_, i) => `env${String(i + 1).padStart(2, '0')}`);

const YAML = `version: 1
name: daffeinated
region: us
stack: heroku-24
defaults:
  formation:
    web: { quantity: 1, size: basic }
  addons:
    monitoring: { plan: "newrelic:wayne" }
  config:
    NODE_ENV: production
environments:
${ENVIRONMENTS.map((e) => `  ${e}:\n    app: daff-rl-${e}\n    domains: [${e}.daffeinated.com]`).join('\n')}
cloudflare:
  zones:
    daffeinated.com:
      owner: env01
      tls: { mode: strict, min_version: "1.2", always_use_https: true }
      dns:
        - { name: "@", type: TXT, content: "v=spf1 -all" }
`;

const ENV = { DAFFEINATED_RETRY_BASE_MS: '1' };
/** The sandbox's bucket (120 at 30/s) is full again. */
const refilled = () => new Promise((resolve) => setTimeout(resolve, 4_300));

describe('rate limits with 20 environments', () => {
  const sandbox = useSandbox({
    seed: 51,
    zones: [{ name: 'daffeinated.com', plan: 'pro' }],
    heroku: QUICK_HEROKU,
    rateLimit: { capacity: 120, refillPerMinute: 1_800 },
    cloudflareRateLimit: { requests: 3, windowSeconds: 1 },
  });
  const scenario = new Scenario(sandbox, YAML, ENV);

  it('plans and applies within both limits, pacing instead of meeting 429s', async () => {
    const started = Date.now();
    const plan = await scenario.run(['plan', '--all', '--debug']);
    expect(plan.code, plan.stderr).toBe(0);
    const planLog = sandbox().requestLog();
    await refilled();
    const apply = await scenario.run(['apply', '--all', '--yes', '--debug']);
    expect(apply.code, apply.stderr.slice(-3000)).toBe(0);
    const minutes = Math.max(1, (Date.now() - started) / 60_000);
    const log = sandbox().requestLog();
    const heroku = log.filter((e) => e.api === 'heroku' && e.path !== '/account/rate-limits');
    const cloudflare = log.filter((e) => e.api === 'cloudflare');
    const probes = log.filter((e) => e.path === '/account/rate-limits');

    expect(log.filter((e) => e.status === 429)).toEqual([]);
    expect(`${plan.stderr}${apply.stderr}`).not.toMatch(/HTTP 429|rate limited|RateLimited/);
    // The sandbox's small limits were really in play: the pacers waited, and said so at --debug.
    expect(apply.stderr).toMatch(/debug: pacing: Heroku rate limit: \d+ request\(s\) left; waiting \d+ ms/);
    expect(`${plan.stderr}${apply.stderr}`).toMatch(/debug: pacing: Cloudflare rate limit: \d+ of 3 requests used in the last 1 s; waiting \d+ ms/);
    expect(probes.length).toBeGreaterThan(0);
    // The published limits: 4,500 per bucket (plus ~75/min of refill) and 1,200 per 5 minutes.
    expect(heroku.length).toBeLessThan(4_500 + 75 * minutes);
    expect(cloudflare.length).toBeLessThan(1_200);
    expect(planLog.filter((e) => e.api === 'heroku').length).toBeLessThanOrEqual(20 * 9 + 5);
    await refilled();
    expect((await scenario.run(['plan', '--all', '--detailed-exitcode'])).code).toBe(0);
    expect(sandbox().requestLog().filter((e) => e.status === 429)).toEqual([]);
    console.info(
      `rate limits: plan ${planLog.filter((e) => e.api === 'heroku').length} Heroku + ${planLog.filter((e) => e.api === 'cloudflare').length} Cloudflare requests; plan+apply ${heroku.length} Heroku (+${probes.length} free probes) + ${cloudflare.length} Cloudflare requests, 0 × 429`,
    );
  }, 180_000);
});
