import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { apiApp, apiDomain, apiDrain, PIPELINE_ID } from './fixtures.js';
import { context, create, FakeHeroku, provider, remove, replace, resource, update } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const cname = new Unknown('known after apply', { preserveLive: true });
const domain = resource('heroku.domain', ['staging', 'www.demo.example'], { hostname: 'www.demo.example', cname });
const drainUrl = 'https://user:s3cret@logs.example.net/ingest';
const drain = resource('heroku.drain', ['staging', 'logs.example.net'], { url: drainUrl }, { sensitive: ['url'] });

describe('Heroku buildpacks, features, ACM: apply', () => {
  it('sets the ordered buildpack list with one PUT, and empties it on delete', async () => {
    const wanted = resource('heroku.buildpacks', ['staging'], {
      buildpacks: ['heroku/nodejs', 'https://github.com/x/y.tgz'],
    });
    const live = resource('heroku.buildpacks', ['production'], { buildpacks: ['heroku/ruby'] });
    const fake = new FakeHeroku()
      .reply('PUT', '/apps/demo-staging/buildpack-installations', 200, [])
      .reply('PUT', '/apps/demo-production/buildpack-installations', 200, []);
    const result = await provider().apply([create(wanted), remove(live)], context());
    fake.done();
    expect(result.failed).toEqual([]);
    expect(fake.requests.map((r) => r.body)).toEqual([
      { updates: [{ buildpack: 'heroku/nodejs' }, { buildpack: 'https://github.com/x/y.tgz' }] },
      { updates: [] },
    ]);
  });

  it('switches a feature on with PATCH enabled', async () => {
    const before = resource('heroku.feature', ['staging', 'preboot'], { enabled: false });
    const after = resource('heroku.feature', ['staging', 'preboot'], { enabled: true });
    const fake = new FakeHeroku().reply('PATCH', '/apps/demo-staging/features/preboot', 200, {
      id: 'f',
      name: 'preboot',
      enabled: true,
    });
    await provider().apply([update(before, after, ['enabled'])], context());
    fake.done();
    expect(fake.requests[0]?.body).toEqual({ enabled: true });
  });

  it('enables ACM with POST and disables it with DELETE on /apps/{app}/acm', async () => {
    const app = (acm: boolean, scope = 'staging') =>
      resource('heroku.app', [scope], {
        name: `demo-${scope}`,
        region: 'us',
        stack: 'heroku-24',
        maintenance: false,
        acm,
      });
    const fake = new FakeHeroku()
      .reply('POST', '/apps/demo-staging/acm', 200, apiApp('demo-staging', { acm: true }))
      .reply('DELETE', '/apps/demo-production/acm', 200, apiApp('demo-production', { acm: false }));
    const result = await provider().apply(
      [update(app(false), app(true), ['acm']), update(app(true, 'production'), app(false, 'production'), ['acm'])],
      context(),
    );
    fake.done();
    expect(result.outputs.get('heroku.app[staging]')).toMatchObject({ acm: true });
  });

  it('creates an app, then switches on maintenance and ACM', async () => {
    const app = resource('heroku.app', ['staging'], {
      name: 'demo-staging',
      region: 'us',
      stack: 'heroku-24',
      maintenance: true,
      acm: true,
    });
    const fake = new FakeHeroku()
      .reply('POST', '/apps', 201, apiApp('demo-staging', { acm: false }))
      .reply('PATCH', '/apps/demo-staging', 200, apiApp('demo-staging', { acm: false, maintenance: true }))
      .reply('POST', '/apps/demo-staging/acm', 200, apiApp('demo-staging', { acm: true, maintenance: true }));
    await provider().apply([create(app)], context());
    fake.done();
    expect(fake.writes()).toEqual(['POST /apps', 'PATCH /apps/demo-staging', 'POST /apps/demo-staging/acm']);
  });
});

