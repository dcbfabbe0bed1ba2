// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax, written literally here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/model/config.js';
import { FIXTURES, MINIMAL, problems, valid } from './support.js';

const everything = (): Config =>
  valid(readFileSync(join(FIXTURES, 'valid/everything.yaml'), 'utf8'), {
    SHOP_REGION: 'eu',
    STRIPE_KEY: 'unused-here',
  });

describe('defaults when app.yaml is silent', () => {
  const config = valid(MINIMAL);
  const staging = config.environments['staging'];

  it('fills the top level', () => {
    expect(config).toMatchObject({
      file: 'app.yaml',
      version: 1,
      name: 'shop',
      pipeline: undefined,
      cloudflare: { zones: {} },
      drift: { ignore: [] },
      promote: { allowMissingConfig: [] },
    });
  });

  it('promote.allow_missing_config: sorted, without repeats', () => {
    const config = valid(`${MINIMAL}promote:\n  allow_missing_config: [STAGING_ONLY, DEBUG, STAGING_ONLY]\n`);
    expect(config.promote).toEqual({ allowMissingConfig: ['DEBUG', 'STAGING_ONLY'] });
  });

  it('fills an environment', () => {
    expect(staging).toEqual({
      name: 'staging',
      app: 'shop-staging',
      stage: undefined,
      team: undefined,
      region: 'us',
      stack: 'heroku-24',
      maintenance: false,
      buildpacks: [],
      buildpacksDeclared: false,
      buildpacksSensitive: false,
      features: [],
      formation: {},
      addons: {},
      config: {},
      domains: [],
      acm: false,
      healthcheck: undefined,
      logDrains: [],
      prune: { config: false, addons: false, domains: false, logDrains: false, formation: false },
      sources: { app: { file: 'app.yaml', line: 5, col: 5 } },
    });
  });
});

describe('inheritance: environment > defaults > top level', () => {
  const config = everything();
  const { review, staging, production } = config.environments as Record<
    string,
    NonNullable<Config['environments'][string]>
  >;

  it('keeps the declaration order of environments', () => {
    expect(Object.keys(config.environments)).toEqual(['review', 'staging', 'production']);
  });

  it('inherits top-level settings, interpolated', () => {
    expect(review).toMatchObject({ team: 'shop-team', region: 'eu', stack: 'heroku-22', stage: 'development' });
    expect(review?.buildpacks).toEqual(['heroku/nodejs', 'https://github.com/heroku/heroku-buildpack-pgbouncer']);
    expect(review?.features).toEqual(['runtime-dyno-metadata']);
    expect(staging?.region).toBe('us');
  });

  it('replaces lists (an empty list still counts as declared)', () => {
    expect(production?.buildpacks).toEqual([]);
    expect(production?.buildpacksDeclared).toBe(true);
    expect(production?.features).toEqual(['preboot']);
  });

  it('merges maps: formation, add-ons, healthcheck, prune', () => {
    expect(review?.formation).toEqual({ web: { quantity: 1, size: 'standard-1x' } });
    expect(production?.formation).toEqual({
      web: { quantity: 3, size: 'performance-m' },
      worker: { quantity: 0, size: 'standard-2x' },
    });
    expect(review?.addons['logs']).toEqual({
      plan: 'papertrail:choklad',
      service: 'papertrail',
      as: undefined,
      name: 'shop-review-logs',
      options: {},
      optionsSensitive: false,
      protect: false,
    });
    expect(staging?.addons['logs']?.protect).toBe(true);
    expect(staging?.healthcheck).toEqual({ path: '/health', timeoutSeconds: 5, expectStatus: [200, 204] });
    expect(production?.healthcheck).toEqual({ path: '/ready', timeoutSeconds: 10, expectStatus: [200] });
    expect(review?.prune).toEqual({ config: true, addons: false, domains: false, logDrains: true, formation: false });
    expect(production?.prune).toEqual({ config: false, addons: true, domains: true, logDrains: true, formation: true });
  });

  it('replaces a config var whole rather than merging its keys', () => {
    expect(review?.config['SESSION_SECRET']).toEqual({ kind: 'generate', bytes: 64 });
    expect(production?.config['SESSION_SECRET']).toEqual({ kind: 'literal', value: 'fixed', sensitive: false });
  });
});

