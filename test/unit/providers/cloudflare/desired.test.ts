import { describe, expect, it } from 'vitest';
import type { Config, ZoneConfig } from '../../../../src/model/config.js';
import type { Resource } from '../../../../src/model/resource.js';
import { Unknown } from '../../../../src/model/value.js';
import { desiredCloudflare } from '../../../../src/providers/cloudflare/desired.js';
import { canonicalContent, commentOwner, dnsAddress, ownershipComment, relativeName } from '../../../../src/providers/cloudflare/dns-names.js';
import { environmentConfig } from '../../../helpers/config.js';

const at = (line: number) => ({ file: 'app.yaml', line, col: 3 });

/** An environment whose `domains` were declared at line 20 (production) or 10 (staging). */
const environment = (name: string, domains: string[]) =>
  environmentConfig(name, domains, { domains: at(name === 'production' ? 20 : 10) });

const zone: ZoneConfig = {
  name: 'daffeinated.com',
  owner: 'production',
  proxied: true,
  tls: {
    mode: 'strict',
    minVersion: '1.2',
    alwaysUseHttps: true,
    automaticHttpsRewrites: undefined,
    hsts: { enabled: true, maxAge: 31536000, includeSubdomains: true, preload: false, nosniff: false },
    sources: { mode: at(31) },
  },
  dns: [
    { name: '@', type: 'MX', content: 'MX1.mail.example.', ttl: 1, proxied: undefined, priority: 10, comment: undefined, source: at(40) },
    { name: '@', type: 'TXT', content: 'v=spf1 include:_spf.mail.example ~all', ttl: 3600, proxied: undefined, priority: undefined, comment: 'SPF', source: at(41) },
  ],
  waf: {
    managed: ['cloudflare', 'owasp'],
    custom: [{ ref: 'block-wp', description: 'WordPress probes', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', enabled: true, source: at(50) }],
    rateLimits: [
      {
        ref: 'login',
        description: undefined,
        expression: '(http.request.uri.path eq "/login")',
        requests: 10,
        period: 60,
        timeout: 600,
        action: 'block',
        characteristics: ['ip.src', 'cf.colo.id'],
        enabled: true,
        source: at(55),
      },
    ],
  },
  source: at(30),
};

function config(zones: ZoneConfig[] = [zone], staging = ['staging.daffeinated.com']): Config {
  return {
    file: 'app.yaml',
    version: 1,
    name: 'daffeinated',
    pipeline: undefined,
    environments: {
      staging: environment('staging', staging),
      production: environment('production', ['daffeinated.com', 'www.daffeinated.com', 'shop.elsewhere.org']),
    },
    cloudflare: { zones: Object.fromEntries(zones.map((z) => [z.name, z])) },
    drift: { ignore: [] },
    sources: {},
  };
}

const byAddress = (resources: readonly Resource[], address: string) => resources.find((r) => r.address === address);

describe('desiredCloudflare scoping', () => {
  it('gives staging only its own CNAME, scoped to staging, pointing at its Heroku DNS target', () => {
    const { resources, prune, diagnostics } = desiredCloudflare(config(), ['staging']);
    expect(diagnostics).toEqual([]);
    expect(prune).toEqual(['cloudflare.dns@staging']);
    expect(resources.map((r) => r.address)).toEqual(['cloudflare.dns[daffeinated.com/CNAME/staging]']);
    const cname = resources[0] as Resource;
    expect(cname).toMatchObject({ provider: 'cloudflare', kind: 'cloudflare.dns', scope: 'staging', sensitive: [], source: at(10) });
    expect(cname.dependsOn).toEqual(['heroku.domain[staging/staging.daffeinated.com]']);
    const content = cname.attributes['content'];
    expect(content).toBeInstanceOf(Unknown);
    expect((content as Unknown).ref).toEqual({ address: 'heroku.domain[staging/staging.daffeinated.com]', attribute: 'cname' });
    expect(cname.attributes).toMatchObject({ type: 'CNAME', name: 'staging', proxied: true, ttl: 1, comment: 'managed by daffeinated (staging)' });
  });

  it('gives production the zone settings, the three WAF phases, the extra records and its CNAMEs', () => {
    const { resources, prune, diagnostics } = desiredCloudflare(config(), ['production']);
    expect(diagnostics).toEqual([]);
    expect(prune).toEqual(['cloudflare.dns@production']);
    expect(resources.map((r) => r.address).sort()).toEqual([
      'cloudflare.dns[daffeinated.com/CNAME/@]',
      'cloudflare.dns[daffeinated.com/CNAME/www]',
      'cloudflare.dns[daffeinated.com/MX/@]',
      'cloudflare.dns[daffeinated.com/TXT/@]',
      'cloudflare.ruleset[daffeinated.com/http_ratelimit]',
      'cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]',
      'cloudflare.ruleset[daffeinated.com/http_request_firewall_managed]',
      'cloudflare.settings[daffeinated.com]',
    ]);
    expect(resources.every((r) => r.scope === 'production')).toBe(true);
    expect(byAddress(resources, 'cloudflare.dns[daffeinated.com/MX/@]')?.attributes).toEqual({
      type: 'MX',
      name: '@',
      content: 'mx1.mail.example',
      ttl: 1,
      priority: 10,
      comment: 'managed by daffeinated (production)',
    });
    expect(byAddress(resources, 'cloudflare.dns[daffeinated.com/TXT/@]')?.attributes).toEqual({
      type: 'TXT',
      name: '@',
      content: 'v=spf1 include:_spf.mail.example ~all',
      ttl: 3600,
      comment: 'SPF | managed by daffeinated (production)',
    });
  });

  it('declares only the TLS settings app.yaml sets, pinning ssl_automatic_mode with ssl', () => {
    const settings = byAddress(desiredCloudflare(config(), ['production']).resources, 'cloudflare.settings[daffeinated.com]');
    expect(settings?.attributes).toEqual({
      ssl: 'strict',
      ssl_automatic_mode: 'custom',
      min_tls_version: '1.2',
      always_use_https: true,
      hsts: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: false },
    });
    expect(settings?.attributeSources).toEqual({ ssl: at(31), ssl_automatic_mode: at(31) });
    const noMode = { ...zone, tls: { mode: undefined, minVersion: undefined, alwaysUseHttps: undefined, automaticHttpsRewrites: false, hsts: undefined } };
    expect(byAddress(desiredCloudflare(config([noMode]), ['production']).resources, 'cloudflare.settings[daffeinated.com]')?.attributes).toEqual({
      automatic_https_rewrites: false,
    });
    const empty = { ...zone, tls: { mode: undefined, minVersion: undefined, alwaysUseHttps: undefined, automaticHttpsRewrites: undefined, hsts: undefined } };
    expect(byAddress(desiredCloudflare(config([empty]), ['production']).resources, 'cloudflare.settings[daffeinated.com]')).toBeUndefined();
  });

  it('writes WAF rules in API form with prefixed refs, managed rulesets by id and rate limits in their phase', () => {
    const { resources } = desiredCloudflare(config(), ['production']);
    const rules = (phase: string) => byAddress(resources, `cloudflare.ruleset[daffeinated.com/${phase}]`)?.attributes['rules'];
    expect(rules('http_request_firewall_custom')).toEqual([
      { ref: 'daffeinated:block-wp', description: 'WordPress probes', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', enabled: true },
    ]);
    expect(rules('http_ratelimit')).toEqual([
      {
        ref: 'daffeinated:login',
        description: '',
        action: 'block',
        expression: '(http.request.uri.path eq "/login")',
        enabled: true,
        ratelimit: { characteristics: ['cf.colo.id', 'ip.src'], period: 60, requests_per_period: 10, mitigation_timeout: 600 },
      },
    ]);
    expect(rules('http_request_firewall_managed')).toEqual([
      { ref: 'daffeinated:managed-cloudflare', description: 'Cloudflare Managed Ruleset', action: 'execute', expression: 'true', enabled: true, action_parameters: { id: 'efb7b8c949ac4650a09736fc376e9aee' } },
      { ref: 'daffeinated:managed-owasp', description: 'Cloudflare OWASP Core Ruleset', action: 'execute', expression: 'true', enabled: true, action_parameters: { id: '4814384a9e5d4991b9815dcfc25d2f1f' } },
    ]);
  });

  it('manages every phase once waf is declared (an empty phase holds none of ours), and none without waf', () => {
    const skipOnly = { ...zone, waf: { managed: [], custom: [{ ref: 'allow-ci', description: undefined, action: 'skip' as const, expression: 'true', enabled: false, source: undefined }], rateLimits: [] } };
    const { resources } = desiredCloudflare(config([skipOnly]), ['production']);
    expect(byAddress(resources, 'cloudflare.ruleset[daffeinated.com/http_ratelimit]')?.attributes).toEqual({ rules: [] });
    expect(byAddress(resources, 'cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]')?.attributes['rules']).toEqual([
      { ref: 'daffeinated:allow-ci', description: '', action: 'skip', expression: 'true', enabled: false, action_parameters: { ruleset: 'current' } },
    ]);
    const noWaf = desiredCloudflare(config([{ ...zone, waf: undefined }]), ['production']).resources;
    expect(noWaf.filter((r) => r.kind === 'cloudflare.ruleset')).toEqual([]);
  });

  it('covers both scopes when both are targeted, and nothing without zones', () => {
    const both = desiredCloudflare(config(), ['staging', 'production', 'preview']);
    expect(both.prune).toEqual(['cloudflare.dns@production', 'cloudflare.dns@staging']);
    expect(both.resources.filter((r) => r.scope === 'staging').map((r) => r.address)).toEqual(['cloudflare.dns[daffeinated.com/CNAME/staging]']);
    expect(desiredCloudflare(config([]), ['staging', 'production'])).toEqual({ resources: [], prune: [], diagnostics: [] });
  });

  it('puts a domain in the most specific declared zone, and skips domains outside every zone', () => {
    const sub: ZoneConfig = { ...zone, name: 'staging.daffeinated.com', owner: 'staging', proxied: false, tls: undefined, dns: [], waf: undefined };
    const { resources } = desiredCloudflare(config([zone, sub], ['staging.daffeinated.com', 'api.staging.daffeinated.com']), ['staging']);
    expect(resources.map((r) => `${r.address} proxied=${String(r.attributes['proxied'])}`)).toEqual([
      'cloudflare.dns[staging.daffeinated.com/CNAME/@] proxied=false',
      'cloudflare.dns[staging.daffeinated.com/CNAME/api] proxied=false',
    ]);
  });
});

describe('desiredCloudflare records sharing a name and type', () => {
  const mx = (content: string, line: number) => ({ name: '@', type: 'MX' as const, content, ttl: 1, proxied: undefined, priority: 10, comment: undefined, source: at(line) });

  it('tells them apart by canonical content, whatever their order in app.yaml', () => {
    const two = { ...zone, dns: [mx('mx2.mail.example', 1), mx('mx1.mail.example', 2), { ...mx('v=DKIM1; p=a/b+c[0]', 3), type: 'TXT' as const, priority: undefined }] };
    const addresses = desiredCloudflare(config([two]), ['production']).resources.filter((r) => r.kind === 'cloudflare.dns').map((r) => r.address);
    expect(addresses).toContain('cloudflare.dns[daffeinated.com/MX/@#mx1.mail.example]');
    expect(addresses).toContain('cloudflare.dns[daffeinated.com/MX/@#mx2.mail.example]');
    expect(addresses).toContain('cloudflare.dns[daffeinated.com/TXT/@]');
    const reversed = { ...two, dns: [...two.dns].reverse() };
    const again = desiredCloudflare(config([reversed]), ['production']).resources.map((r) => r.address).sort();
    expect(again).toEqual(desiredCloudflare(config([two]), ['production']).resources.map((r) => r.address).sort());
    expect(dnsAddress('z.com', 'TXT', '@', 'a/b[1]%')).toBe('cloudflare.dns[z.com/TXT/@#a%2Fb%5B1%5D%25]');
  });

  it('reports a record declared twice, and a CNAME next to an A record, as errors', () => {
    const twice = { ...zone, dns: [mx('mx1.mail.example', 1), mx('MX1.mail.example.', 2)] };
    const first = desiredCloudflare(config([twice]), ['production']);
    expect(first.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: 'MX record daffeinated.com is declared more than once', line: 2 })]);
    expect(first.resources.filter((r) => r.address.startsWith('cloudflare.dns[daffeinated.com/MX')).length).toBe(1);
    const clash = { ...zone, dns: [{ name: 'www', type: 'A' as const, content: '192.0.2.1', ttl: 1, proxied: true, priority: undefined, comment: undefined, source: at(7) }] };
    const second = desiredCloudflare(config([clash]), ['production']);
    expect(second.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', message: 'www.daffeinated.com cannot have both a CNAME (environments.production.domains) and an A record', line: 7 }),
    ]);
    expect(byAddress(second.resources, 'cloudflare.dns[daffeinated.com/A/www]')?.attributes).toMatchObject({ proxied: true, ttl: 1 });
  });
});

