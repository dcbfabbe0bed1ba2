import { describe, expect, it } from 'vitest';
import type { Json } from '../../helpers/heroku.js';
import { createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

describe('add-on catalogue', () => {
  const sandbox = useSandbox({ seed: 22 });

  it('lists services and their plans with monthly prices and one default plan each', async () => {
    const services = await heroku<Json[]>(sandbox(), 'GET', '/addon-services');
    expect(services.body.map((s) => s['name']).sort()).toEqual([
      'heroku-postgresql',
      'heroku-redis',
      'newrelic',
      'scheduler',
    ]);
    for (const service of services.body) {
      const plans = await heroku<Json[]>(sandbox(), 'GET', `/addon-services/${service['name'] as string}/plans`);
      expect(
        plans.body.filter((p) => p['default'] === true),
        service['name'] as string,
      ).toHaveLength(1);
    }
    const pg = await heroku<Json[]>(sandbox(), 'GET', '/addon-services/heroku-postgresql/plans', {
      headers: { Range: 'name ..' },
    });
    const prices = Object.fromEntries(pg.body.map((p) => [p['name'], (p['price'] as Json)['cents']]));
    expect(prices).toMatchObject({
      'heroku-postgresql:essential-0': 500,
      'heroku-postgresql:essential-1': 900,
      'heroku-postgresql:standard-0': 5000,
      'heroku-postgresql:premium-0': 20000,
    });
    expect(Object.keys(prices)).not.toContain('heroku-postgresql:standard-1');
  });

  it('finds a service and a plan by name or id, and 404s unknown ones', async () => {
    const redis = await heroku<Json>(sandbox(), 'GET', '/addon-services/heroku-redis');
    expect(redis.body).toMatchObject({ name: 'heroku-redis', supports_multiple_installations: true, state: 'ga' });
    const byId = await heroku<Json>(sandbox(), 'GET', `/addon-services/${redis.body['id'] as string}`);
    expect(byId.body['name']).toBe('heroku-redis');
    const mini = await heroku<Json>(sandbox(), 'GET', '/addon-services/heroku-redis/plans/heroku-redis:mini');
    expect(mini.body).toMatchObject({ name: 'heroku-redis:mini', default: true, human_name: 'Mini' });
    expect((await heroku<Json>(sandbox(), 'GET', `/plans/${mini.body['id'] as string}`)).body['name']).toBe(
      'heroku-redis:mini',
    );
    expect((await heroku<Json>(sandbox(), 'GET', '/plans/newrelic:hawke')).body['price']).toMatchObject({
      unit: 'month',
    });
    expect((await heroku(sandbox(), 'GET', '/addon-services/mongolab')).status).toBe(404);
    expect((await heroku(sandbox(), 'GET', '/addon-services/heroku-redis/plans/essential-0')).status).toBe(404);
    expect((await heroku(sandbox(), 'GET', '/plans/heroku-redis:gigantic')).status).toBe(404);
  });
});

describe('buildpack installations', () => {
  const sandbox = useSandbox({ seed: 23 });

  it('PUT replaces the ordered list; GET reads it back', async () => {
    await createApp(sandbox(), 'bp-app');
    expect((await heroku(sandbox(), 'GET', '/apps/bp-app/buildpack-installations')).body).toEqual([]);
    const put = await heroku(sandbox(), 'PUT', '/apps/bp-app/buildpack-installations', {
      body: {
        updates: [
          { buildpack: 'heroku/nodejs' },
          { buildpack: 'https://github.com/heroku/heroku-buildpack-python' },
          { buildpack: 'https://example.com/my-buildpack.tgz' },
        ],
      },
    });
    expect(put.body).toEqual([
      { buildpack: { name: 'heroku/nodejs', url: 'heroku/nodejs' }, ordinal: 0 },
      { buildpack: { name: 'heroku/python', url: 'https://github.com/heroku/heroku-buildpack-python' }, ordinal: 1 },
      {
        buildpack: { name: 'https://example.com/my-buildpack.tgz', url: 'https://example.com/my-buildpack.tgz' },
        ordinal: 2,
      },
    ]);
    const replaced = await heroku(sandbox(), 'PUT', '/apps/bp-app/buildpack-installations', {
      body: { updates: [{ buildpack: 'urn:buildpack:heroku/ruby' }] },
    });
    expect(replaced.body).toEqual([
      { buildpack: { name: 'heroku/ruby', url: 'urn:buildpack:heroku/ruby' }, ordinal: 0 },
    ]);
    expect((await heroku(sandbox(), 'GET', '/apps/bp-app/buildpack-installations')).body).toEqual(replaced.body);
    // Buildpacks never cut a release.
    expect((await heroku<Json[]>(sandbox(), 'GET', '/apps/bp-app/releases')).body).toHaveLength(2);
  });

  it('rejects malformed updates and keeps the list', async () => {
    await createApp(sandbox(), 'bp-strict');
    for (const body of [
      {},
      { updates: 'heroku/nodejs' },
      { updates: [{}] },
      { updates: [{ buildpack: 'ftp://x/y' }] },
      { updates: [{ buildpack: 'heroku/go' }, { buildpack: 'heroku/go' }] },
    ]) {
      const res = await heroku(sandbox(), 'PUT', '/apps/bp-strict/buildpack-installations', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await heroku(sandbox(), 'GET', '/apps/bp-strict/buildpack-installations')).body).toEqual([]);
  });
});

describe('app features', () => {
  const sandbox = useSandbox({ seed: 24 });

  it('lists the catalogue, all off, and switches one with PATCH {enabled}', async () => {
    await createApp(sandbox(), 'feat-app');
    const list = await heroku<Json[]>(sandbox(), 'GET', '/apps/feat-app/features', { headers: { Range: 'name ..' } });
    expect(list.body.map((f) => [f['name'], f['enabled']])).toEqual([
      ['http-session-affinity', false],
      ['log-runtime-metrics', false],
      ['preboot', false],
      ['runtime-dyno-build-metadata', false],
      ['runtime-dyno-metadata', false],
    ]);
    const on = await heroku<Json>(sandbox(), 'PATCH', '/apps/feat-app/features/preboot', { body: { enabled: true } });
    expect(on.body).toMatchObject({
      name: 'preboot',
      enabled: true,
      doc_url: 'https://devcenter.heroku.com/articles/preboot',
    });
    const byId = await heroku<Json>(sandbox(), 'GET', `/apps/feat-app/features/${on.body['id'] as string}`);
    expect(byId.body['enabled']).toBe(true);
    await heroku(sandbox(), 'PATCH', '/apps/feat-app/features/preboot', { body: { enabled: false } });
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/feat-app/features/preboot')).body['enabled']).toBe(false);
  });

  it('404s unknown features, 422s a missing or non-boolean enabled', async () => {
    await createApp(sandbox(), 'feat-strict');
    expect((await heroku(sandbox(), 'GET', '/apps/feat-strict/features/warp-drive')).status).toBe(404);
    for (const body of [{}, { enabled: 'yes' }]) {
      expect((await heroku(sandbox(), 'PATCH', '/apps/feat-strict/features/preboot', { body })).status).toBe(422);
    }
  });

  it('enables the feature_flags given at app creation and refuses unknown ones', async () => {
    await createApp(sandbox(), 'flagged', { feature_flags: ['runtime-dyno-metadata'] });
    const feature = await heroku<Json>(sandbox(), 'GET', '/apps/flagged/features/runtime-dyno-metadata');
    expect(feature.body['enabled']).toBe(true);
    const bad = await heroku<Json>(sandbox(), 'POST', '/apps', { body: { name: 'flag-bad', feature_flags: ['nope'] } });
    expect(bad).toMatchObject({ status: 422, body: { message: 'Unknown feature flags: nope.' } });
  });
});

describe('log drains', () => {
  const sandbox = useSandbox({ seed: 25 });

  it('adds, lists, finds by id, url or token, and removes drains', async () => {
    await createApp(sandbox(), 'drain-app');
    const url = 'syslog+tls://logs.example.com:6514';
    const created = await heroku<Json>(sandbox(), 'POST', '/apps/drain-app/log-drains', { body: { url } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url, addon: null, app: { name: 'drain-app' } });
    expect(created.body['token']).toMatch(/^d\.[0-9a-f-]{36}$/);
    await heroku(sandbox(), 'POST', '/apps/drain-app/log-drains', { body: { url: 'https://logs.example.com/in' } });
    expect((await heroku<Json[]>(sandbox(), 'GET', '/apps/drain-app/log-drains')).body).toHaveLength(2);
    for (const key of [created.body['id'], created.body['token'], encodeURIComponent(url)] as string[]) {
      expect((await heroku<Json>(sandbox(), 'GET', `/apps/drain-app/log-drains/${key}`)).body['id']).toBe(
        created.body['id'],
      );
    }
    const removed = await heroku<Json>(
      sandbox(),
      'DELETE',
      `/apps/drain-app/log-drains/${created.body['token'] as string}`,
    );
    expect(removed.body['url']).toBe(url);
    expect((await heroku(sandbox(), 'GET', `/apps/drain-app/log-drains/${created.body['id'] as string}`)).status).toBe(
      404,
    );
  });

  it('refuses duplicates and URLs that are not drains', async () => {
    await createApp(sandbox(), 'drain-strict');
    await heroku(sandbox(), 'POST', '/apps/drain-strict/log-drains', {
      body: { url: 'syslog://logs.example.com:514' },
    });
    const dup = await heroku<Json>(sandbox(), 'POST', '/apps/drain-strict/log-drains', {
      body: { url: 'syslog://logs.example.com:514' },
    });
    expect(dup).toMatchObject({ status: 422, body: { message: 'Url has already been taken.' } });
    for (const body of [{}, { url: 'not a url' }, { url: 'ftp://logs.example.com' }]) {
      expect((await heroku(sandbox(), 'POST', '/apps/drain-strict/log-drains', { body })).status).toBe(422);
    }
  });
});
