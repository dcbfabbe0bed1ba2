import { describe, expect, it } from 'vitest';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import { entitlementProblems } from '../../../src/providers/cloudflare/entitlements.js';
import { problems, valid } from '../../unit/config/support.js';
import { requestProblems } from './openapi.js';

// A zone's `cache` section (issue 18): its checks, what it becomes, and what each plan refuses.
const zone = (cache: string) =>
  `version: 1\nname: shop\nenvironments:\n  production:\n    app: shop-production\ncloudflare:\n  zones:\n    shop.example:\n      owner: production\n      cache:\n${cache}`;
const ASSETS = `        rules:
          - ref: assets
            expression: 'starts_with(http.request.uri.path, "/assets/")'
            edge_ttl: { mode: override_origin, default: 86400 }
          - { ref: api, expression: 'starts_with(http.request.uri.path, "/api/")', cache: false, enabled: false }
`;
const resources = (text: string) => desiredCloudflare(valid(text), ['production']).resources;
const refusals = (plan: string, text: string) =>
  entitlementProblems('shop.example', { plan, desired: resources(text), foreignRules: new Map() }).map(
    (d) => `${d.line}: ${d.message}`,
  );

describe('cache section', () => {
  it('becomes the zone settings it declares and one cache phase with our rules, cache filled in', () => {
    const [settings, ruleset] = resources(
      zone(`        browser_ttl: 0\n        level: basic\n        always_online: true\n${ASSETS}`),
    );
    expect(settings?.attributes).toEqual({ browser_cache_ttl: 0, cache_level: 'basic', always_online: true });
    expect(ruleset?.address).toBe('cloudflare.ruleset[shop.example/http_request_cache_settings]');
    expect(ruleset?.attributes['rules']).toEqual([
      {
        ref: 'daffeinated:assets',
        description: '',
        action: 'set_cache_settings',
        expression: 'starts_with(http.request.uri.path, "/assets/")',
        enabled: true,
        action_parameters: { cache: true, edge_ttl: { mode: 'override_origin', default: 86400 } },
      },
      expect.objectContaining({ ref: 'daffeinated:api', enabled: false, action_parameters: { cache: false } }),
    ]);
  });

  it('manages no cache phase without rules, and an empty list of rules manages an empty one', () => {
    expect(resources(zone('        level: basic\n')).map((r) => r.kind)).toEqual(['cloudflare.settings']);
    expect(resources(zone('        rules: []\n')).map((r) => r.attributes['rules'])).toEqual([[]]);
  });

  it('refuses a TTL mode without its default, a default without the mode, a browser TTL Cloudflare does not offer', () => {
    const text = zone(`        browser_ttl: 100
        rules:
          - { ref: a, expression: "true", edge_ttl: { mode: override_origin } }
          - { ref: b, expression: "true", browser_ttl: { mode: respect_origin, default: 60 } }
          - { ref: c, expression: "true", edge_ttl: { mode: respect_origin, status_code_ttl: [{ value: 60 }] } }
`);
    expect(problems(text)).toEqual([
      expect.stringMatching(
        /^app\.yaml:11:22: error: browser_ttl 100 is not a value Cloudflare offers .*— hint: one of 0, 30, 60/,
      ),
      expect.stringContaining('error: mode override_origin needs a default (seconds)'),
      expect.stringContaining('error: default is only used with mode override_origin, not respect_origin'),
      expect.stringContaining('error: give exactly one of status_code_value and status_code_range'),
    ]);
  });

  it('refuses a ref a WAF rule of the zone already uses', () => {
    const text = zone(`        rules: [{ ref: wp, expression: "true" }]\n`).replace(
      '      cache:\n',
      '      waf:\n        custom: [{ ref: wp, action: block, expression: "true" }]\n      cache:\n',
    );
    expect(problems(text)).toEqual([expect.stringContaining('cache rule ref "wp" is already used by waf.custom[0]')]);
  });
});

describe('cache entitlements', () => {
  const LIMITED = `        browser_ttl: 60
        sort_query_string: true
        rules:
          - ref: short
            expression: "true"
            edge_ttl: { mode: override_origin, default: 3600, status_code_ttl: [{ status_code_range: { from: 500, to: 599 }, value: -1 }] }
            cache_key: { cache_deception_armor: true, custom_key: { user: { geo: true } } }
`;

  it('refuses on Free the short edge TTL, status-code TTLs, a custom key, a 60 s browser TTL and sorted query strings', () => {
    expect(refusals('free', zone(LIMITED))).toEqual([
      "11: cloudflare.settings[shop.example]: a browser cache TTL of 60 s is under the plan's minimum of 120 s, and shop.example is on the Free plan",
      '12: cloudflare.settings[shop.example]: sorting query strings for the cache (sort_query_string) needs an Enterprise plan, and shop.example is on the Free plan',
      "14: cloudflare.ruleset[shop.example/http_request_cache_settings]: rule daffeinated:short is not allowed on the Free plan of shop.example: an edge TTL of 3600 s is under the plan's minimum of 7200 s; edge TTLs by status code (status_code_ttl) need an Enterprise plan; a custom cache key (custom_key) needs an Enterprise plan",
    ]);
  });

  it('writes rules the vendored OpenAPI spec accepts as a PUT of the phase', () => {
    const rules = resources(zone(`${LIMITED}${ASSETS.replace('        rules:\n', '')}`))[1]?.attributes['rules'];
    expect(requestProblems('PUT', '/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint', { rules })).toEqual(
      [],
    );
  });

  it('allows a one-hour edge TTL from Pro, and all of it on Enterprise', () => {
    expect(refusals('pro', zone(LIMITED)).join('\n')).not.toContain('edge TTL of 3600');
    expect(refusals('enterprise', zone(LIMITED))).toEqual([]);
  });

  it('counts cache rules against the plan: 10 on Free, 25 on Pro', () => {
    const rules = Array.from({ length: 11 }, (_, i) => `          - { ref: r${i}, expression: "true" }\n`).join('');
    expect(refusals('free', zone(`        rules:\n${rules}`))).toEqual([
      '8: cloudflare.ruleset[shop.example/http_request_cache_settings]: 11 rules declared; the Free plan of shop.example allows 10 in http_request_cache_settings',
    ]);
    expect(refusals('pro', zone(`        rules:\n${rules}`))).toEqual([]);
  });
});