describe('canonical forms', () => {
  const config = everything();
  const staging = config.environments['staging'];
  const production = config.environments['production'];

  it('config vars: strings, numbers as written, kinds', () => {
    expect(staging?.config).toEqual({
      NODE_ENV: { kind: 'literal', value: 'production', sensitive: false },
      WEB_CONCURRENCY: { kind: 'literal', value: '2', sensitive: false },
      FEATURE_FLAG: { kind: 'literal', value: 'true', sensitive: false },
      VERSION: { kind: 'literal', value: '1.10', sensitive: false },
      API_TOKEN: { kind: 'literal', value: 'abc123', sensitive: true },
      SESSION_SECRET: { kind: 'generate', bytes: 64 },
      STRIPE_KEY: { kind: 'from_env', variable: 'STRIPE_KEY', optional: false },
      ESCAPED: { kind: 'literal', value: '${NOT_A_VAR}', sensitive: false },
    });
  });

  it('config var objects: defaults and numbers as written', () => {
    const config2 = valid(`${MINIMAL}    config:
      A: { value: 0x1F }
      B: { value: false }
      C: { generate: secret }
      D: { from_env: D, optional: true }
`);
    expect(config2.environments['staging']?.config).toEqual({
      A: { kind: 'literal', value: '0x1F', sensitive: false },
      B: { kind: 'literal', value: 'false', sensitive: false },
      C: { kind: 'generate', bytes: 32 },
      D: { kind: 'from_env', variable: 'D', optional: true },
    });
  });

  it('a config var that takes text from ${VAR} is sensitive, however it is written', () => {
    const config2 = valid(
      `${MINIMAL}    config:
      DATABASE_RO_URL: postgres://reader:\${DB_PASS}@db.example.net/shop
      MIRROR_URL: { value: "https://\${MIRROR_HOST}/feed" }
      NOT_SUBSTITUTED: "$\${DB_PASS}"
`,
      { DB_PASS: 'pa55-w0rd', MIRROR_HOST: 'mirror.example.net' },
    );
    expect(config2.environments['staging']?.config).toEqual({
      DATABASE_RO_URL: { kind: 'literal', value: 'postgres://reader:pa55-w0rd@db.example.net/shop', sensitive: true },
      MIRROR_URL: { kind: 'literal', value: 'https://mirror.example.net/feed', sensitive: true },
      NOT_SUBSTITUTED: { kind: 'literal', value: '${DB_PASS}', sensitive: false },
    });
  });

  it('add-ons: service, upper-case attachment, options; protect only as declared (its default is the provider\'s)', () => {
    expect(staging?.addons['database']).toEqual({
      plan: 'heroku-postgresql:essential-0',
      service: 'heroku-postgresql',
      as: 'DATABASE',
      name: undefined,
      options: { version: '16' },
      optionsSensitive: false,
      protect: undefined,
    });
  });

  it('buildpack URLs and add-on options that take text from ${VAR} are sensitive, from defaults or the environment', () => {
    const config2 = valid(
      `version: 1
name: shop
defaults:
  buildpacks: [heroku/nodejs, "https://x-access-token:\${BP_TOKEN}@buildpacks.example.net/private.tgz"]
environments:
  staging:
    app: shop-staging
    addons:
      search: { plan: "bonsai:sandbox", options: { region: eu, token: "\${SEARCH_TOKEN}" } }
      mail: { plan: "mailgun:starter", options: { region: eu, literal: "$\${NOT_A_VAR}" } }
  production:
    app: shop-production
    buildpacks: [heroku/nodejs, "$\${NOT_A_VAR}"]
`,
      { BP_TOKEN: 't0ken', SEARCH_TOKEN: 's3arch' },
    );
    const staging2 = config2.environments['staging'];
    expect(staging2?.buildpacks).toEqual(['heroku/nodejs', 'https://x-access-token:t0ken@buildpacks.example.net/private.tgz']);
    expect(staging2?.buildpacksSensitive).toBe(true);
    expect(staging2?.addons['search']).toMatchObject({ options: { region: 'eu', token: 's3arch' }, optionsSensitive: true });
    expect(staging2?.addons['mail']).toMatchObject({ options: { region: 'eu', literal: '${NOT_A_VAR}' }, optionsSensitive: false });
    expect(config2.environments['production']?.buildpacksSensitive).toBe(false);
  });

  it('hostnames lower-case without trailing dot; dyno sizes lower-case', () => {
    expect(staging?.domains).toEqual(['staging.shop.example']);
    expect(production?.domains).toEqual(['shop.example', 'www.shop.example', '*.api.shop.example']);
    expect(staging?.logDrains).toEqual(['syslog+tls://logs.example.com:6514']);
    expect(staging).toMatchObject({ maintenance: false, acm: true, stage: 'staging' });
    expect(production?.maintenance).toBe(true);
  });

  it('zones: names, records relative to the zone, TLS, WAF with defaults', () => {
    const zone = config.cloudflare.zones['shop.example'];
    expect(zone).toMatchObject({
      name: 'shop.example',
      owner: 'production',
      proxied: false,
      source: { file: 'app.yaml', line: 62, col: 5 },
    });
    expect(zone?.tls).toEqual({
      mode: 'full',
      minVersion: '1.3',
      alwaysUseHttps: true,
      automaticHttpsRewrites: false,
      hsts: { enabled: false, maxAge: 0, includeSubdomains: false, preload: false, nosniff: true },
      sources: expect.any(Object),
    });
    // Each key under tls where `sources` locates it.
    const keys = ['mode', 'min_version', 'always_use_https', 'automatic_https_rewrites', 'hsts'];
    expect(zone?.tls?.sources).toEqual(
      Object.fromEntries(keys.map((key) => [key, config.sources[`cloudflare.zones.shop.example.tls.${key}`]])),
    );
    expect(zone?.tls?.sources?.['mode']).toEqual({ file: 'app.yaml', line: 66, col: 9 });
    expect(zone?.dns.map(({ source: _source, ...r }) => r)).toEqual([
      {
        name: '@',
        type: 'MX',
        content: 'mx1.mail.example',
        ttl: 3600,
        proxied: undefined,
        priority: 10,
        comment: undefined,
      },
      {
        name: '@',
        type: 'TXT',
        content: 'v=spf1 -all',
        ttl: 1,
        proxied: undefined,
        priority: undefined,
        comment: 'SPF',
      },
      {
        name: 'legacy',
        type: 'A',
        content: '192.0.2.1',
        ttl: 1,
        proxied: undefined,
        priority: undefined,
        comment: undefined,
      },
      {
        name: '_dmarc',
        type: 'TXT',
        content: 'v=DMARC1; p=none',
        ttl: 1,
        proxied: undefined,
        priority: undefined,
        comment: undefined,
      },
      {
        name: 'ipv6',
        type: 'AAAA',
        content: '2001:db8::1',
        ttl: 1,
        proxied: true,
        priority: undefined,
        comment: undefined,
      },
      {
        name: 'sub',
        type: 'NS',
        content: 'ns1.dns.example',
        ttl: 1,
        proxied: undefined,
        priority: undefined,
        comment: undefined,
      },
      {
        name: '_sip._tcp',
        type: 'SRV',
        content: '5 5060 sip.shop.example',
        ttl: 1,
        proxied: undefined,
        priority: 1,
        comment: undefined,
      },
      {
        name: '@',
        type: 'CAA',
        content: '0 issue "letsencrypt.org"',
        ttl: 1,
        proxied: undefined,
        priority: undefined,
        comment: undefined,
      },
    ]);
    expect(zone?.dns[0]?.source).toEqual({ file: 'app.yaml', line: 72, col: 11 });
    expect(zone?.waf?.managed).toEqual(['owasp']);
    expect(zone?.waf?.custom.map((r) => [r.ref, r.action, r.enabled, r.description])).toEqual([
      ['block-wp', 'block', false, 'WordPress'],
      ['challenge_admin', 'managed_challenge', true, undefined],
    ]);
    expect(zone?.waf?.rateLimits[0]).toMatchObject({
      ref: 'api',
      requests: 100,
      period: 10,
      timeout: 0,
      characteristics: ['cf.colo.id', 'ip.src'],
      enabled: true,
    });
    const bare = config.cloudflare.zones['api.shop.example'];
    expect(bare).toMatchObject({ owner: 'staging', proxied: true, tls: undefined, dns: [], waf: undefined });
  });

  it('WAF lists default to empty, characteristics to [ip.src, cf.colo.id], managed without duplicates', () => {
    const zoned = valid(`${MINIMAL}cloudflare:
  zones:
    shop.example:
      owner: staging
      tls: { hsts: { max_age: 600 } }
      waf:
        managed: [cloudflare, cloudflare]
        rate_limits: [{ ref: login, expression: "true", requests: 5, period: 10, timeout: 10, action: block }]
`);
    const zone = zoned.cloudflare.zones['shop.example'];
    expect(zone?.waf).toMatchObject({ managed: ['cloudflare'], custom: [] });
    expect(zone?.waf?.rateLimits[0]?.characteristics).toEqual(['ip.src', 'cf.colo.id']);
    expect(zone?.tls).toEqual({
      mode: undefined,
      minVersion: undefined,
      alwaysUseHttps: undefined,
      automaticHttpsRewrites: undefined,
      hsts: { enabled: true, maxAge: 600, includeSubdomains: false, preload: false, nosniff: false },
      sources: { hsts: { file: 'app.yaml', line: 10, col: 14 } },
    });
    const empty = valid(`${MINIMAL}cloudflare:\n  zones:\n    shop.example:\n      owner: staging\n      waf: {}\n`);
    expect(empty.cloudflare.zones['shop.example']?.waf).toEqual({ managed: [], custom: [], rateLimits: [] });
  });

  it('drift ignores and the pipeline keep their sources', () => {
    expect(config.pipeline).toEqual({ name: 'shop-pipeline', source: { file: 'app.yaml', line: 4, col: 1 } });
    expect(config.drift.ignore).toEqual([
      {
        target: 'heroku.config[staging].NEW_RELIC_APP_NAME',
        reason: 'set by the add-on dashboard',
        expires: '2030-01-31',
        source: { file: 'app.yaml', line: 99, col: 7 },
      },
      {
        target: 'cloudflare.settings[shop.example]',
        reason: 'tuned by hand',
        expires: undefined,
        source: { file: 'app.yaml', line: 100, col: 7 },
      },
    ]);
  });
});