describe('Heroku domains and drains: apply', () => {
  it('adds a domain without an SNI endpoint and outputs its DNS target', async () => {
    const fake = new FakeHeroku().reply(
      'POST',
      '/apps/demo-staging/domains',
      201,
      apiDomain('www.demo.example', { status: 'pending', acm_status: null }),
    );
    const result = await provider().apply([create(domain)], context());
    fake.done();
    expect(fake.requests[0]?.body).toEqual({ hostname: 'www.demo.example', sni_endpoint: null });
    expect(result.outputs.get(domain.address)).toEqual({
      hostname: 'www.demo.example',
      cname: 'www-x1y2.herokudns.com',
    });
  });

  it('adopts a domain that an interrupted create added, and deletes by hostname', async () => {
    const old = resource(
      'heroku.domain',
      ['staging', 'old.demo.example'],
      { hostname: 'old.demo.example', cname: 'o.herokudns.com' },
      { liveId: 'd1' },
    );
    const fake = new FakeHeroku()
      .reply('POST', '/apps/demo-staging/domains', 500, {
        id: 'internal_server_error',
        message: 'Internal server error.',
      })
      .reply('GET', '/apps/demo-staging/domains/www.demo.example', 200, apiDomain('www.demo.example'))
      .reply('DELETE', '/apps/demo-staging/domains/old.demo.example', 200, apiDomain('old.demo.example'));
    const result = await provider().apply([create(domain), remove(old)], context());
    fake.done();
    expect(result.failed).toEqual([]);
    expect(fake.writes()).toEqual([
      'POST /apps/demo-staging/domains',
      'DELETE /apps/demo-staging/domains/old.demo.example',
    ]);
  });

  it('adds a drain by URL, never outputs the URL, and adopts one an earlier attempt added', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/apps/demo-staging/log-drains', 422, {
        id: 'invalid_params',
        message: 'Url has already been taken',
      })
      .reply('GET', '/apps/demo-staging/log-drains', 200, [apiDrain('l1', drainUrl)]);
    const result = await provider().apply([create(drain)], context());
    fake.done();
    expect(fake.requests[0]?.body).toEqual({ url: drainUrl });
    expect(result.outputs.get(drain.address)).toEqual({ id: 'l1', token: 'd.l1' });
    expect(JSON.stringify([...result.outputs.values()])).not.toContain('s3cret');
  });

  it('removes a drain by id', async () => {
    const live = resource(
      'heroku.drain',
      ['staging', 'logs.example.net~d.l1'],
      { url: drainUrl },
      { liveId: 'l1', sensitive: ['url'] },
    );
    const fake = new FakeHeroku().reply('DELETE', '/apps/demo-staging/log-drains/l1', 200, apiDrain('l1', drainUrl));
    expect((await provider().apply([remove(live)], context())).applied).toEqual([live.address]);
    fake.done();
  });
});

describe('Heroku pipeline and coupling: apply', () => {
  const pipeline = resource(
    'heroku.pipeline',
    ['demo-pipe'],
    { name: 'demo-pipe', id: new Unknown('known after apply', { preserveLive: true }) },
    { scope: 'staging' },
  );
  const coupling = (stage: string, pipelineId: string) =>
    resource('heroku.coupling', ['staging'], { pipeline: 'demo-pipe', pipeline_id: pipelineId, stage });
  const couplingJson = (stage: string) => ({ id: 'c1', app: { id: 'a' }, pipeline: { id: PIPELINE_ID }, stage });

  it('creates the pipeline by name and outputs its id', async () => {
    const fake = new FakeHeroku().reply('POST', '/pipelines', 201, { id: PIPELINE_ID, name: 'demo-pipe' });
    const result = await provider().apply([create(pipeline)], context());
    fake.done();
    expect(fake.requests[0]?.body).toEqual({ name: 'demo-pipe' });
    expect(result.outputs.get('heroku.pipeline[demo-pipe]')).toEqual({ id: PIPELINE_ID, name: 'demo-pipe' });
  });

  it('couples the app with the pipeline id, and moves the stage with PATCH', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/pipeline-couplings', 201, couplingJson('staging'))
      .reply('PATCH', '/pipeline-couplings/c1', 200, couplingJson('production'));
    await provider().apply([create(coupling('staging', PIPELINE_ID))], context());
    const live = { ...coupling('staging', PIPELINE_ID), liveId: 'c1' };
    await provider().apply([update(live, coupling('production', PIPELINE_ID), ['stage'])], context());
    fake.done();
    expect(fake.requests.map((r) => r.body)).toEqual([
      { app: 'demo-staging', pipeline: PIPELINE_ID, stage: 'staging' },
      { stage: 'production' },
    ]);
  });

  it('moves an app to another pipeline by uncoupling and coupling again', async () => {
    const other = { ...coupling('staging', 'old-pipeline-id'), liveId: 'c0' };
    const fake = new FakeHeroku()
      .reply('DELETE', '/pipeline-couplings/c0', 200, couplingJson('staging'))
      .reply('POST', '/pipeline-couplings', 201, couplingJson('staging'));
    await provider().apply([replace(other, coupling('staging', PIPELINE_ID), ['pipeline_id'])], context());
    fake.done();
    expect(fake.writes()).toEqual(['DELETE /pipeline-couplings/c0', 'POST /pipeline-couplings']);
  });

  it('adopts the coupling an interrupted create made, without coupling twice', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/pipeline-couplings', 503, { id: 'service_unavailable', message: 'Try again.' })
      .reply('GET', '/apps/demo-staging/pipeline-couplings', 200, couplingJson('staging'));
    const result = await provider().apply([create(coupling('staging', PIPELINE_ID))], context());
    fake.done();
    expect(result.applied).toEqual(['heroku.coupling[staging]']);
    expect(fake.writes()).toEqual(['POST /pipeline-couplings']);
  });
});
