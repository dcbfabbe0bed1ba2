import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { cloudflare, zoneId } from '../helpers/cloudflare.js';
import { useSandbox } from '../helpers/sandbox.js';
import { isLockBookkeeping, QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// What the zone's plan does not allow is refused at plan time, before any write, with the app.yaml
// line (issue 14; limits from cloudflare-docs src/content/plans/index.json and
// waf/rate-limiting-rules/parameters.mdx, the table in src/facts/cloudflare-plans.ts).
// The apply lock --yes tries alongside the plan's read (here on apps not created yet) writes nothing of the config's.
const writes = (sandbox: SandboxHandle) =>
  sandbox
    .requestLog()
    .filter((e) => e.method !== 'GET' && !isLockBookkeeping(e))
    .map((e) => `${e.method} ${e.path}`);
const RULESETS = 'cloudflare.ruleset[daffeinated.com/http_';

function lineOf(yaml: string, text: string): number {
  return yaml.slice(0, yaml.indexOf(text)).split('\n').length;
}

describe('Cloudflare plan entitlements, on a Free zone', () => {
  const sandbox = useSandbox({ seed: 14, zones: ['daffeinated.com:free'], heroku: QUICK_HEROKU });

  async function refused(yaml: string): Promise<string> {
    const scenario = new Scenario(sandbox, yaml, { STRIPE_KEY: 'sk_test_plans' });
    sandbox().resetLog();
    const result = await scenario.run(['apply', '--all', '--yes']);
    expect(result.code, result.stderr).toBe(1);
    expect(writes(sandbox())).toEqual([]);
    return result.stderr;
  }

  it('the reference WAF gets one refusal per unsupported rule, at its line, and nothing is written', async () => {
    const stderr = await refused(REFERENCE_YAML);
    const managed = lineOf(REFERENCE_YAML, 'managed: [cloudflare, owasp]');
    const login = lineOf(REFERENCE_YAML, '- ref: login');
    expect(stderr).toContain(
      `app.yaml:${managed}:9: error: ${RULESETS}request_firewall_managed]: rule daffeinated:managed-cloudflare is not allowed on the Free plan of daffeinated.com: Cloudflare Managed and OWASP rulesets need a Pro plan or higher`,
    );
    expect(stderr).toContain(`rule daffeinated:managed-owasp is not allowed on the Free plan`);
    expect(stderr).toMatch(
      new RegExp(
        `app\\.yaml:${login}:\\d+: error: ${RULESETS.replaceAll('[', '\\[').replaceAll('.', '\\.')}ratelimit\\]: rule daffeinated:login is not allowed on the Free plan of daffeinated\\.com: period 60 s is over the plan's 10 s; timeout 600 s is over the plan's 10 s`,
      ),
    );
    // The custom rule is allowed: no refusal for it.
    expect(stderr).not.toContain('daffeinated:block-wp');
    expect(stderr.match(/is not allowed on the Free plan/g)).toHaveLength(3);
  });

  it('a challenge with a non-zero timeout, a characteristic, regex, log and a period not on the list', async () => {
    const yaml = REFERENCE_YAML.replace('managed: [cloudflare, owasp]', 'managed: []')
      .replace(
        'expression: \'(http.request.uri.path contains "/wp-login.php")\'',
        'expression: \'(http.request.uri.path matches "^/wp-")\'',
      )
      .replace(
        'description: WordPress probes\n            action: block',
        'description: WordPress probes\n            action: log',
      )
      .replace('period: 60', 'period: 25')
      .replace(
        'timeout: 600\n            action: block',
        'timeout: 10\n            action: managed_challenge\n            characteristics: [cf.colo.id, cf.unique_visitor_id]',
      );
    const stderr = await refused(yaml);
    expect(stderr).toContain(
      "rule daffeinated:block-wp is not allowed on the Free plan of daffeinated.com: the 'log' action needs an Enterprise plan; regular expressions ('matches') need a Business or Enterprise plan",
    );
    expect(stderr).toContain('period 25 s is not a value Cloudflare accepts');
    expect(stderr).toContain('a managed_challenge action needs timeout 0 below Enterprise');
    expect(stderr).toContain('counting by cf.unique_visitor_id is not available (only ip.src)');
  });

  it('more rules in a phase than the plan allows', async () => {
    const yaml = REFERENCE_YAML.replace('managed: [cloudflare, owasp]', 'managed: []')
      .replace('period: 60', 'period: 10')
      .replace('timeout: 600', 'timeout: 10')
      .replace(
        '        rate_limits:\n',
        '        rate_limits:\n          - { ref: second, expression: \'(http.request.uri.path eq "/x")\', requests: 5, period: 10, timeout: 10, action: block }\n',
      );
    const stderr = await refused(yaml);
    expect(stderr).toContain(`app.yaml:${lineOf(yaml, 'daffeinated.com:')}`);
    expect(stderr).toContain(
      `${RULESETS}ratelimit]: 2 rules declared; the Free plan of daffeinated.com allows 1 in http_ratelimit`,
    );
  });

  it('a DNS comment over 100 characters with the ownership marker', async () => {
    const comment = 'x'.repeat(80);
    const yaml = REFERENCE_YAML.replace('managed: [cloudflare, owasp]', 'managed: []')
      .replace('period: 60', 'period: 10')
      .replace('timeout: 600', 'timeout: 10')
      .replace('priority: 10 }', `priority: 10, comment: "${comment}" }`);
    const stderr = await refused(yaml);
    const length = `${comment} | managed by daffeinated (production)`.length;
    expect(stderr).toContain(`app.yaml:${lineOf(yaml, 'mx1.mail.example')}`);
    expect(stderr).toContain(
      `the record's comment is ${length} characters with daffeinated's ownership marker; the Free plan of daffeinated.com allows 100`,
    );
  });

  // cloudflare-docs src/content/plans/index.json: a Free zone created on or after 2024-09-01 holds
  // at most 200 DNS records; records daffeinated does not manage stay, so they count.
  it('more DNS records than the Free zone may hold, counting those already there', async () => {
    const zone = zoneId(sandbox(), 'daffeinated.com');
    const posts = Array.from({ length: 199 }, (_, i) => ({ type: 'TXT', name: `hand${i}`, content: `made by hand ${i}` }));
    expect((await cloudflare(sandbox(), 'POST', `/zones/${zone}/dns_records/batch`, { body: { posts } })).status).toBe(200);
    const yaml = REFERENCE_YAML.replace('managed: [cloudflare, owasp]', 'managed: []')
      .replace('period: 60', 'period: 10')
      .replace('timeout: 600', 'timeout: 10');
    const stderr = await refused(yaml);
    // The MX record (the first to create) fits; the TXT after it is the first that does not.
    expect(stderr).toContain(
      `app.yaml:${lineOf(yaml, '{ name: "@", type: TXT')}:11: error: cloudflare.dns[daffeinated.com/TXT/@]: daffeinated.com would hold 204 DNS records (199 already there, 199 of them not managed by daffeinated, and 5 to create); the Free plan allows 200`,
    );
    expect(stderr.match(/would hold/g)).toHaveLength(1);
  });
});
