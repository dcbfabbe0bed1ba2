import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { compareEnvironments } from '../../../src/engine/environments.js';

const TEXT = `version: 1
name: shop
defaults:
  formation: { web: { quantity: 1, size: basic } }
  config:
    NODE_ENV: production
    API_TOKEN: { value: same-secret, sensitive: true }
environments:
  production:
    app: shop-production
    features: [preboot]
    formation: { web: { quantity: 2, size: standard-2x } }
    addons: { database: { plan: "heroku-postgresql:standard-0" } }
    config:
      STRIPE_KEY: { from_env: STRIPE_KEY }
      SIGNING_KEY: { value: production-secret-value }
  staging:
    app: shop-staging
    addons: { database: { plan: "heroku-postgresql:essential-0" } }
    config:
      SIGNING_KEY: { value: staging-secret-value }
`;

describe('compareEnvironments', () => {
  const { config, diagnostics } = parseConfig(TEXT, 'app.yaml', {});
  it('parses the fixture', () => {
    expect(diagnostics).toEqual([]);
  });
  const differences = config ? compareEnvironments(config.environments['production']!, config.environments['staging']!) : [];

  it('lists effective differences after inheritance, not inherited equal values', () => {
    expect(differences.map((d) => [d.aspect, d.key, d.left, d.right])).toEqual([
      ['config', 'SIGNING_KEY', '(sensitive value)', '(sensitive value)'],
      ['config', 'STRIPE_KEY', 'from_env STRIPE_KEY', undefined],
      ['formation', 'web', '2 × standard-2x', '1 × basic'],
      ['addons', 'database', 'heroku-postgresql:standard-0', 'heroku-postgresql:essential-0'],
      ['features', 'preboot', 'enabled', undefined],
    ]);
  });

  it('never contains a secret value', () => {
    const text = JSON.stringify(differences);
    for (const secret of ['same-secret', 'production-secret-value', 'staging-secret-value']) expect(text).not.toContain(secret);
  });

  it('points at where each side declares the value', () => {
    const web = differences.find((d) => d.key === 'web');
    expect(web?.leftSource?.line).toBe(12);
    expect(web?.rightSource?.line).toBe(4);
  });
});
