import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// The apply scheduler (workflows/apply.ts) against the sandbox: an apply of an empty account
// writes each zone's DNS in one batch, after the Heroku domains its CNAMEs point at, from the
// records the plan read (no listing before the batch); the proxied CNAMEs go DNS-only there and
// are turned proxied in one more batch once ACM has issued their certificates (the TLS sequence,
// model/certificate.ts), which lists the zone once for the ids; then it converges.
const batch = /^\/client\/v4\/zones\/([0-9a-f]{32})\/dns_records\/batch$/;
const listing = /^\/client\/v4\/zones\/([0-9a-f]{32})\/dns_records\?/;

describe('an apply of an empty account, scheduled by dependencies', () => {
  const sandbox = useSandbox({ seed: 23, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });

  it('sends one DNS batch per zone after the domains and one after the certificates, lists the zone only for the second, and converges', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: 'sk_test_schedule' });
    const applied = await scenario.run(['apply', '--all', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    const log = sandbox().requestLog();
    const at = (test: (e: RequestLogEntry) => boolean) => log.flatMap((e, i) => (test(e) ? [i] : []));

    const batches = at((e) => e.method === 'POST' && batch.test(e.path));
    expect(batches).toHaveLength(2);
    const zone = batch.exec(log[batches[0] as number]?.path ?? '')?.[1];
    // Every domain exists before the batch that points CNAMEs at it.
    const domains = at((e) => e.method === 'POST' && /^\/apps\/[^/]+\/domains$/.test(e.path));
    expect(domains.length).toBeGreaterThan(0);
    expect(Math.max(...domains)).toBeLessThan(batches[0] as number);
    // The zone's records are listed by the plan, by the re-read under the lock (taken once the new
    // apps exist) and by the confirming re-read, never between the first change and the batch.
    const locked = log.findLastIndex((e) => e.method === 'GET' && /^\/apps\/[^/]+\/webhooks$/.test(e.path));
    const firstWrite = log.findIndex((e, i) => i > locked && e.method !== 'GET');
    const listings = at((e) => e.method === 'GET' && listing.exec(e.path)?.[1] === zone);
    expect(listings.filter((i) => i > firstWrite && i < (batches[0] as number))).toEqual([]);
    expect(listings.filter((i) => i > (batches[0] as number) && i < (batches[1] as number))).toHaveLength(1);
    expect(listings.filter((i) => i > (batches[1] as number))).toHaveLength(1);
    // Between the two batches ACM was asked (each proxied domain read at least once) and had issued them.
    const certificates = at((e) => e.method === 'GET' && /^\/apps\/[^/]+\/domains\/[^/]+$/.test(e.path));
    expect(certificates.filter((i) => i > (batches[0] as number) && i < (batches[1] as number)).length).toBeGreaterThanOrEqual(3);

    expect((await scenario.run(['plan', '--all', '--detailed-exitcode'])).code).toBe(0);
  });
});
