import { describe, expect, it } from 'vitest';
import { cloudflare, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

type Rule = Record<string, unknown> & { id: string; ref: string; version: string; last_updated: string };
type Ruleset = { id: string; version: string; kind: string; phase: string; name: string; rules: Rule[] };

const CF_MANAGED = 'efb7b8c949ac4650a09736fc376e9aee';
const OWASP = '4814384a9e5d4991b9815dcfc25d2f1f';
const FREE_MANAGED = '77454fe2d30c4220b5701f6fdfb893ba';
let now = Date.parse('2026-07-01T12:00:00Z');

const block = (ref: string, path = '/wp-login.php') => ({
  ref,
  action: 'block',
  expression: `(http.request.uri.path contains "${path}")`,
  description: `block ${path}`,
});
const login = (overrides: Record<string, unknown> = {}) => ({
  ref: 'daffeinated:login',
  action: 'block',
  expression: '(http.request.uri.path eq "/login")',
  ratelimit: {
    characteristics: ['cf.colo.id', 'ip.src'],
    period: 10,
    requests_per_period: 5,
    mitigation_timeout: 10,
    ...overrides,
  },
});

describe('Cloudflare rulesets', () => {
  const sandbox = useSandbox({
    seed: 28,
    zones: ['example.com', 'pro.example:pro', 'ent.example:enterprise'],
    clock: () => new Date(now),
  });
  const phase = (name: string, zone = 'example.com') =>
    `/zones/${zoneId(sandbox(), zone)}/rulesets/phases/${name}/entrypoint`;
  const put = (name: string, body: unknown, zone?: string) =>
    cloudflare<Ruleset>(sandbox(), 'PUT', phase(name, zone), { body });
  const problems = async (name: string, rules: unknown[], zone?: string) => {
    const res = await put(name, { rules }, zone);
    expect(res.status).toBe(400);
    return res.body.errors.map((e) => [e.source?.pointer, e.message]);
  };

  it('answers 404 code 10003 until a phase has an entrypoint, which PUT creates', async () => {
    const missing = await cloudflare(sandbox(), 'GET', phase('http_request_firewall_custom'));
    expect([missing.status, missing.body.errors]).toEqual([
      404,
      [{ code: 10003, message: 'could not find entrypoint ruleset in the http_request_firewall_custom phase' }],
    ]);
    const created = await put('http_request_firewall_custom', { rules: [block('daffeinated:block-wp')] });
    expect(created.status).toBe(200);
    expect(created.body.result).toMatchObject({
      kind: 'zone',
      phase: 'http_request_firewall_custom',
      name: 'default',
      version: '1',
    });
    expect(created.body.result.rules).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        version: '1',
        action: 'block',
        expression: '(http.request.uri.path contains "/wp-login.php")',
        description: 'block /wp-login.php',
        enabled: true,
        last_updated: '2026-07-01T12:00:00.000000Z',
        ref: 'daffeinated:block-wp',
      },
    ]);
    const read = await cloudflare<Ruleset>(sandbox(), 'GET', phase('http_request_firewall_custom'));
    expect(read.body.result).toEqual(created.body.result);
  });

  it('replaces the rule list whole, keeping ids (and versions of unchanged rules) by ref or id', async () => {
    const first = await put('http_request_firewall_custom', {
      rules: [block('a'), block('b', '/b'), block('c', '/c')],
    });
    const [a, b, c] = first.body.result.rules as [Rule, Rule, Rule];
    now += 60_000;
    const second = await put('http_request_firewall_custom', {
      name: 'zone custom rules',
      rules: [{ ...block('b', '/b-changed') }, { id: a.id, ...block('a') }, { ...c, version: '1', last_updated: 'x' }],
    });
    expect(second.status).toBe(200);
    expect(second.body.result).toMatchObject({ id: first.body.result.id, version: '2', name: 'zone custom rules' });
    expect(second.body.result.rules.map((r) => [r.ref, r.id, r.version, r.last_updated])).toEqual([
      ['b', b.id, '2', '2026-07-01T12:01:00.000000Z'],
      ['a', a.id, '1', a.last_updated],
      ['c', c.id, '1', c.last_updated],
    ]);
    const third = await put('http_request_firewall_custom', { rules: [block('d', '/d')] });
    expect(third.body.result.version).toBe('3');
    expect(third.body.result.rules.map((r) => r.ref)).toEqual(['d']);
    expect([a.id, b.id, c.id]).not.toContain(third.body.result.rules[0]?.id);
    const refless = await put('http_request_firewall_custom', { rules: [{ action: 'block', expression: 'true' }] });
    const rule = refless.body.result.rules[0] as Rule;
    expect(rule.ref).toBe(rule.id);
    const emptied = await put('http_request_firewall_custom', { rules: [] });
    expect(emptied.body.result).toMatchObject({ version: '5', rules: [] });
  });

  it('validates actions per phase, expressions, ids, refs and unknown fields, reporting every problem', async () => {
    expect(
      await problems(
        'http_request_firewall_custom',
        [
          { action: 'execute', expression: 'true', action_parameters: { id: CF_MANAGED } },
          { action: 'block', expression: '' },
          { action: 'block', expression: '(http.host eq "a"' },
          { action: 'block', expression: 'http.request.uri.path matches "^/x"' },
          { action: 'log', expression: 'true' },
          { id: 'f'.repeat(32), action: 'block', expression: 'true' },
          { ref: 'same', action: 'block', expression: 'true', colour: 'red' },
          { ref: 'same', action: 'skip', expression: 'true' },
        ],
        'pro.example',
      ),
    ).toEqual([
      [
        '/rules/0/action',
        "'execute' is not a valid value for action because it is not possible to use the execute action in the http_request_firewall_custom phase",
      ],
      ['/rules/1/expression', 'an expression is required'],
      ['/rules/2/expression', 'filter parsing error: unbalanced parentheses in "(http.host eq "a""'],
      ['/rules/3/expression', "not entitled: the use of operator 'matches' requires a Business or Enterprise plan"],
      ['/rules/4/action', "not entitled: the use of the 'log' action requires an Enterprise plan"],
      ['/rules/5/id', `could not find rule with id ${'f'.repeat(32)} in the ruleset`],
      ['/rules/6/colour', 'unknown field colour'],
      ['/rules/7/action_parameters', 'a skip rule needs one of ruleset, phases, products, rules, rulesets'],
      ['/rules/7/ref', 'rule ref same appears more than once'],
    ]);
    const body = await put('http_request_firewall_custom', { rules: [], kind: 'zone' });
    expect(body.body.errors).toEqual([
      { code: 20021, message: 'invalid JSON: unknown field kind', source: { pointer: '/kind' } },
    ]);
    const badPhase = await cloudflare(sandbox(), 'GET', phase('http_request_teleport'));
    expect([badPhase.status, badPhase.body.errors[0]?.message]).toEqual([
      400,
      "'http_request_teleport' is not a valid value for phase",
    ]);
    expect((await cloudflare(sandbox(), 'GET', phase('http_request_firewall_custom'))).status).toBe(404);
  });

  it('executes known managed rulesets of the managed phase, each once', async () => {
    const res = await put(
      'http_request_firewall_managed',
      {
        rules: [
          { ref: 'cf', action: 'execute', expression: 'true', action_parameters: { id: CF_MANAGED } },
          {
            ref: 'owasp',
            action: 'execute',
            expression: 'true',
            action_parameters: {
              id: OWASP,
              overrides: { categories: [{ category: 'paranoia-level-2', enabled: false }] },
            },
          },
          { ref: 'free', action: 'execute', expression: 'true', action_parameters: { id: FREE_MANAGED, version: '1' } },
        ],
      },
      'pro.example',
    );
    expect(res.status).toBe(200);
    expect(res.body.result.rules.map((r) => r['action_parameters'])).toEqual([
      { id: CF_MANAGED, version: 'latest' },
      { id: OWASP, overrides: { categories: [{ category: 'paranoia-level-2', enabled: false }] }, version: 'latest' },
      { id: FREE_MANAGED, version: '1' },
    ]);
    expect(
      await problems(
        'http_request_firewall_managed',
        [
          { action: 'execute', expression: 'true', action_parameters: { id: CF_MANAGED } },
          { action: 'execute', expression: 'true', action_parameters: { id: CF_MANAGED } },
          { action: 'execute', expression: 'true', action_parameters: { id: 'e22d83c647c64a3eae91b71b499d988e' } },
          { action: 'execute', expression: 'true' },
        ],
        'pro.example',
      ),
    ).toEqual([
      ['/rules/1/action_parameters/id', `the managed ruleset ${CF_MANAGED} is already executed in this phase`],
      [
        '/rules/2/action_parameters/id',
        "'e22d83c647c64a3eae91b71b499d988e' does not reference a managed ruleset of the http_request_firewall_managed phase",
      ],
      [
        '/rules/3/action_parameters/id',
        "'undefined' does not reference a managed ruleset of the http_request_firewall_managed phase",
      ],
    ]);
  });

  // Source: cloudflare-docs src/content/plans/index.json, security.waf_a_managed_rules.
  it('runs only the Free Managed Ruleset on Free: Cloudflare Managed and OWASP need Pro', async () => {
    const execute = (id: string) => ({ action: 'execute', expression: 'true', action_parameters: { id } });
    expect(
      await problems('http_request_firewall_managed', [execute(CF_MANAGED), execute(OWASP), execute(FREE_MANAGED)]),
    ).toEqual([
      ['/rules/0/action_parameters/id', 'not entitled: the Cloudflare Managed Ruleset requires a Pro plan or higher'],
      [
        '/rules/1/action_parameters/id',
        'not entitled: the Cloudflare OWASP Core Ruleset requires a Pro plan or higher',
      ],
    ]);
    expect((await put('http_request_firewall_managed', { rules: [execute(FREE_MANAGED)] })).status).toBe(200);
  });

  // Sources: cloudflare-docs waf/rate-limiting-rules/parameters.mdx and the partial
  // rate-limiting-availability-by-plan.mdx (value list, caps per plan, challenges, characteristics).
  it('takes periods and timeouts from the documented list, up to 65,535 s on Enterprise, with 5 rules there', async () => {
    const ent = (period: number, ref = 'x') => ({ ...login({ period, mitigation_timeout: 86400 }), ref });
    expect((await put('http_ratelimit', { rules: [ent(65535)] }, 'ent.example')).status).toBe(200);
    expect(
      (await put('http_ratelimit', { rules: [{ ...ent(30), action: 'managed_challenge' }] }, 'ent.example')).status,
    ).toBe(200);
    expect(
      (await put('http_ratelimit', { rules: [login({ period: 45, mitigation_timeout: 1800 })] }, 'pro.example')).status,
    ).toBe(200);
    expect(
      await problems(
        'http_ratelimit',
        [ent(25), ent(10, 'b'), ent(10, 'c'), ent(10, 'd'), ent(10, 'e'), ent(10, 'f')],
        'ent.example',
      ),
    ).toEqual([
      ['/rules', 'not entitled: exceeded maximum number of rules in the http_ratelimit phase (6 > 5 on this plan)'],
      [
        '/rules/0/ratelimit/period',
        'period must be one of 10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400',
      ],
    ]);
    expect(
      await problems(
        'http_ratelimit',
        [login({ characteristics: ['cf.colo.id', 'cf.unique_visitor_id'] })],
        'pro.example',
      ),
    ).toEqual([
      ['/rules/0/ratelimit/characteristics', 'not entitled: counting by cf.unique_visitor_id requires a higher plan'],
    ]);
  });

  it('requires a ratelimit object in http_ratelimit, within the plan, and nowhere else', async () => {
    const ok = await put('http_ratelimit', { rules: [login()] });
    expect(ok.body.result.rules[0]?.['ratelimit']).toEqual({
      characteristics: ['cf.colo.id', 'ip.src'],
      period: 10,
      requests_per_period: 5,
      mitigation_timeout: 10,
      requests_to_origin: false,
    });
    expect(
      await problems('http_ratelimit', [
        { ...login(), ref: 'none', ratelimit: undefined },
        login({ ref: 'x', characteristics: ['ip.src'], period: 60, mitigation_timeout: 600, requests_per_period: 0 }),
      ]),
    ).toEqual([
      ['/rules', 'not entitled: exceeded maximum number of rules in the http_ratelimit phase (2 > 1 on this plan)'],
      ['/rules/0/ratelimit', 'a rate limiting rule needs a ratelimit object'],
      ['/rules/1/ratelimit/characteristics', "characteristics must include 'cf.colo.id'"],
      ['/rules/1/ratelimit/period', 'not entitled: the use of value 60 for period requires a higher plan (at most 10)'],
      ['/rules/1/ratelimit/requests_per_period', 'requests_per_period must be an integer of at least 1'],
      [
        '/rules/1/ratelimit/mitigation_timeout',
        'not entitled: the use of value 600 for mitigation_timeout requires a higher plan (at most 10)',
      ],
    ]);
    expect(
      await problems('http_ratelimit', [
        login({ period: 7, characteristics: ['cf.colo.id', 'http.request.headers["x"]'] }),
      ]),
    ).toEqual([
      [
        '/rules/0/ratelimit/characteristics',
        'not entitled: counting by http.request.headers["x"] requires a higher plan',
      ],
      [
        '/rules/0/ratelimit/period',
        'period must be one of 10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400',
      ],
    ]);
    expect(await problems('http_ratelimit', [{ ...login(), action: 'managed_challenge' }])).toEqual([
      ['/rules/0/ratelimit/mitigation_timeout', 'mitigation_timeout must be 0 when the action is a challenge'],
    ]);
    // cloudflare-docs partials/waf/rate-limiting-availability-by-plan.mdx: "Throttle requests above
    // rate with block action" (mitigation_timeout 0) is Enterprise's.
    expect(await problems('http_ratelimit', [login({ mitigation_timeout: 0 })])).toEqual([
      [
        '/rules/0/ratelimit/mitigation_timeout',
        'not entitled: throttling with the block action (mitigation_timeout 0) requires an Enterprise plan',
      ],
    ]);
    expect((await put('http_ratelimit', { rules: [login({ mitigation_timeout: 0 })] }, 'ent.example')).status).toBe(200);
    expect(await problems('http_request_firewall_custom', [{ ...block('x'), ratelimit: login().ratelimit }])).toEqual([
      ['/rules/0/ratelimit', 'ratelimit is only allowed in the http_ratelimit phase'],
    ]);
    // The repository's own example (60 s period, 600 s timeout) needs at least Pro.
    const pro = await put('http_ratelimit', { rules: [login({ period: 60, mitigation_timeout: 600 })] }, 'pro.example');
    expect(pro.status).toBe(200);
  });

  it('caps custom rules by plan: 5 on Free, 20 on Pro', async () => {
    const rules = (n: number) => Array.from({ length: n }, (_, i) => block(`r${i}`, `/p${i}`));
    expect((await put('http_request_firewall_custom', { rules: rules(5) })).status).toBe(200);
    expect(await problems('http_request_firewall_custom', rules(6))).toEqual([
      [
        '/rules',
        'not entitled: exceeded maximum number of rules in the http_request_firewall_custom phase (6 > 5 on this plan)',
      ],
    ]);
    expect((await put('http_request_firewall_custom', { rules: rules(20) }, 'pro.example')).status).toBe(200);
  });

  it('validates without saving on dry_run', async () => {
    const path = `${phase('http_request_firewall_custom')}?dry_run=true`;
    const dry = await cloudflare(sandbox(), 'PUT', path, { body: { rules: [block('x')] } });
    expect([dry.status, dry.body.result]).toEqual([200, null]);
    expect((await cloudflare(sandbox(), 'GET', phase('http_request_firewall_custom'))).status).toBe(404);
    const invalid = await cloudflare(sandbox(), 'PUT', path, { body: { rules: [{ action: 'block' }] } });
    expect(invalid.status).toBe(400);
  });

  it('lists entrypoints and managed rulesets without rules, cursor-paged; reads one by id', async () => {
    const custom = await put('http_request_firewall_custom', { rules: [block('a')] });
    await put('http_ratelimit', { rules: [login()] });
    const zone = zoneId(sandbox(), 'example.com');
    const listed = await cloudflare<Ruleset[]>(sandbox(), 'GET', `/zones/${zone}/rulesets`);
    expect(listed.body.result.map((r) => [r.kind, r.phase, r.name])).toEqual([
      ['zone', 'http_ratelimit', 'default'],
      ['zone', 'http_request_firewall_custom', 'default'],
      ['managed', 'http_request_firewall_managed', 'Cloudflare Managed Ruleset'],
      ['managed', 'http_request_firewall_managed', 'Cloudflare OWASP Core Ruleset'],
      ['managed', 'http_request_firewall_managed', 'Cloudflare Exposed Credentials Check Ruleset'],
      ['managed', 'http_request_firewall_managed', 'Cloudflare Free Managed Ruleset'],
      ['managed', 'http_response_firewall_managed', 'Cloudflare Sensitive Data Detection'],
    ]);
    expect(listed.body.result.every((r) => r.rules === undefined)).toBe(true);
    expect(listed.body.result_info).toBeUndefined();
    const page = await cloudflare<Ruleset[]>(sandbox(), 'GET', `/zones/${zone}/rulesets?per_page=3`);
    const cursor = page.body.result_info?.['cursor'] as string;
    expect(page.body.result).toHaveLength(3);
    const rest = await cloudflare<Ruleset[]>(sandbox(), 'GET', `/zones/${zone}/rulesets?per_page=3&cursor=${cursor}`);
    expect(rest.body.result[0]?.name).toBe('Cloudflare OWASP Core Ruleset');
    const one = await cloudflare<Ruleset>(sandbox(), 'GET', `/zones/${zone}/rulesets/${custom.body.result.id}`);
    expect(one.body.result).toEqual(custom.body.result);
    const managed = await cloudflare<Ruleset>(sandbox(), 'GET', `/zones/${zone}/rulesets/${OWASP}`);
    expect(managed.body.result).toMatchObject({ kind: 'managed', rules: [] });
    const unknown = await cloudflare(sandbox(), 'GET', `/zones/${zone}/rulesets/${'1'.repeat(32)}`);
    expect([unknown.status, unknown.body.errors[0]?.code]).toEqual([404, 10003]);
    expect((await cloudflare(sandbox(), 'GET', `/zones/${zone}/rulesets/short`)).status).toBe(400);
  });
});
