import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { apiAddon } from './fixtures.js';
import { context, create, FakeHeroku, instantPoll, provider, remove, replace, resource, update } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const database = resource(
  'heroku.addon',
  ['staging', 'database'],
  { service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0', as: 'DATABASE', options: { version: '16' } },
  { protect: true },
);
const liveDatabase = resource(
  'heroku.addon',
  ['staging', 'database'],
  { service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' },
  { liveId: 'a1', protect: true },
);
const cache = resource('heroku.addon', ['staging', 'cache'], { service: 'heroku-redis', plan: 'heroku-redis:mini' });

describe('Heroku add-ons: apply', () => {
  it('creates with the attachment name and options, then waits for provisioned with progress and backoff', async () => {
    const fake = new FakeHeroku()
      .reply(
        'POST',
        '/apps/demo-staging/addons',
        201,
        apiAddon('a1', 'postgresql-new-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
      )
      .reply(
        'GET',
        '/apps/demo-staging/addons/a1',
        200,
        apiAddon('a1', 'postgresql-new-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
        4,
      )
      .reply(
        'GET',
        '/apps/demo-staging/addons/a1',
        200,
        apiAddon('a1', 'postgresql-new-1', 'heroku-postgresql:essential-0', ['DATABASE_URL']),
      );
    const sleeps: number[] = [];
    const progress: string[] = [];
    const result = await provider(instantPoll(sleeps)).apply([create(database)], context(progress));
    fake.done();
    expect(result.failed).toEqual([]);
    expect(fake.requests[0]?.body).toEqual({
      plan: 'heroku-postgresql:essential-0',
      attachment: { name: 'DATABASE' },
      config: { version: '16' },
    });
    expect(sleeps).toEqual([250, 500, 1000, 2000, 2000]);
    expect(progress).toEqual([
      'heroku.addon[staging/database]: applying',
      'heroku.addon[staging/database]: provisioning heroku-postgresql:essential-0 as postgresql-new-1…',
      'heroku.addon[staging/database]: still provisioning postgresql-new-1 (2 s)',
      'heroku.addon[staging/database]: still provisioning postgresql-new-1 (4 s)',
      'heroku.addon[staging/database]: postgresql-new-1 is provisioned',
    ]);
    expect(result.outputs.get('heroku.addon[staging/database]')).toEqual({
      id: 'a1',
      name: 'postgresql-new-1',
      service: 'heroku-postgresql',
      plan: 'heroku-postgresql:essential-0',
    });
  });

  it('never resends a create after an ambiguous failure: it adopts the add-on the first attempt made', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/apps/demo-staging/addons', 503, { id: 'service_unavailable', message: 'Try again shortly.' })
      .reply('GET', '/apps/demo-staging/addons', 200, [
        apiAddon('a7', 'redis-made-7', 'heroku-redis:mini', ['REDIS_URL']),
      ]);
    const result = await provider().apply([create(cache)], context());
    fake.done();
    expect(result.applied).toEqual(['heroku.addon[staging/cache]']);
    expect(fake.writes()).toEqual(['POST /apps/demo-staging/addons']);
    expect(result.outputs.get('heroku.addon[staging/cache]')).toMatchObject({ id: 'a7' });
  });

  it('keeps the API error when a failed create left nothing behind, and stops that environment', async () => {
    const formation = resource('heroku.formation', ['staging', 'web'], { quantity: 1, size: 'basic' });
    const fake = new FakeHeroku()
      .reply('POST', '/apps/demo-staging/addons', 422, {
        id: 'invalid_params',
        message: 'Attachment name DATABASE is taken.',
      })
      .reply('GET', '/apps/demo-staging/addons', 200, []);
    const result = await provider().apply([create(database), create(formation)], context());
    fake.done();
    expect(result.failed).toEqual([
      {
        address: 'heroku.addon[staging/database]',
        error: expect.objectContaining({
          message: expect.stringContaining('Attachment name DATABASE is taken.'),
          address: 'heroku.addon[staging/database]',
        }),
      },
    ]);
    expect(result.notAttempted).toEqual(['heroku.formation[staging/web]']);
  });

  it('changes the plan in place with one PATCH, never a delete', async () => {
    const upgraded = { ...database, attributes: { ...database.attributes, plan: 'heroku-postgresql:standard-0' } };
    const fake = new FakeHeroku().reply(
      'PATCH',
      '/apps/demo-staging/addons/a1',
      200,
      apiAddon('a1', 'postgresql-new-1', 'heroku-postgresql:standard-0', ['DATABASE_URL']),
    );
    const result = await provider().apply([update(liveDatabase, upgraded, ['plan'])], context());
    fake.done();
    expect(result.applied).toEqual(['heroku.addon[staging/database]']);
    expect(fake.requests.map((r) => [r.method, r.body])).toEqual([['PATCH', { plan: 'heroku-postgresql:standard-0' }]]);
  });

  it('renames in place, sending the plan the schema requires', async () => {
    const named = { ...cache, attributes: { ...cache.attributes, name: 'cache-two' } };
    const live = resource(
      'heroku.addon',
      ['staging', 'cache'],
      { ...cache.attributes, name: 'cache-one' },
      { liveId: 'a2' },
    );
    const fake = new FakeHeroku().reply(
      'PATCH',
      '/apps/demo-staging/addons/a2',
      200,
      apiAddon('a2', 'cache-two', 'heroku-redis:mini', ['REDIS_URL']),
    );
    await provider().apply([update(live, named, ['name'])], context());
    fake.done();
    expect(fake.requests[0]?.body).toEqual({ plan: 'heroku-redis:mini', name: 'cache-two' });
  });

  it('replaces (delete, then create) when the service changes, and deletes by id', async () => {
    const live = resource(
      'heroku.addon',
      ['staging', 'cache'],
      { service: 'rediscloud', plan: 'rediscloud:30' },
      { liveId: 'a2' },
    );
    const gone = resource(
      'heroku.addon',
      ['staging', 'old'],
      { service: 'papertrail', plan: 'papertrail:choklad' },
      { liveId: 'a3' },
    );
    const fake = new FakeHeroku()
      .reply('DELETE', '/apps/demo-staging/addons/a2', 200, {})
      .reply(
        'POST',
        '/apps/demo-staging/addons',
        201,
        apiAddon('a4', 'redis-new-4', 'heroku-redis:mini', ['REDIS_URL']),
      )
      .reply('DELETE', '/apps/demo-staging/addons/a3', 200, {});
    const result = await provider().apply([replace(live, cache, ['service']), remove(gone)], context());
    fake.done();
    expect(result.failed).toEqual([]);
    expect(fake.writes()).toEqual([
      'DELETE /apps/demo-staging/addons/a2',
      'POST /apps/demo-staging/addons',
      'DELETE /apps/demo-staging/addons/a3',
    ]);
  });

  it('reports a provisioning that failed', async () => {
    const fake = new FakeHeroku()
      .reply(
        'POST',
        '/apps/demo-staging/addons',
        201,
        apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
      )
      .reply(
        'GET',
        '/apps/demo-staging/addons/a1',
        200,
        apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'deprovisioned'),
      );
    const result = await provider().apply([create(database)], context());
    fake.done();
    expect(result.failed[0]?.error.message).toBe('Provisioning the add-on pg-1 (heroku-postgresql:essential-0) failed');
  });

  it('gives up waiting after the bound, saying a re-run waits again', async () => {
    const fake = new FakeHeroku()
      .reply(
        'POST',
        '/apps/demo-staging/addons',
        201,
        apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
      )
      .reply(
        'GET',
        '/apps/demo-staging/addons/a1',
        200,
        apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
        8,
      );
    const sleeps: number[] = [];
    const result = await provider(instantPoll(sleeps)).apply([create(database)], context());
    fake.done();
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(result.failed[0]?.error.message).toBe('pg-1 is still provisioning after 10 s');
    expect(result.failed[0]?.error.hint).toContain('run apply again later');
  });
});