describe('sources', () => {
  const config = everything();

  it('locate every node of the document by dotted path', () => {
    expect(config.sources['']).toEqual({ file: 'app.yaml', line: 2, col: 1 });
    expect(config.sources['environments.staging.app']).toEqual({ file: 'app.yaml', line: 39, col: 5 });
    expect(config.sources['cloudflare.zones.shop.example.dns[0]']).toEqual({ file: 'app.yaml', line: 72, col: 11 });
    expect(config.sources['defaults.config.VERSION']).toEqual({ file: 'app.yaml', line: 25, col: 5 });
  });

  it('per environment, point at the node that supplied each effective value', () => {
    const staging = config.environments['staging']?.sources ?? {};
    const production = config.environments['production']?.sources ?? {};
    expect(staging['app']).toEqual({ file: 'app.yaml', line: 39, col: 5 });
    // Inherited from the top level and from defaults.
    expect(staging['stack']).toEqual({ file: 'app.yaml', line: 7, col: 1 });
    expect(staging['config.NODE_ENV']).toEqual({ file: 'app.yaml', line: 22, col: 5 });
    expect(staging['formation.web.quantity']).toEqual({ file: 'app.yaml', line: 14, col: 12 });
    // Overridden by the environment.
    expect(staging['region']).toEqual({ file: 'app.yaml', line: 41, col: 5 });
    expect(production['formation.web']).toEqual({ file: 'app.yaml', line: 52, col: 7 });
    expect(production['formation.web.quantity']).toEqual({ file: 'app.yaml', line: 52, col: 14 });
    expect(production['config.SESSION_SECRET']).toEqual({ file: 'app.yaml', line: 55, col: 7 });
    // A map merged from both: the map is the environment's, the inherited part is the defaults'.
    expect(staging['healthcheck']).toEqual({ file: 'app.yaml', line: 44, col: 5 });
    expect(staging['healthcheck.path']).toEqual({ file: 'app.yaml', line: 30, col: 18 });
    expect(staging['domains[0]']).toEqual({ file: 'app.yaml', line: 42, col: 15 });
  });
});

describe('promote', () => {
  it('accepts config var names only, with a did-you-mean for misspelt keys', () => {
    expect(problems(`${MINIMAL}promote:\n  allow_missing_config: [OK_NAME, "bad-name"]\n  allow_missing: []\n`)).toEqual([
      'app.yaml:7:35: error: "bad-name" is not a valid config var name: letters, digits and _ only (at promote.allow_missing_config[1])',
      'app.yaml:8:3: error: unknown key "allow_missing" (at promote.allow_missing) — hint: did you mean "allow_missing_config"?',
    ]);
  });
});
