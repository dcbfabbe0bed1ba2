import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { apiApp, apiDomain, apiDrain, PIPELINE_ID } from './fixtures.js';
import { context, create, FakeHeroku, provider, remove, replace, resource, update } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const domain = resource('heroku.domain', ['staging', 'www.demo.example'], {
  hostname: 'www.demo.example',
  cname: new Unknown('known after apply', { preserveLive: true }),
});

describe('Heroku: changes plans rarely make', () => {
  it('uncouples and deletes a pipeline by id, reads a missing DNS target again, re-adds a changed drain', async () => {
    const pipeline = resource(
      'heroku.pipeline',
      ['old-pipe'],
      { name: 'old-pipe', id: 'p-old' },
      { scope: 'staging', liveId: 'p-old' },
    );
    const coupling = resource(
      'heroku.coupling',
      ['staging'],
      { pipeline: 'old-pipe', pipeline_id: 'p-old', stage: 'staging' },
      { liveId: 'c9' },
    );
    const pending = resource(
      'heroku.domain',
      ['staging', 'www.demo.example'],
      { hostname: 'www.demo.example' },
      { liveId: 'd1' },
    );
    const oldDrain = resource(
      'heroku.drain',
      ['staging', 'logs.example.net'],
      { url: 'https://logs.example.net/a' },
      { liveId: 'l0', sensitive: ['url'] },
    );
    const newDrain = { ...oldDrain, attributes: { url: 'https://logs.example.net/b' } };
    const fake = new FakeHeroku()
      .reply('GET', '/apps/demo-staging/domains/www.demo.example', 200, apiDomain('www.demo.example'))
      .reply('DELETE', '/apps/demo-staging/log-drains/l0', 200, apiDrain('l0', 'https://logs.example.net/a'))
      .reply('POST', '/apps/demo-staging/log-drains', 201, apiDrain('l1', 'https://logs.example.net/b'))
      .reply('DELETE', '/pipeline-couplings/c9', 200, {
        id: 'c9',
        app: { id: 'a' },
        pipeline: { id: 'p-old' },
        stage: 'staging',
      })
      .reply('DELETE', '/pipelines/p-old', 200, { id: 'p-old', name: 'old-pipe' });
    const result = await provider().apply(
      [update(pending, domain, ['cname']), replace(oldDrain, newDrain, ['url']), remove(coupling), remove(pipeline)],
      context(),
    );
    fake.done();
    expect(result.failed).toEqual([]);
    // Deletes run after everything else, a coupling before its pipeline.
    expect(fake.writes()).toEqual([
      'DELETE /apps/demo-staging/log-drains/l0',
      'POST /apps/demo-staging/log-drains',
      'DELETE /pipeline-couplings/c9',
      'DELETE /pipelines/p-old',
    ]);
    expect(result.outputs.get(domain.address)).toEqual({
      hostname: 'www.demo.example',
      cname: 'www-x1y2.herokudns.com',
    });
  });

  it('couples with the pipeline found by name when its id was not resolved before apply', async () => {
    const unresolved = resource('heroku.coupling', ['staging'], {
      pipeline: 'demo-pipe',
      pipeline_id: new Unknown('known after apply', {
        ref: { address: 'heroku.pipeline[demo-pipe]', attribute: 'id' },
      }),
      stage: 'staging',
    });
    const fake = new FakeHeroku()
      .reply('GET', '/pipelines/demo-pipe', 200, { id: PIPELINE_ID, name: 'demo-pipe' })
      .reply('POST', '/pipeline-couplings', 201, {
        id: 'c1',
        app: { id: 'a' },
        pipeline: { id: PIPELINE_ID },
        stage: 'staging',
      });
    await provider().apply([create(unresolved)], context());
    fake.done();
    expect(fake.requests.at(-1)?.body).toEqual({ app: 'demo-staging', pipeline: PIPELINE_ID, stage: 'staging' });
  });

  it('replaces and deletes an app by name', async () => {
    const app = (region: string) =>
      resource('heroku.app', ['staging'], { name: 'demo-staging', region, stack: 'heroku-24', maintenance: false });
    const fake = new FakeHeroku()
      .reply('DELETE', '/apps/demo-staging', 200, apiApp('demo-staging'))
      .reply('POST', '/apps', 201, apiApp('demo-staging', { region: { id: 'e', name: 'eu' } }))
      .reply('DELETE', '/apps/demo-production', 200, apiApp('demo-production'));
    const gone = resource('heroku.app', ['production'], { name: 'demo-production' });
    const result = await provider().apply([replace(app('us'), app('eu'), ['region']), remove(gone)], context());
    fake.done();
    expect(result.failed).toEqual([]);
    // Environments apply concurrently; within staging, the delete comes before the create.
    expect(fake.writes().filter((w) => w !== 'DELETE /apps/demo-production')).toEqual([
      'DELETE /apps/demo-staging',
      'POST /apps',
    ]);
    expect(fake.writes()).toContain('DELETE /apps/demo-production');
  });
});
