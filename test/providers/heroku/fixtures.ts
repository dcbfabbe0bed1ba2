import { parseConfig } from '../../../src/config/index.js';
import type { DesiredState } from '../../../src/engine/types.js';
import type { Config } from '../../../src/model/config.js';
import { desiredHeroku } from '../../../src/providers/heroku/desired.js';
import type { ApiAddon, ApiApp, ApiDomain, ApiLogDrain } from '../../../src/providers/heroku/api-types.js';
import type { FakeHeroku } from './support.js';

/** A small app.yaml declaring every Heroku kind for one environment. */
export const YAML = `
version: 1
name: demo
pipeline: demo-pipe
buildpacks: [heroku/nodejs]
environments:
  staging:
    app: demo-staging
    stage: staging
    features: [http-session-affinity]
    formation: { web: { quantity: 1, size: basic } }
    addons:
      database: { plan: "heroku-postgresql:essential-0", as: DATABASE }
      cache: { plan: "heroku-redis:mini" }
    config: { NODE_ENV: production }
    domains: [staging.demo.example]
    acm: true
    log_drains: ["syslog+tls://logs.example.net:514"]
`;

export function config(text = YAML): Config {
  const parsed = parseConfig(text, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.config;
}

export function desired(text = YAML, environments = ['staging']): DesiredState {
  const build = desiredHeroku(config(text), environments, {});
  return { resources: build.resources, prune: build.prune };
}

export const APP_ID = '11111111-1111-4111-8111-111111111111';
export const PIPELINE_ID = '22222222-2222-4222-8222-222222222222';

export function apiApp(name: string, extra: Partial<ApiApp> = {}): ApiApp {
  return {
    id: APP_ID,
    name,
    maintenance: false,
    acm: true,
    region: { id: 'r', name: 'us' },
    stack: { id: 's', name: 'heroku-24' },
    build_stack: { id: 's', name: 'heroku-24' },
    team: null,
    web_url: `https://${name}.herokuapp.com/`,
    ...extra,
  };
}

export function apiAddon(id: string, name: string, plan: string, vars: string[], state = 'provisioned'): ApiAddon {
  const service = plan.slice(0, plan.indexOf(':'));
  return {
    id,
    name,
    config_vars: vars,
    addon_service: { id: `svc-${service}`, name: service },
    plan: { id: `plan-${plan}`, name: plan },
    state,
  };
}

export function apiDomain(hostname: string, extra: Partial<ApiDomain> = {}): ApiDomain {
  return {
    id: `dom-${hostname}`,
    hostname,
    kind: 'custom',
    cname: `${hostname.split('.')[0]}-x1y2.herokudns.com`,
    status: 'succeeded',
    acm_status: 'cert issued',
    acm_status_reason: null,
    ...extra,
  };
}

export function apiDrain(id: string, url: string, addon: ApiLogDrain['addon'] = null): ApiLogDrain {
  return { id, url, token: `d.${id}`, addon };
}

/** What the API holds for staging when it matches YAML exactly. */
export function convergedStaging() {
  return {
    '': apiApp('demo-staging'),
    '/config-vars': { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/x', REDIS_URL: 'rediss://:p@r:1' },
    '/formation': [{ id: 'f1', type: 'web', quantity: 1, size: 'Basic', dyno_size: { name: 'Basic' } }],
    '/addons': [
      apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:essential-0', ['DATABASE_URL']),
      apiAddon('a2', 'redis-shiny-456', 'heroku-redis:mini', ['REDIS_URL']),
    ],
    '/buildpack-installations': [
      {
        ordinal: 0,
        buildpack: {
          url: 'https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/nodejs.tgz',
          name: 'heroku/nodejs',
        },
      },
    ],
    '/features': [
      { id: 'ft1', name: 'http-session-affinity', enabled: true },
      { id: 'ft2', name: 'runtime-dyno-metadata', enabled: true },
    ],
    '/domains': [
      apiDomain('demo-staging.herokuapp.com', { kind: 'heroku', acm_status: null }),
      apiDomain('staging.demo.example'),
    ],
    '/log-drains': [
      apiDrain('l1', 'syslog+tls://logs.example.net:514'),
      apiDrain('l2', 'https://addon.example/drain', { id: 'a9', name: 'papertrail-1' }),
    ],
    '/pipeline-couplings': { id: 'c1', app: { id: APP_ID }, pipeline: { id: PIPELINE_ID }, stage: 'staging' },
  } as Record<string, unknown>;
}

/** nock replies for one app's reads (a `undefined` part answers 404) and, optionally, the pipeline. */
export function serveApp(
  fake: FakeHeroku,
  app: string,
  parts: Record<string, unknown>,
  before?: () => Promise<void>,
): void {
  for (const [suffix, body] of Object.entries(parts)) {
    fake.on('GET', `/apps/${app}${suffix}`, async () => {
      await before?.();
      return body === undefined ? [404, { id: 'not_found', message: 'Not found.' }] : [200, body];
    });
  }
}

/** An account-wide list (`/apps`, `/addons`, `/pipeline-couplings`) that fits in one page. */
export function serveList(fake: FakeHeroku, path: string, items: unknown[], before?: () => Promise<void>): void {
  servePages(fake, path, [items], before);
}

/** A list answered in `pages`, each but the last with a `Next-Range` (206), as Heroku pages one of more than 1,000. */
export function servePages(fake: FakeHeroku, path: string, pages: unknown[][], before?: () => Promise<void>): void {
  for (const [i, page] of pages.entries()) {
    fake.on('GET', path, async () => {
      await before?.();
      return i === pages.length - 1 ? [200, page] : [206, page, { 'Next-Range': `id ]page-${i + 1}..; max=1000` }];
    });
  }
}

export function servePipeline(fake: FakeHeroku, found: boolean, before?: () => Promise<void>): void {
  fake.on('GET', '/pipelines/demo-pipe', async () => {
    await before?.();
    return found ? [200, { id: PIPELINE_ID, name: 'demo-pipe' }] : [404, { id: 'not_found', message: 'Not found.' }];
  });
}
