import { describe, expect, it } from 'vitest';
import { problems, valid } from './support.js';

const doc = (body: string) => `version: 1\nname: shop\n${body}`;

describe('keys required after the defaults merge', () => {
  it('accepts formation, add-ons and healthchecks completed by the environment or by defaults', () => {
    valid(
      doc(`defaults:
  formation: { web: { size: basic } }
  addons: { db: { as: DATABASE } }
  healthcheck: { timeout: 5 }
environments:
  staging:
    app: shop-staging
    formation: { web: { quantity: 1 } }
    addons: { db: { plan: "heroku-postgresql:essential-0" } }
    healthcheck: { path: /health }
`),
    );
  });

  it('locates what is missing at the node that supplied the incomplete entry', () => {
    expect(
      problems(
        doc(`defaults:
  healthcheck: { timeout: 5 }
environments:
  staging:
    app: shop-staging
    formation:
      web: { quantity: 1 }
    addons:
      db: { as: DATABASE }
`),
      ),
    ).toEqual([
      'app.yaml:4:3: error: healthcheck has no path (at defaults.healthcheck.path) — hint: add e.g. `path: /health` here or under defaults.healthcheck',
      'app.yaml:9:7: error: process type "web" has no size (at environments.staging.formation.web.size) — hint: set size here, or for every environment under defaults.formation.web',
      'app.yaml:11:7: error: add-on "db" has no plan (at environments.staging.addons.db.plan) — hint: set plan here, or for every environment under defaults.addons.db',
    ]);
  });

  it('reports a gap in a shared defaults node once, even when several environments inherit it', () => {
    expect(
      problems(
        doc(`defaults:
  formation: { web: { quantity: 1 } }
environments:
  staging: { app: shop-staging }
  production: { app: shop-production }
`),
      ),
    ).toEqual([
      'app.yaml:4:16: error: process type "web" has no size (at defaults.formation.web.size) — hint: set size here, or in each environment that uses formation.web',
    ]);
  });
});

describe('uniqueness', () => {
  it('refuses an app, a domain or an add-on name used by two environments', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop
    domains: [www.shop.example]
    addons: { logs: { plan: "papertrail:choklad", name: shop-logs } }
  production:
    app: shop
    domains: [WWW.shop.example.]
    addons: { logs: { plan: "papertrail:choklad", name: shop-logs } }
`),
      ),
    ).toEqual([
      'app.yaml:9:10: error: app "shop" is already used by environment staging (at environments.production.app) — hint: each environment needs its own Heroku app',
      'app.yaml:10:15: error: domain "WWW.shop.example." is already declared by environment staging (at environments.production.domains[0]) — hint: a custom domain can belong to one Heroku app only',
      'app.yaml:11:57: error: add-on name "shop-logs" is already used in environment staging (at environments.production.addons.logs.name) — hint: add-on names are globally unique on Heroku; give each environment its own or leave name out',
    ]);
  });

  it('refuses a domain in defaults, which every environment would claim', () => {
    expect(
      problems(
        doc(`defaults: { domains: [shop.example] }
environments:
  staging: { app: shop-staging }
  production: { app: shop-production }
`),
      ),
    ).toEqual([
      'app.yaml:3:23: error: domain "shop.example" is already declared by environment staging (at defaults.domains[0]) — hint: a custom domain can belong to one Heroku app only',
    ]);
  });

  it('refuses the same entry twice in one list', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    buildpacks: [heroku/nodejs, heroku/nodejs]
    features: [preboot, preboot]
    domains: [a.shop.example, A.shop.example]
    log_drains: ["https://l.example/x", "https://l.example/x"]
`),
      ),
    ).toEqual([
      'app.yaml:6:33: error: "heroku/nodejs" is listed twice in buildpacks (at environments.staging.buildpacks[1])',
      'app.yaml:7:25: error: "preboot" is listed twice in features (at environments.staging.features[1])',
      'app.yaml:8:31: error: "A.shop.example" is listed twice in domains (at environments.staging.domains[1])',
      'app.yaml:9:41: error: "https://l.example/x" is listed twice in log_drains (at environments.staging.log_drains[1])',
    ]);
  });
});

describe('add-on attachments', () => {
  it('refuses two attachments with one name (any case) and config vars an attachment sets', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    addons:
      db: { plan: "heroku-postgresql:essential-0", as: Database }
      cache: { plan: "heroku-redis:mini", as: REDIS }
      copy: { plan: "heroku-postgresql:essential-0", as: DATABASE }
    config:
      REDIS_URL: redis://localhost
      REDIS_TLS_URL: x
      DATABASE_HOST: x
`),
      ),
    ).toEqual([
      'app.yaml:9:58: error: attachment name DATABASE is already used by add-on "db" (at environments.staging.addons.copy.as) — hint: each add-on attached to an app needs its own name',
      'app.yaml:11:7: error: config var REDIS_URL is set by add-on "cache" (attached as REDIS) (at environments.staging.config.REDIS_URL) — hint: remove it from config: Heroku sets add-on config vars and refuses to overwrite them',
    ]);
  });
});

describe('default attachment names (issue 14; Dev Center "Provisioning Heroku Postgres": the first database is attached as DATABASE)', () => {
  it('refuses DATABASE_URL beside heroku-postgresql without `as`, and REDIS_URL beside heroku-redis', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    addons:
      db: { plan: "heroku-postgresql:essential-0" }
      cache: { plan: "heroku-redis:mini" }
    config:
      DATABASE_URL: postgres://elsewhere/shop
      REDIS_URL: rediss://elsewhere
`),
      ),
    ).toEqual([
      'app.yaml:10:7: error: config var DATABASE_URL is set by add-on "db" (attached as DATABASE, Heroku\'s default for its service) (at environments.staging.config.DATABASE_URL) — hint: remove it from config, or give add-on "db" another attachment name with `as:`; Heroku would otherwise attach it under a colour name and leave DATABASE_URL pointing elsewhere',
      'app.yaml:11:7: error: config var REDIS_URL is set by add-on "cache" (attached as REDIS, Heroku\'s default for its service) (at environments.staging.config.REDIS_URL) — hint: remove it from config, or give add-on "cache" another attachment name with `as:`; Heroku would otherwise attach it under a colour name and leave REDIS_URL pointing elsewhere',
    ]);
  });

  it('accepts DATABASE_URL when the database is attached under another name', () => {
    valid(
      doc(`environments:
  staging:
    app: shop-staging
    addons:
      db: { plan: "heroku-postgresql:essential-0", as: MAIN_DB }
    config:
      DATABASE_URL: postgres://elsewhere/shop
`),
    );
  });
});