describe('canonical forms shared with the provider', () => {
  it('undoes what Cloudflare normalises in record contents', () => {
    expect(canonicalContent('CNAME', 'Target.HerokuDNS.com.')).toBe('target.herokudns.com');
    expect(canonicalContent('TXT', '"v=spf1 include:_spf.mail.example ~all"')).toBe('v=spf1 include:_spf.mail.example ~all');
    expect(canonicalContent('TXT', '"part one " "and \\"two\\""')).toBe('part one and "two"');
    expect(canonicalContent('TXT', 'say "hi" there')).toBe('say "hi" there');
    expect(canonicalContent('AAAA', '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalContent('AAAA', '1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(canonicalContent('AAAA', 'not-an-address')).toBe('not-an-address');
    expect(canonicalContent('CAA', '0 ISSUE "letsencrypt.org"')).toBe('0 issue letsencrypt.org');
    expect(canonicalContent('SRV', '5  5060 SIP.example.com.')).toBe('5 5060 sip.example.com');
    expect(canonicalContent('A', ' 192.0.2.1 ')).toBe('192.0.2.1');
  });

  it('makes names relative and reads the ownership marker back', () => {
    expect(relativeName('WWW.Daffeinated.com.', 'daffeinated.com')).toBe('www');
    expect(relativeName('daffeinated.com', 'daffeinated.com')).toBe('@');
    expect(relativeName('_dmarc', 'daffeinated.com')).toBe('_dmarc');
    expect(commentOwner(ownershipComment('production'))).toBe('production');
    expect(commentOwner(ownershipComment('staging', 'billing | team'))).toBe('staging');
    expect(commentOwner('made by hand')).toBeUndefined();
    expect(commentOwner('notes: managed by daffeinated (x)')).toBeUndefined();
    expect(commentOwner(null)).toBeUndefined();
  });
});
