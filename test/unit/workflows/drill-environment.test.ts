import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Config } from '../../../src/model/config.js';
import { DRILL_MARKER, databaseAddon, deriveDrill, drillAppName, postgresPlanFor } from '../../../src/workflows/drill-environment.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';

const YAML = `version: 1
name: shop
pipeline: shop-pipe
features: [preboot]
defaults:
  formation:
    web: { quantity: 2, size: standard-2x }
    worker: { quantity: 3, size: standard-1x }
  healthcheck: { path: /health, timeout: 20 }
environments:
  production:
    app: shop-production
    stage: production
    domains: [shop.test, www.shop.test]
    log_drains: [syslog+tls://logs.example.test:514]
    addons:
      replica: { plan: "heroku-postgresql:standard-2", as: REPLICA }
      database: { plan: "heroku-postgresql:standard-4", as: DATABASE, name: shop-db, options: { version: "16" }, backups: { schedule: "02:00 UTC" } }
      cache: { plan: "heroku-redis:premium-5" }
      other: { plan: "sendgrid:silver" }
    config:
      GREETING: hello
      API_TOKEN: plain-but-secret-by-name
      SESSION_SECRET: { generate: secret }
      STRIPE_KEY: { from_env: STRIPE_KEY }
  staging:
    app: a-very-long-heroku-app-name-x
    stage: staging
cloudflare:
  zones:
    shop.test:
      owner: production
`;

function config(): Config {
  const parsed = parseConfig(YAML, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.config;
}

describe('the drill environment', () => {
  it('is named after the app with the drill suffix, within Heroku\'s 30 characters', () => {
    expect(drillAppName('shop-production')).toBe('shop-production-drill');
    expect(drillAppName('a-very-long-heroku-app-name-x')).toBe('a-very-long-heroku-app-n-drill');
    expect(drillAppName('a-very-long-heroku-app-name-x').length).toBeLessThanOrEqual(30);
  });

  it('picks the cheapest Postgres plan that holds the data, else the environment\'s own', () => {
    expect(postgresPlanFor(5 * 2 ** 20, 'heroku-postgresql:standard-4')).toBe('heroku-postgresql:essential-0');
    expect(postgresPlanFor(2 ** 30 + 1, 'x')).toBe('heroku-postgresql:essential-1');
    expect(postgresPlanFor(40 * 2 ** 30, 'x')).toBe('heroku-postgresql:standard-0');
    expect(postgresPlanFor(5 * 2 ** 40, 'heroku-postgresql:premium-7')).toBe('heroku-postgresql:premium-7');
    expect(postgresPlanFor(null, 'heroku-postgresql:standard-4')).toBe('heroku-postgresql:standard-4');
  });

  it('takes the database attached as DATABASE', () => {
    const production = config().environments['production'];
    if (production === undefined) throw new Error('no production');
    expect(databaseAddon(production)?.localName).toBe('database');
    expect(databaseAddon({ ...production, addons: {} })).toBeUndefined();
  });

  it('copies the declaration without what users reach, with fresh secrets, the marker and one web dyno', () => {
    const derived = deriveDrill(config(), 'production', 3 * 2 ** 30);
    if (derived === undefined) throw new Error('no derivation');
    const { drill } = derived;
    expect(drill).toMatchObject({ name: 'production-drill', app: 'shop-production-drill', stage: undefined, domains: [], logDrains: [], features: [], acm: false });
    expect(drill.formation).toEqual({ web: { quantity: 1, size: 'basic' } });
    expect(drill.healthcheck).toEqual(derived.source.healthcheck);
    expect(Object.fromEntries(Object.entries(drill.addons).map(([k, a]) => [k, [a.plan, a.name, a.protect, a.as]]))).toEqual({
      replica: ['heroku-postgresql:standard-2', undefined, false, 'REPLICA'],
      database: ['heroku-postgresql:essential-1', undefined, false, 'DATABASE'],
      cache: ['heroku-redis:mini', undefined, false, undefined],
      other: ['sendgrid:silver', undefined, false, undefined],
    });
    expect(drill.addons['database']?.options).toEqual({ version: '16' });
    expect(derived.source.addons['database']?.backupSchedule).toBeDefined();
    expect(drill.addons['database']?.backupSchedule).toBeUndefined();
    expect(drill.config).toEqual({
      GREETING: { kind: 'literal', value: 'hello', sensitive: false },
      API_TOKEN: { kind: 'generate', bytes: 32 },
      SESSION_SECRET: { kind: 'generate', bytes: 32 },
      STRIPE_KEY: { kind: 'generate', bytes: 32 },
      [DRILL_MARKER]: { kind: 'literal', value: 'production', sensitive: false },
    });
    expect(derived.config.pipeline).toBeUndefined();
    expect(derived.config.cloudflare.zones).toEqual({});
    expect(Object.keys(derived.config.environments)).toEqual(['production', 'production-drill']);
  });

  it('plans no pipeline, domain, drain or DNS record, and needs no variable from the environment', () => {
    const derived = deriveDrill(config(), 'production', null);
    if (derived === undefined) throw new Error('no derivation');
    const prepared = prepareEnvironments(derived.config, { names: ['production-drill'], all: false, defaultAll: false }, {});
    const kinds = [...new Set(prepared.desired.resources.map((r) => r.kind))].sort();
    expect(kinds).toEqual(['heroku.addon', 'heroku.app', 'heroku.config', 'heroku.formation']);
    expect(prepared.desired.resources.every((r) => r.scope === 'production-drill')).toBe(true);
    expect(prepared.desired.resources.find((r) => r.kind === 'heroku.app')?.attributes['name']).toBe('shop-production-drill');
  });

  it('is not derived for an environment without a Postgres add-on', () => {
    expect(deriveDrill(config(), 'staging', null)).toBeUndefined();
    expect(deriveDrill(config(), 'nowhere', null)).toBeUndefined();
  });
});
