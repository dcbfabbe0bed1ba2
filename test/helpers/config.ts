import type { EnvironmentConfig } from '../../src/model/config.js';

/**
 * A normalized environment of the daffeinated example app (`daffeinated-<name>`, production's stage
 * is `production`, every other one's `staging`) owning `domains`, with the source locations given.
 */
export function environmentConfig(
  name: string,
  domains: string[],
  sources: EnvironmentConfig['sources'] = {},
): EnvironmentConfig {
  return {
    name,
    app: `daffeinated-${name}`,
    stage: name === 'production' ? 'production' : 'staging',
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
    domains,
    acm: true,
    healthcheck: undefined,
    logDrains: [],
    prune: { config: false, addons: false, domains: false, logDrains: false, formation: false },
    sources,
  };
}
