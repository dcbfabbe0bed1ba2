import { describe, expect, it } from 'vitest';
import { problems, valid } from './support.js';

const withZones = (
  zones: string,
  environments = 'production:\n    app: shop-production\n    domains: [shop.example, www.shop.example]\n',
) => `version: 1\nname: shop\nenvironments:\n  ${environments}cloudflare:\n  zones:\n${zones}`;

describe('zone owner and names', () => {
  it('requires the owner to be a declared environment, suggesting the closest', () => {
    expect(problems(withZones('    shop.example:\n      owner: producton\n'))).toEqual([
      'app.yaml:10:14: error: owner "producton" is not a declared environment (at cloudflare.zones.shop.example.owner) — hint: did you mean "production"?',
    ]);
  });

  it('refuses the same zone twice in different spellings', () => {
    expect(
      problems(withZones('    shop.example:\n      owner: production\n    Shop.Example.:\n      owner: production\n')),
    ).toEqual(['app.yaml:11:5: error: zone shop.example is declared twice (at cloudflare.zones.Shop.Example.)']);
  });
});

describe('WAF refs', () => {
  it('must be unique across custom and rate-limiting rules of a zone, not across zones', () => {
    const rule = (ref: string) => `{ ref: ${ref}, action: block, expression: "true" }`;
    const text = withZones(`    shop.example:
      owner: production
      waf:
        custom: [${rule('a')}, ${rule('b')}, ${rule('a')}]
        rate_limits:
          - { ref: b, expression: "true", requests: 5, period: 10, timeout: 10, action: block }
    other.example:
      owner: production
      waf: { custom: [${rule('a')}] }
`);
    expect(problems(text)).toEqual([
      'app.yaml:12:119: error: WAF rule ref "a" is already used by waf.custom[0] (at cloudflare.zones.shop.example.waf.custom[2].ref) — hint: refs identify rules from one run to the next: each must be unique in the zone',
      'app.yaml:14:20: error: WAF rule ref "b" is already used by waf.custom[1] (at cloudflare.zones.shop.example.waf.rate_limits[0].ref) — hint: refs identify rules from one run to the next: each must be unique in the zone',
    ]);
  });
});

describe('DNS clashes', () => {
  const zone = (records: string) => withZones(`    shop.example:\n      owner: production\n      dns:\n${records}`);

  it('allows MX and TXT beside the flattened apex CNAME, and NS at the apex', () => {
    valid(
      zone(`        - { name: "@", type: MX, content: mx.mail.example, priority: 10 }
        - { name: "shop.example.", type: TXT, content: "v=spf1 -all" }
        - { name: "@", type: NS, content: ns1.dns.example }
        - { name: mail, type: A, content: 192.0.2.1 }
        - { name: mail, type: AAAA, content: "2001:db8::1" }
        - { name: mail, type: MX, content: mx.mail.example, priority: 5 }
        - { name: sub, type: NS, content: ns1.dns.example }
        - { name: sub, type: NS, content: ns2.dns.example }
`),
    );
  });

  it('refuses A or CNAME records where an environment domain gets its automatic CNAME', () => {
    expect(
      problems(
        zone(`        - { name: "@", type: A, content: 192.0.2.1 }
        - { name: www.shop.example, type: CNAME, content: elsewhere.example }
`),
      ),
    ).toEqual([
      'app.yaml:12:11: error: A record "@" clashes with the automatic CNAME for shop.example (environment production) (at cloudflare.zones.shop.example.dns[0]) — hint: environment domains inside a zone get a CNAME to Heroku: remove this record or the domain',
      'app.yaml:13:11: error: CNAME record "www" clashes with the automatic CNAME for www.shop.example (environment production) (at cloudflare.zones.shop.example.dns[1]) — hint: environment domains inside a zone get a CNAME to Heroku: remove this record or the domain',
    ]);
  });

  it('refuses anything beside a CNAME below the apex, NS beside other types, and duplicates', () => {
    expect(
      problems(
        zone(`        - { name: docs, type: CNAME, content: docs.host.example }
        - { name: docs, type: TXT, content: "x" }
        - { name: sub, type: A, content: 192.0.2.1 }
        - { name: sub, type: NS, content: ns1.dns.example }
        - { name: txt, type: TXT, content: "same" }
        - { name: TXT, type: TXT, content: "same" }
        - { name: mx, type: MX, content: MX.Mail.Example, priority: 1 }
        - { name: mx, type: MX, content: mx.mail.example., priority: 2 }
`),
      ),
    ).toEqual([
      'app.yaml:13:11: error: TXT record "docs" clashes with the CNAME record "docs" at dns[0] (at cloudflare.zones.shop.example.dns[1]) — hint: a CNAME cannot share its name with other records (at the apex: with A, AAAA or CNAME)',
      'app.yaml:15:11: error: NS record "sub" clashes with the A record "sub" at dns[2] (at cloudflare.zones.shop.example.dns[3]) — hint: a CNAME cannot share its name with other records (at the apex: with A, AAAA or CNAME)',
      'app.yaml:17:11: error: TXT record "txt" is declared twice (at cloudflare.zones.shop.example.dns[5]) — hint: remove one of them',
      'app.yaml:19:11: error: MX record "mx" is declared twice (at cloudflare.zones.shop.example.dns[7]) — hint: remove one of them',
    ]);
  });

  it('counts an environment domain only in its most specific zone', () => {
    const text = withZones(
      `    shop.example:
      owner: production
      dns: [{ name: api, type: NS, content: ns1.dns.example }]
    api.shop.example:
      owner: production
      dns: [{ name: "@", type: MX, content: mx.mail.example, priority: 1 }]
`,
      'production:\n    app: shop-production\n    domains: ["*.api.shop.example", api.shop.example, other.example]\n',
    );
    valid(text);
  });

  it('skips ill-typed records and domains (the schema reports them)', () => {
    const text = withZones(
      '    shop.example:\n      owner: production\n      dns: [{ name: www }, nonsense]\n',
      'production:\n    app: shop-production\n    domains: [1, "not a host"]\n',
    );
    expect(problems(text)).toEqual([
      'app.yaml:6:15: error: expected a string, got the number 1 (at environments.production.domains[0]) — hint: quote it to make it a string: "1"',
      'app.yaml:6:18: error: "not a host" is not a valid hostname (at environments.production.domains[1]) — hint: use dot-separated labels of letters, digits and inner dashes, e.g. www.example.com',
      'app.yaml:11:13: error: missing required key "content" (at cloudflare.zones.shop.example.dns[0].content)',
      'app.yaml:11:13: error: missing required key "type" (at cloudflare.zones.shop.example.dns[0].type)',
      'app.yaml:11:28: error: expected a map, got the string "nonsense" (at cloudflare.zones.shop.example.dns[1])',
    ]);
  });
});
