import { describe, expect, it } from 'vitest';
import { problems, valid } from './support.js';

const withPurge = (purge: string, domains = '[shop.example, www.shop.example]') => `version: 1
name: shop
environments:
  production:
    app: shop-production
    domains: ${domains}
    purge: ${purge}
cloudflare:
  zones:
    shop.example: { owner: production }
`;

describe('environment purge', () => {
  it('normalizes hosts and prefixes (host part lower-cased, path as written); absent: no purge', () => {
    const config = valid(withPurge('{ hosts: [WWW.Shop.Example., shop.example], prefixes: [Shop.Example/Assets/v2] }'));
    expect(config.environments['production']?.purge).toEqual({
      kind: 'selected',
      hosts: ['www.shop.example', 'shop.example'],
      prefixes: ['shop.example/Assets/v2'],
    });
    expect(valid(withPurge('{ everything: true }')).environments['production']?.purge).toEqual({ kind: 'everything' });
    const without = valid(withPurge('{ hosts: [shop.example] }').replace('    purge: { hosts: [shop.example] }\n', ''));
    expect(without.environments['production']?.purge).toBeUndefined();
  });

  it('refuses hosts and prefixes outside the declared zones, with their line, all in one run', () => {
    expect(problems(withPurge('{ hosts: [shop.example, cdn.elsewhere.example], prefixes: [other.example/assets] }'))).toEqual([
      'app.yaml:7:36: error: purge host "cdn.elsewhere.example" is in no zone under cloudflare.zones (at environments.production.purge.hosts[1]) — hint: daffeinated purges only the zones it manages: declare cdn.elsewhere.example\'s zone under cloudflare.zones, or remove it from purge.hosts',
      'app.yaml:7:71: error: purge prefix "other.example/assets" is in no zone under cloudflare.zones (at environments.production.purge.prefixes[0]) — hint: daffeinated purges only the zones it manages: declare other.example\'s zone under cloudflare.zones, or remove it from purge.prefixes',
    ]);
  });

  it('collects purge problems with the schema\'s own', () => {
    const text = withPurge('{ hosts: [elsewhere.example] }').replace('app: shop-production', 'app: Shop_Production');
    const found = problems(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('app.yaml:5:10: error:');
    expect(found[1]).toContain('purge host "elsewhere.example" is in no zone');
  });

  it('refuses a prefix with a scheme, query or fragment, empty lists, and everything: false', () => {
    const found = problems(withPurge('{ prefixes: ["https://shop.example/a", "shop.example/a?b=1"], hosts: [] }'));
    expect(found.join('\n')).toContain('"https://shop.example/a" is not a purge prefix: write host/path');
    expect(found.join('\n')).toContain('"shop.example/a?b=1" is not a purge prefix');
    expect(found.join('\n')).toMatch(/purge\.hosts/);
    expect(problems(withPurge('{ everything: false }')).join('\n')).toContain('purge.everything');
  });

  it('refuses a purge naming nothing, and the same host twice', () => {
    expect(problems(withPurge('{}'))).toEqual([
      'app.yaml:7:5: error: purge of environment production names nothing to purge (at environments.production.purge) — hint: list `hosts:` or `prefixes:`, or set `everything: true`; without `purge:` nothing is purged',
    ]);
    expect(problems(withPurge('{ hosts: [shop.example, Shop.Example] }'))).toEqual([
      'app.yaml:7:36: error: "Shop.Example" is listed twice in purge.hosts (at environments.production.purge.hosts[1])',
    ]);
  });

  it('refuses everything beside lists, and everything without a domain in a declared zone', () => {
    expect(problems(withPurge('{ everything: true, hosts: [shop.example] }'))).toEqual([
      'app.yaml:7:26: error: purge.everything cannot be combined with hosts or prefixes (at environments.production.purge.everything) — hint: everything already purges all of each zone: keep either `everything: true` or the lists',
    ]);
    expect(problems(withPurge('{ everything: true }', '[shop.elsewhere.example]'))).toEqual([
      'app.yaml:7:26: error: purge.everything of environment production has no zone to purge: none of its domains is in a zone under cloudflare.zones (at environments.production.purge.everything) — hint: add a domain inside a declared zone, or list the hosts to purge instead',
    ]);
  });

  it('is not inherited: purge under defaults is an unknown key', () => {
    const text = withPurge('{ hosts: [shop.example] }').replace('environments:\n', 'defaults:\n  purge: { hosts: [shop.example] }\nenvironments:\n');
    expect(problems(text).join('\n')).toContain('defaults.purge');
  });
});
