import { describe, expect, it } from 'vitest';
import { cloudflare, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

// The sandbox's cache phase and cache settings (docs/SANDBOX.md, cache rows): the
// set_cache_settings parameters of the vendored spec, and what each plan refuses.
type Rule = Record<string, unknown> & { id: string; ref: string; version: string };
const CACHE = 'http_request_cache_settings';
const rule = (ref: string, parameters: Record<string, unknown>) => ({
  ref,
  action: 'set_cache_settings',
  expression: '(starts_with(http.request.uri.path, "/assets/"))',
  action_parameters: parameters,
});

describe('Cloudflare cache rules and settings', () => {
  const sandbox = useSandbox({ seed: 18, zones: ['example.com', 'pro.example:pro', 'ent.example:enterprise'] });
  const path = (zone: string, rest: string) => `/zones/${zoneId(sandbox(), zone)}${rest}`;
  const put = (zone: string, rules: unknown[]) =>
    cloudflare<{ rules: Rule[] }>(sandbox(), 'PUT', path(zone, `/rulesets/phases/${CACHE}/entrypoint`), {
      body: { rules },
    });
  const refused = async (zone: string, rules: unknown[]) => {
    const res = await put(zone, rules);
    expect(res.status).toBe(400);
    return res.body.errors.map((e) => [e.code, e.source?.pointer, e.message]);
  };

  it('stores a cache rule as sent, with the defaults the API fills in', async () => {
    const parameters = {
      cache: true,
      edge_ttl: { mode: 'override_origin', default: 7200 },
      browser_ttl: { mode: 'override_origin', default: 31_536_000 },
      cache_key: { cache_deception_armor: true, ignore_query_strings_order: true },
      serve_stale: { disable_stale_while_updating: true },
      respect_strong_etags: true,
    };
    const res = await put('example.com', [rule('daffeinated:assets', parameters), rule('bypass', { cache: false })]);
    expect(res.status).toBe(200);
    expect(res.body.result.rules.map((r) => [r.ref, r.action, r.description, r.enabled, r.action_parameters])).toEqual([
      ['daffeinated:assets', 'set_cache_settings', '', true, parameters],
      ['bypass', 'set_cache_settings', '', true, { cache: false }],
    ]);
  });

  it('refuses other actions in the phase, malformed parameters and unknown keys, pointing at each', async () => {
    expect(
      await refused('example.com', [
        { ref: 'a', action: 'block', expression: 'true' },
        rule('b', {
          edge_ttl: { mode: 'override_origin' },
          browser_ttl: { mode: 'respect_origin', default: 60 },
          vary: {},
        }),
        rule('c', { cache: 'yes', serve_stale: true, cache_key: { sort: true } }),
        rule('d', { browser_ttl: { mode: 'override_origin', default: 0 } }),
      ]),
    ).toEqual([
      [
        20021,
        '/rules/0/action',
        "'block' is not a valid value for action because it is not possible to use the block action in the http_request_cache_settings phase",
      ],
      [20021, '/rules/1/action_parameters/vary', 'unknown field vary'],
      [20021, '/rules/1/action_parameters/edge_ttl/default', 'mode override_origin needs default, a number of seconds'],
      [20021, '/rules/1/action_parameters/browser_ttl/default', 'default is only allowed with mode override_origin'],
      [20021, '/rules/2/action_parameters/cache', 'cache must be a boolean'],
      [20021, '/rules/2/action_parameters/cache_key/sort', 'unknown field sort'],
      [20021, '/rules/2/action_parameters/serve_stale', 'serve_stale must be {disable_stale_while_updating: boolean}'],
      [20021, '/rules/3/action_parameters/browser_ttl/default', 'default must be at least 1'],
    ]);
  });

  it('refuses on Free what Free does not allow, and allows it where the plan does', async () => {
    const limited = rule('limited', {
      cache: true,
      edge_ttl: { mode: 'override_origin', default: 3600, status_code_ttl: [{ status_code_value: 404, value: 60 }] },
      cache_key: { custom_key: { user: { geo: true } } },
      read_timeout: 300,
    });
    expect(await refused('example.com', [limited])).toEqual([
      [
        20021,
        '/rules/0/action_parameters/read_timeout',
        'not entitled: the use of read_timeout requires an Enterprise plan',
      ],
      [
        20021,
        '/rules/0/action_parameters/edge_ttl/default',
        'not entitled: the use of value 3600 for default requires a higher plan (at least 7200)',
      ],
      [
        20021,
        '/rules/0/action_parameters/edge_ttl/status_code_ttl',
        'not entitled: the use of status_code_ttl requires an Enterprise plan',
      ],
      [
        20021,
        '/rules/0/action_parameters/cache_key/custom_key',
        'not entitled: the use of custom_key requires an Enterprise plan',
      ],
    ]);
    expect((await refused('pro.example', [limited])).map(([, pointer]) => pointer)).toEqual([
      '/rules/0/action_parameters/read_timeout',
      '/rules/0/action_parameters/edge_ttl/status_code_ttl',
      '/rules/0/action_parameters/cache_key/custom_key',
    ]);
    expect((await put('ent.example', [limited])).status).toBe(200);
    const reserve = rule('reserve', { cache: true, cache_reserve: { eligible: true, min_file_size: 0 } });
    expect(await refused('ent.example', [reserve])).toEqual([
      [
        20021,
        '/rules/0/action_parameters/cache_reserve',
        'not entitled: Cache Reserve needs its paid add-on, which this zone does not have',
      ],
    ]);
  });

  it('holds at most the plan’s number of cache rules: 10 on Free', async () => {
    const rules = Array.from({ length: 11 }, (_, i) => rule(`r${i}`, { cache: true }));
    expect(await refused('example.com', rules)).toEqual([
      [20021, '/rules', `not entitled: exceeded maximum number of rules in the ${CACHE} phase (11 > 10 on this plan)`],
    ]);
    expect((await put('pro.example', rules)).status).toBe(200);
  });

  it('zone cache settings: a browser TTL under 2 minutes only on Enterprise, sorted query strings only on Enterprise', async () => {
    const edit = (zone: string, items: unknown[]) =>
      cloudflare(sandbox(), 'PATCH', path(zone, '/settings'), { body: { items } });
    const free = await edit('example.com', [
      { id: 'browser_cache_ttl', value: 30 },
      { id: 'sort_query_string_for_cache', value: 'on' },
    ]);
    expect([free.status, free.body.errors]).toEqual([
      400,
      [
        { code: 1007, message: 'Invalid value for zone setting browser_cache_ttl' },
        { code: 1057, message: 'sort_query_string_for_cache cannot be modified for this zone' },
      ],
    ]);
    const fine = [
      { id: 'browser_cache_ttl', value: 0 },
      { id: 'cache_level', value: 'basic' },
      { id: 'always_online', value: 'on' },
      { id: 'development_mode', value: 'off' },
    ];
    expect((await edit('example.com', fine)).status).toBe(200);
    const enterprise = await edit('ent.example', [
      { id: 'browser_cache_ttl', value: 30 },
      { id: 'sort_query_string_for_cache', value: 'on' },
    ]);
    expect(enterprise.status).toBe(200);
  });
});