describe('dyno tiers', () => {
  it('limits eco and basic to one dyno per process type', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    formation:
      web: { quantity: 2, size: ECO }
      worker: { quantity: 1, size: eco }
`),
      ),
    ).toEqual([
      'app.yaml:7:24: error: eco dynos run at most 1 per process type, not 2 (at environments.staging.formation.web.quantity) — hint: use standard-1x or larger to run more than one dyno',
    ]);
  });

  it('refuses mixing tiers in one app, but mixes standard and performance', () => {
    valid(
      doc(`environments:
  production:
    app: shop-production
    formation:
      web: { quantity: 2, size: performance-m }
      worker: { quantity: 3, size: standard-2x }
      clock: { quantity: 0, size: standard-1x }
`),
    );
    expect(
      problems(
        doc(`environments:
  production:
    app: shop-production
    formation:
      web: { quantity: 1, size: private-s }
      worker: { quantity: 1, size: standard-1x }
      release: { quantity: 1, size: shield-m }
`),
      ),
    ).toEqual([
      'app.yaml:8:36: error: standard-1x dynos cannot be mixed with private-s dynos (process type web) in environment production (at environments.production.formation.worker.size) — hint: Heroku apps use one dyno tier: eco, basic, standard/performance, private or shield',
      'app.yaml:9:37: error: shield-m dynos cannot be mixed with private-s dynos (process type web) in environment production (at environments.production.formation.release.size) — hint: Heroku apps use one dyno tier: eco, basic, standard/performance, private or shield',
    ]);
  });
});

describe('Eco apps and preboot (issue 14; Dev Center "Dyno Scaling and Process Limits", "Dyno Tiers")', () => {
  it('refuses a third eco dyno in one app', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    formation:
      web: { quantity: 1, size: eco }
      worker: { quantity: 1, size: eco }
      clock: { quantity: 1, size: eco }
      spare: { quantity: 0, size: eco }
`),
      ),
    ).toEqual([
      'app.yaml:9:26: error: an app on eco dynos runs at most 2 dynos in all; process type clock would be dyno 3 (at environments.staging.formation.clock.quantity) — hint: scale a process type to 0, or use basic or larger dynos',
    ]);
  });

  it('refuses preboot on eco or basic dynos and accepts it on standard ones', () => {
    expect(
      problems(
        doc(`environments:
  staging:
    app: shop-staging
    features: [preboot]
    formation:
      web: { quantity: 1, size: basic }
`),
      ),
    ).toEqual([
      'app.yaml:6:16: error: preboot needs standard or performance dynos; environment staging runs basic dynos (at environments.staging.features[0]) — hint: remove preboot from features, or use standard-1x or larger dynos',
    ]);
    valid(
      doc(`environments:
  production:
    app: shop-production
    features: [preboot]
    formation:
      web: { quantity: 2, size: standard-1x }
`),
    );
  });
});

describe('ill-typed input', () => {
  it('leaves values of the wrong type to the schema instead of failing', () => {
    expect(
      problems(
        doc(`defaults: [1]
environments:
  staging:
    app: [shop]
    domains: { a: 1 }
    formation: [web]
    addons: { db: nonsense, other: { as: 3 } }
    config: text
    healthcheck: /health
    buildpacks: [1]
  production: nonsense
`),
      ),
    ).toEqual([
      'app.yaml:3:11: error: expected a map, got a list (at defaults)',
      'app.yaml:6:10: error: expected a string, got a list (at environments.staging.app)',
      'app.yaml:7:14: error: expected a list, got a map (at environments.staging.domains)',
      'app.yaml:8:16: error: expected a map, got a list (at environments.staging.formation)',
      'app.yaml:9:19: error: expected a map, got the string "nonsense" (at environments.staging.addons.db)',
      'app.yaml:9:29: error: add-on "other" has no plan (at environments.staging.addons.other.plan) — hint: set plan here, or for every environment under defaults.addons.other',
      'app.yaml:9:42: error: expected a string, got the number 3 (at environments.staging.addons.other.as) — hint: quote it to make it a string: "3"',
      'app.yaml:10:13: error: expected a map, got the string "text" (at environments.staging.config)',
      'app.yaml:11:18: error: expected a map, got the string "/health" (at environments.staging.healthcheck)',
      'app.yaml:12:18: error: expected a string, got the number 1 (at environments.staging.buildpacks[0]) — hint: quote it to make it a string: "1"',
      'app.yaml:13:15: error: expected a map, got the string "nonsense" (at environments.production)',
    ]);
  });
});
