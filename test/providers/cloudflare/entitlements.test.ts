import { describe, expect, it } from 'vitest';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import { entitlementProblems } from '../../../src/providers/cloudflare/entitlements.js';
import { appConfig, ZONE, zoneConfig } from './fixtures.js';

// The plan-time checks against the shared table (src/facts/cloudflare-plans.ts); sources there.
const desired = (overrides: Parameters<typeof zoneConfig>[0] = {}) =>
  desiredCloudflare(appConfig(zoneConfig(overrides)), ['production']).resources;
const check = (plan: string | undefined, resources = desired(), foreign: [string, number][] = []) =>
  entitlementProblems(ZONE, { plan, desired: resources, foreignRules: new Map(foreign) });
const messages = (plan: string | undefined, resources = desired(), foreign: [string, number][] = []) =>
  check(plan, resources, foreign).map((d) => [d.line, d.message]);

describe('Cloudflare plan entitlements before any write', () => {
  it('refuses on Free what the fixture declares, each at its app.yaml line', () => {
    expect(messages('free')).toEqual([
      [
        55,
        expect.stringContaining(
          "rule daffeinated:login is not allowed on the Free plan of daffeinated.com: period 60 s is over the plan's 10 s",
        ),
      ],
      // Hand-built configs carry no location for `managed`: the zone's line stands in.
      [30, expect.stringContaining('rule daffeinated:managed-cloudflare is not allowed on the Free plan')],
    ]);
  });

  it('allows it all on Pro, and an unknown or missing plan is left to the API', () => {
    expect(check('pro')).toEqual([]);
    expect(check(undefined)).toEqual([]);
    expect(check('lite')).toEqual([]);
  });

  it('allows 65,535 s periods and challenges with a timeout on Enterprise only', () => {
    const [login] = zoneConfig().waf?.rateLimits ?? [];
    const waf = {
      managed: [],
      custom: [],
      rateLimits: [
        { ...(login as NonNullable<typeof login>), period: 65535, timeout: 3600, action: 'managed_challenge' as const },
      ],
    };
    expect(check('enterprise', desired({ waf }))).toEqual([]);
    expect(messages('business', desired({ waf }))).toEqual([
      [
        55,
        expect.stringContaining(
          "period 65535 s is over the plan's 600 s; a managed_challenge action needs timeout 0 below Enterprise",
        ),
      ],
    ]);
  });

  it('counts the rules daffeinated does not manage towards the phase cap', () => {
    expect(check('pro', desired(), [['http_ratelimit', 1]])).toEqual([]);
    expect(messages('pro', desired(), [['http_ratelimit', 2]])).toEqual([
      [
        30,
        expect.stringContaining(
          '1 rule declared besides the 2 rules daffeinated does not manage; the Pro plan of daffeinated.com allows 2 in http_ratelimit',
        ),
      ],
    ]);
  });

  // cloudflare-docs partials/waf/rate-limiting-availability-by-plan.mdx: throttling with the block
  // action (timeout 0) is Enterprise's.
  it('refuses a block rate limit with timeout 0 below Enterprise', () => {
    const [login] = zoneConfig().waf?.rateLimits ?? [];
    const waf = { managed: [], custom: [], rateLimits: [{ ...(login as NonNullable<typeof login>), timeout: 0 }] };
    expect(check('enterprise', desired({ waf }))).toEqual([]);
    expect(messages('business', desired({ waf }))).toEqual([
      [55, expect.stringContaining('a block action with timeout 0 throttles, which needs an Enterprise plan')],
    ]);
  });

  // cloudflare-docs src/content/plans/index.json: Free zones created on or after 2024-09-01 hold 200 records.
  describe('the DNS record limit', () => {
    const records = desired().filter((r) => r.kind === 'cloudflare.dns');
    const withRecords = (plan: string, live: number, foreign: number, matched: string[] = [], createdOn?: string) =>
      entitlementProblems(ZONE, {
        plan,
        desired: desired(),
        foreignRules: new Map(),
        records: { live, foreign, matched: new Set(matched) },
        ...(createdOn === undefined ? {} : { createdOn }),
      }).filter((d) => d.message.includes('DNS records'));

    it('counts what is in the zone, daffeinated\'s or not, plus what the plan creates', () => {
      expect(records.length).toBeGreaterThan(1);
      expect(withRecords('free', 200 - records.length, 150)).toEqual([]);
      const over = withRecords('free', 200 - records.length + 1, 150);
      expect(over).toHaveLength(1);
      const last = records[records.length - 1];
      // Hand-built configs carry no location; test/integration/cloudflare-entitlements.test.ts checks the line.
      expect(over[0]?.severity).toBe('error');
      expect(over[0]?.message).toBe(
        `${last?.address}: ${ZONE} would hold 201 DNS records (${201 - records.length} already there, 150 of them not managed by daffeinated, and ${records.length} to create); the Free plan allows 200`,
      );
    });

    it('never refuses a plan that creates none, keeps 1,000 for older Free zones and 3,500 on paid plans', () => {
      const all = records.map((r) => r.address);
      expect(withRecords('free', 400, 390, all)).toEqual([]);
      expect(withRecords('free', 900, 900, [], '2023-05-01T00:00:00Z')).toEqual([]);
      expect(withRecords('free', 999, 999, [], '2023-05-01T00:00:00Z')).toHaveLength(1);
      expect(withRecords('pro', 3000, 3000)).toEqual([]);
    });
  });
});
