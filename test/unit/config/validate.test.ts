// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax, written literally here.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { MINIMAL, oneLine, problems } from './support.js';

describe('parseConfig', () => {
  it('returns a config and no diagnostics for a valid document', () => {
    const result = parseConfig(MINIMAL, 'app.yaml', {});
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.environments['staging']?.app).toBe('shop-staging');
  });

  it('refuses an empty document and a document that is not a map', () => {
    expect(problems('')).toEqual([
      'app.yaml:1:1: error: the configuration is empty — hint: start with `version: 1`, `name:` and `environments:` (see config/app.yaml)',
    ]);
    expect(problems('- version: 1\n')).toEqual([
      'app.yaml:1:1: error: the configuration must be a map of settings — hint: start with `version: 1`, `name:` and `environments:` (see config/app.yaml)',
    ]);
  });

  it('stops after YAML errors: the data cannot be trusted', () => {
    expect(problems('version: 1\nversion: 1\nname: [\n')).toHaveLength(2);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as an environment, config var or add-on name, at the key', (name) => {
    const hint = 'choose another name: __proto__, constructor and prototype are reserved';
    expect(problems(`version: 1\nname: shop\nenvironments:\n  ${name}:\n    app: shop-x\n`)).toEqual([
      `app.yaml:4:3: error: "${name}" cannot be used as an environment name: it is reserved (at environments.${name}) — hint: ${hint}`,
    ]);
    expect(problems(`${MINIMAL}    config:\n      ${name}: x\n      OTHER: y\n`)).toEqual([
      `app.yaml:7:7: error: "${name}" cannot be used as a config var name: it is reserved (at environments.staging.config.${name}) — hint: ${hint}`,
    ]);
    expect(problems(`${MINIMAL}    addons:\n      ${name}: { plan: "heroku-redis:mini" }\n`)).toEqual([
      `app.yaml:7:7: error: "${name}" cannot be used as an add-on name: it is reserved (at environments.staging.addons.${name}) — hint: ${hint}`,
    ]);
    expect(problems(`${MINIMAL}defaults:\n  config:\n    ${name}: x\n`)).toEqual([
      `app.yaml:8:5: error: "${name}" cannot be used as a config var name: it is reserved (at defaults.config.${name}) — hint: ${hint}`,
    ]);
  });

  it('reports an unset variable once, not again as a bad value or a clash', () => {
    const text =
      'version: 1\nname: shop\nenvironments:\n  a: { app: "${APP}" }\n  b: { app: "${APP}", stage: "${STAGE}" }\n';
    expect(problems(text, { STAGE: 'prod' })).toEqual([
      'app.yaml:4:13: error: environment variable APP is not set (at environments.a.app) — hint: set APP, or write $${APP} for a literal ${APP}',
      'app.yaml:5:13: error: environment variable APP is not set (at environments.b.app) — hint: set APP, or write $${APP} for a literal ${APP}',
      // Messages quote the interpolated value, positions are the source's.
      'app.yaml:5:30: error: expected "development", "staging" or "production", got the string "prod" (at environments.b.stage) — hint: did you mean "production"?',
    ]);
    // Both set: the same names are fine apart from the duplicate app, now visible.
    expect(problems(text, { APP: 'shop-a', STAGE: 'staging' })).toEqual([
      'app.yaml:5:13: error: app "shop-a" is already used by environment a (at environments.b.app) — hint: each environment needs its own Heroku app',
    ]);
  });

  it('collects problems of every stage in one run, sorted by position', () => {
    const text = `version: 1
name: shop
environments:
  staging:
    app: shop-staging
    regoin: eu
  production:
    app: shop-staging
    domains: ["\${DOMAIN}"]
cloudflare:
  zones:
    shop.example: { owner: prod }
`;
    expect(problems(text)).toEqual([
      'app.yaml:6:5: error: unknown key "regoin" (at environments.staging.regoin) — hint: did you mean "region"?',
      'app.yaml:8:10: error: app "shop-staging" is already used by environment staging (at environments.production.app) — hint: each environment needs its own Heroku app',
      'app.yaml:9:15: error: environment variable DOMAIN is not set (at environments.production.domains[0]) — hint: set DOMAIN, or write $${DOMAIN} for a literal ${DOMAIN}',
      'app.yaml:12:28: error: owner "prod" is not a declared environment (at cloudflare.zones.shop.example.owner) — hint: did you mean "production"?',
    ]);
  });

  it('uses the file name it is given in every location', () => {
    const result = parseConfig('version: 1\n', 'deploy/app.yaml', {});
    expect(result.diagnostics.map(oneLine)).toEqual([
      'deploy/app.yaml:1:1: error: missing required key "environments" (at environments)',
      'deploy/app.yaml:1:1: error: missing required key "name" (at name)',
    ]);
  });
});
