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
});
