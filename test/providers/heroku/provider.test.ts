import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../../src/engine/types.js';
import { makeAddress, type Resource } from '../../../src/model/resource.js';
import { Unknown } from '../../../src/model/value.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { HerokuProvider } from '../../../src/providers/heroku/index.js';
import type { ApplyContext } from '../../../src/providers/provider.js';
import { apiApp } from './fixtures.js';

const BASE = 'https://api.heroku.example';
const apps = new Map([['staging', 'demo-staging']]);

function provider() {
  const client = new HerokuClient({ baseUrl: BASE, token: 't', userAgent: 'test', sleep: async () => {} });
  return new HerokuProvider(client, apps);
}

const context: ApplyContext = {
  reporter: { info: () => {}, warn: () => {}, progress: () => {} },
  outputs: new Map(),
};

function resource(kind: Resource['kind'], parts: string[], attributes: Resource['attributes'], extra: Partial<Resource> = {}): Resource {
  return { address: makeAddress(kind, ...parts), provider: 'heroku', kind, scope: 'staging', attributes, sensitive: [], ...extra };
}

const desiredApp = resource('heroku.app', ['staging'], { name: 'demo-staging', region: 'us', stack: 'heroku-24', maintenance: false });
const desiredConfig = resource('heroku.config', ['staging'], { NODE_ENV: 'production', API_TOKEN: 'x' }, { sensitive: ['API_TOKEN'] });
const desiredWeb = resource('heroku.formation', ['staging', 'web'], { quantity: 2, size: 'standard-1x' });
const desiredWorker = resource('heroku.formation', ['staging', 'worker'], { quantity: 1, size: 'basic' });

const demoApp = apiApp('demo-staging', { acm: false });

afterEach(() => {
  nock.cleanAll();
});

/** The reads these tests do not look at: empty lists (no buildpacks, features or stage is declared, so they are not read). */
function serveTheRest(): void {
  for (const kind of ['domains', 'log-drains']) nock(BASE).get(`/apps/demo-staging/${kind}`).reply(200, []);
}

describe('HerokuProvider.read', () => {
  it('reads app, config, formation and add-ons of an environment in one round', async () => {
    serveTheRest();
    nock(BASE)
      .get('/apps/demo-staging')
      .reply(200, demoApp)
      .get('/apps/demo-staging/config-vars')
      .reply(200, { NODE_ENV: 'development', DATABASE_URL: 'postgres://secret', EXTRA: 'x' })
      .get('/apps/demo-staging/formation')
      .reply(200, [{ id: 'f', type: 'web', quantity: 1, size: 'Basic', dyno_size: { name: 'Basic' } }])
      .get('/apps/demo-staging/addons')
      .reply(200, [
        { id: 'a', name: 'postgresql-1', config_vars: ['DATABASE_URL'], addon_service: { id: 's', name: 'heroku-postgresql' }, plan: { id: 'p', name: 'heroku-postgresql:essential-0' }, state: 'provisioned' },
      ]);
    const live = await provider().read({ scopes: ['staging'], desired: [desiredApp, desiredConfig, desiredWeb, desiredWorker] });
    const config = live.resources.find((r) => r.kind === 'heroku.config');
    // Add-on-owned vars are not part of the live config at all.
    expect(config?.attributes).toEqual({ NODE_ENV: 'development', EXTRA: 'x' });
    // Undeclared values are sensitive: they could be anything.
    expect(config?.sensitive).toEqual(['EXTRA']);
    expect(live.resources.find((r) => r.address === 'heroku.formation[staging/web]')?.attributes).toEqual({ quantity: 1, size: 'basic' });
    expect(live.deferred).toEqual([{ address: 'heroku.formation[staging/worker]', reason: expect.stringContaining("'worker'") }]);
    expect(live.diagnostics).toEqual([]);
  });

  it('reports a missing app as absent and defers its formation', async () => {
    nock(BASE)
      .get(/\/apps\/demo-staging.*/)
      .times(6)
      .reply(404, { id: 'not_found', message: "Couldn't find that app." });
    const live = await provider().read({ scopes: ['staging'], desired: [desiredApp, desiredConfig, desiredWeb] });
    expect(live.resources).toEqual([]);
    expect(live.deferred.map((d) => d.address)).toEqual(['heroku.formation[staging/web]']);
    expect(live.deferred[0]?.reason).toContain('does not exist yet');
  });

  it('flags a declared var that an add-on owns as an error', async () => {
    serveTheRest();
    nock(BASE)
      .get('/apps/demo-staging')
      .reply(200, demoApp)
      .get('/apps/demo-staging/config-vars')
      .reply(200, { REDIS_URL: 'redis://x' })
      .get('/apps/demo-staging/formation')
      .reply(200, [])
      .get('/apps/demo-staging/addons')
      .reply(200, [{ id: 'a', name: 'redis-1', config_vars: ['REDIS_URL'], addon_service: { id: 's', name: 'heroku-redis' }, plan: { id: 'p', name: 'heroku-redis:mini' }, state: 'provisioned' }]);
    const withRedis = { ...desiredConfig, attributes: { REDIS_URL: 'redis://mine' } };
    const live = await provider().read({ scopes: ['staging'], desired: [desiredApp, withRedis] });
    expect(live.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('REDIS_URL is set by the add-on redis-1') })]);
  });
});

