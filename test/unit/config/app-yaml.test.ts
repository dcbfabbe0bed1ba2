/** The repository's own config/app.yaml: the Daffeinated platform as deployed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/index.js';
import { REPO_ROOT } from './support.js';

describe('config/app.yaml', () => {
  const text = readFileSync(join(REPO_ROOT, 'config/app.yaml'), 'utf8');

  it('points editors at the generated schema on its first line', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./app.schema.json');
  });

  it('validates with zero diagnostics on a machine without secrets', () => {
    expect(parseConfig(text, 'config/app.yaml', {}).diagnostics).toEqual([]);
  });

  it('is what loadConfig finds from the repository root', () => {
    const config = loadConfig({ cwd: REPO_ROOT, env: {} });
    expect(config.file).toBe('config/app.yaml');
    expect(config.name).toBe('daffeinated');
    expect(config.pipeline?.name).toBe('daffeinated');
    expect(Object.keys(config.environments)).toEqual(['staging', 'production']);

    const staging = config.environments['staging'];
    const production = config.environments['production'];
    expect(staging).toMatchObject({
      app: 'daffeinated-staging',
      stage: 'staging',
      domains: ['staging.daffeinated.com'],
      features: [],
    });
    expect(production).toMatchObject({
      app: 'daffeinated-production',
      stage: 'production',
      domains: ['daffeinated.com', 'www.daffeinated.com'],
      features: ['preboot'],
      buildpacks: ['heroku/nodejs'],
    });
    expect(staging?.addons['database']).toMatchObject({ plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
    expect(production?.addons['database']).toMatchObject({ plan: 'heroku-postgresql:standard-0', as: 'DATABASE' });
    expect(staging?.addons['cache']?.plan).toBe('heroku-redis:mini');
    expect(production?.addons['cache']?.plan).toBe('heroku-redis:premium-0');
    expect(production?.addons['monitoring']?.plan).toBe('newrelic:wayne');
    expect(production?.config).toEqual({
      NODE_ENV: { kind: 'literal', value: 'production', sensitive: false },
      SESSION_SECRET: { kind: 'generate', bytes: 32 },
      // Optional: with STRIPE_KEY unset the var is left unmanaged (with a warning), never invented.
      STRIPE_KEY: { kind: 'from_env', variable: 'STRIPE_KEY', optional: true },
    });
    expect(production?.formation).toEqual({
      web: { quantity: 2, size: 'standard-2x' },
      worker: { quantity: 1, size: 'standard-1x' },
    });
    expect(production?.healthcheck?.path).toBe('/health');

    const zone = config.cloudflare.zones['daffeinated.com'];
    expect(zone).toMatchObject({ owner: 'production', proxied: true });
    expect(zone?.tls).toMatchObject({ mode: 'strict', minVersion: '1.2', alwaysUseHttps: true });
    expect(zone?.dns.map((r) => `${r.type} ${r.name}`)).toEqual(['MX @', 'TXT @']);
    expect(zone?.waf?.managed).toEqual(['cloudflare', 'owasp']);
    expect(zone?.waf?.custom.map((r) => r.ref)).toEqual(['block-wp']);
    expect(zone?.waf?.rateLimits.map((r) => r.ref)).toEqual(['login']);
  });
});
