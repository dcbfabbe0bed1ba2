import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { ZoneConfig } from '../../../src/model/config.js';
import { planNeeded } from '../../../src/workflows/zone-plans.js';

function zone(waf: string): ZoneConfig {
  const text = `version: 1
name: shop
environments:
  production: { app: shop-production }
cloudflare:
  zones:
    shop.example:
      owner: production
${waf}`;
  const parsed = parseConfig(text, 'app.yaml', {});
  const found = parsed.config?.cloudflare.zones['shop.example'];
  if (found === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return found;
}

const rule = (period: number, timeout: number) =>
  `          - { ref: r, expression: 'http.host eq "x"', requests: 5, period: ${period}, timeout: ${timeout}, action: block }\n`;

describe('planNeeded', () => {
  it('Free for a zone without a WAF, or one within its limits', () => {
    expect(planNeeded(zone(''))).toEqual({ plan: 'free', because: [] });
    expect(planNeeded(zone(`      waf:\n        rate_limits:\n${rule(10, 10)}`))).toEqual({
      plan: 'free',
      because: [],
    });
  });

  it('Pro for managed rulesets and minute-long rate limits, naming them', () => {
    expect(planNeeded(zone(`      waf:\n        managed: [owasp]\n        rate_limits:\n${rule(60, 600)}`))).toEqual({
      plan: 'pro',
      because: ['managed rulesets (owasp)', 'rate limit periods of 60 s', 'rate limit timeouts over 10 s'],
    });
  });

  it('Business for regular expressions, Enterprise for the log action', () => {
    const regex = `      waf:\n        custom:\n          - { ref: re, action: block, expression: 'http.request.uri.path matches "^/a"' }\n`;
    expect(planNeeded(zone(regex))).toEqual({ plan: 'business', because: ['regular expressions'] });
    const log = `      waf:\n        custom:\n          - { ref: lg, action: log, expression: 'http.host eq "x"' }\n`;
    expect(planNeeded(zone(log)).plan).toBe('enterprise');
  });

  it('counts what the cache section asks: an hour-long edge TTL needs Pro, a custom key Enterprise', () => {
    const cache = (rule: string) =>
      `      cache:\n        rules:\n          - { ref: a, expression: "true", ${rule} }\n`;
    expect(planNeeded(zone(cache('edge_ttl: { mode: override_origin, default: 7200 }')))).toEqual({
      plan: 'free',
      because: [],
    });
    expect(planNeeded(zone(cache('edge_ttl: { mode: override_origin, default: 3600 }')))).toEqual({
      plan: 'pro',
      because: ['an edge TTL of 3600 s'],
    });
    expect(planNeeded(zone(cache('cache_key: { custom_key: { user: { geo: true } } }')))).toEqual({
      plan: 'enterprise',
      because: ['a custom cache key'],
    });
  });
});