describe('HerokuProvider.apply', () => {
  const create = (after: Resource): Change => ({ action: 'create', address: after.address, provider: 'heroku', kind: after.kind, scope: 'staging', after, diffs: Object.entries(after.attributes).map(([attribute, value]) => ({ attribute, after: value, sensitive: after.sensitive.includes(attribute) })) });

  it('creates the app, then sets config in one PATCH with a generated secret', async () => {
    let configBody: Record<string, unknown> = {};
    nock(BASE)
      .post('/apps', { name: 'demo-staging', region: 'us', stack: 'heroku-24' })
      .reply(201, demoApp)
      .patch('/apps/demo-staging/config-vars', (body: Record<string, unknown>) => {
        configBody = body;
        return true;
      })
      .reply(200, {});
    const config = resource('heroku.config', ['staging'], { NODE_ENV: 'production', SESSION_SECRET: new Unknown('generated', { preserveLive: true, generate: { kind: 'secret', bytes: 32 } }) }, { sensitive: ['SESSION_SECRET'] });
    const result = await provider().apply([create(desiredApp), create(config)], context);
    expect(result.failed).toEqual([]);
    expect(result.applied).toEqual(['heroku.app[staging]', 'heroku.config[staging]']);
    expect(configBody['NODE_ENV']).toBe('production');
    expect(configBody['SESSION_SECRET']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.outputs.get('heroku.app[staging]')).toMatchObject({ id: demoApp.id });
  });

  it('adopts an app that an earlier, crashed attempt already created', async () => {
    nock(BASE)
      .post('/apps')
      .reply(422, { id: 'conflict', message: 'Name demo-staging is already taken' })
      .get('/apps/demo-staging')
      .reply(200, demoApp);
    const result = await provider().apply([create(desiredApp)], context);
    expect(result.applied).toEqual(['heroku.app[staging]']);
  });

  it('explains a name taken by someone else', async () => {
    nock(BASE)
      .post('/apps')
      .reply(422, { id: 'invalid_params', message: 'Name is already taken' })
      .get('/apps/demo-staging')
      .reply(403, { id: 'forbidden', message: 'You do not have access to the app demo-staging.' });
    const result = await provider().apply([create(desiredApp), create(desiredConfig)], context);
    expect(result.failed[0]?.address).toBe('heroku.app[staging]');
    expect(result.failed[0]?.error.message).toContain('Cannot create the app demo-staging: Heroku rejected POST /apps: Name is already taken');
    expect(result.notAttempted).toEqual(['heroku.config[staging]']);
  });

  it('removes undeclared vars with null and batches formation into one PATCH', async () => {
    const before = resource('heroku.config', ['staging'], { OLD: 'x', NODE_ENV: 'dev' });
    const after = resource('heroku.config', ['staging'], { NODE_ENV: 'production' });
    const update: Change = { action: 'update', address: before.address, provider: 'heroku', kind: 'heroku.config', scope: 'staging', before, after, diffs: [{ attribute: 'NODE_ENV', before: 'dev', after: 'production', sensitive: false }, { attribute: 'OLD', before: 'x', sensitive: true }] };
    const liveWeb = resource('heroku.formation', ['staging', 'web'], { quantity: 1, size: 'basic' });
    const scaleWeb: Change = { action: 'update', address: liveWeb.address, provider: 'heroku', kind: 'heroku.formation', scope: 'staging', before: liveWeb, after: desiredWeb, diffs: [] };
    const liveClock = resource('heroku.formation', ['staging', 'clock'], { quantity: 1, size: 'basic' });
    const pruneClock: Change = { action: 'delete', address: liveClock.address, provider: 'heroku', kind: 'heroku.formation', scope: 'staging', before: liveClock, diffs: [] };
    const scope = nock(BASE)
      .patch('/apps/demo-staging/config-vars', { NODE_ENV: 'production', OLD: null })
      .reply(200, {})
      .patch('/apps/demo-staging/formation', {
        updates: [
          { type: 'web', quantity: 2, dyno_size: { name: 'standard-1x' } },
          { type: 'clock', quantity: 0 },
        ],
      })
      .reply(200, []);
    const result = await provider().apply([update, scaleWeb, pruneClock], context);
    expect(result.failed).toEqual([]);
    scope.done();
  });
});
