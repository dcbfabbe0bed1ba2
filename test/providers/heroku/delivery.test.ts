import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { HerokuDelivery } from '../../../src/providers/heroku/delivery.js';
import { ConflictError, DaffError, ProviderError } from '../../../src/runtime/errors.js';
import { herokuSchema, validator } from '../../contract/heroku-schema.js';
import type { Schema } from '../../helpers/json-schema.js';
import { BASE, FakeHeroku } from './support.js';

// Delivery's requests, with every write body checked against Heroku's official schema
// (FakeHeroku), and its reconciliation after a write that got no clear answer.
const S3 = 'https://uploads.example';
const STREAMS = 'https://build-output.example';

function delivery(): HerokuDelivery {
  return new HerokuDelivery(new HerokuClient({ baseUrl: BASE, token: 't0k3n', userAgent: 'test', sleep: async () => {} }));
}

const build = (status: string, url = `${S3}/get/abc`) => ({
  id: '01234567-89ab-4cde-8f01-23456789abcd',
  status,
  output_stream_url: `${STREAMS}/streams/xyz`,
  release: status === 'succeeded' ? { id: 'rel-1' } : null,
  slug: status === 'succeeded' ? { id: 'slug-1' } : null,
  source_blob: { url },
});

afterEach(() => {
  nock.cleanAll();
});

describe('HerokuDelivery', () => {
  it('uploads through POST /sources and a credential-free PUT to the signed URL', async () => {
    const fake = new FakeHeroku().reply('POST', '/sources', 201, { source_blob: { get_url: `${S3}/get/abc`, put_url: `${S3}/put/abc` } });
    const put = nock(S3, { badheaders: ['authorization'] })
      .put('/put/abc', (body) => body === 'tarball-bytes')
      .reply(200);
    expect(await delivery().uploadSource(new TextEncoder().encode('tarball-bytes'))).toBe(`${S3}/get/abc`);
    put.done();
    fake.done();
  });

  it('reports a refused upload with what to do', async () => {
    new FakeHeroku().reply('POST', '/sources', 201, { source_blob: { get_url: `${S3}/g`, put_url: `${S3}/p` } });
    nock(S3).put('/p').reply(403, '<Error><Code>AccessDenied</Code></Error>');
    const error = await delivery().uploadSource(new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaffError);
    expect((error as DaffError).message).toContain('HTTP 403');
    expect((error as DaffError).hint).toContain('fresh one');
  });

  it('starts a build with the commit as version and a SHA256 checksum', async () => {
    const fake = new FakeHeroku().reply('POST', '/apps/shop/builds', 201, build('pending'));
    const started = await delivery().startBuild('shop', { url: `${S3}/get/abc`, version: 'a'.repeat(40), checksum: `SHA256:${'b'.repeat(64)}` });
    expect(started).toEqual({
      id: '01234567-89ab-4cde-8f01-23456789abcd',
      status: 'pending',
      outputStreamUrl: `${STREAMS}/streams/xyz`,
      releaseId: null,
      slugId: null,
    });
    expect(fake.requests[0]?.body).toEqual({ source_blob: { url: `${S3}/get/abc`, version: 'a'.repeat(40), checksum: `SHA256:${'b'.repeat(64)}` } });
    fake.done();
  });

  it('never resends a build POST: after a 503 it finds the build among the latest, or gives up', async () => {
    const source = { url: `${S3}/get/abc`, version: 'v', checksum: `SHA256:${'c'.repeat(64)}` };
    const found = new FakeHeroku()
      .reply('POST', '/apps/shop/builds', 503, { id: 'unavailable', message: 'try later' })
      .reply('GET', '/apps/shop/builds', 200, [build('pending', `${S3}/get/other`), build('pending')]);
    expect((await delivery().startBuild('shop', source)).id).toBe('01234567-89ab-4cde-8f01-23456789abcd');
    expect(found.writes()).toEqual(['POST /apps/shop/builds']);
    found.done();
    nock.cleanAll();
    new FakeHeroku().reply('POST', '/apps/shop/builds', 500, { id: 'internal', message: 'boom' }).reply('GET', '/apps/shop/builds', 200, []);
    await expect(delivery().startBuild('shop', source)).rejects.toBeInstanceOf(ProviderError);
    nock.cleanAll();
    const conflict = new FakeHeroku().reply('POST', '/apps/shop/builds', 422, { id: 'invalid_params', message: 'bad' });
    await expect(delivery().startBuild('shop', source)).rejects.toBeInstanceOf(ProviderError);
    expect(conflict.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('reads the newest releases with one ranged request, newest first', async () => {
    const scope = nock(BASE)
      .get('/apps/shop/releases')
      .matchHeader('range', 'version ..; max=3, order=desc')
      .reply(206, [3, 2, 1].map((v) => ({ id: `r${v}`, version: v, status: 'succeeded', current: v === 3, slug: null, description: `v${v}`, output_stream_url: null })), {
        'Next-Range': ']1..; max=3, order=desc',
      });
    const releases = await delivery().releases('shop', 3);
    expect(releases.map((r) => [r.version, r.current])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    scope.done();
  });

  it('promotes a release by ids and reads the targets', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/pipeline-promotions', 201, { id: 'promo-1', status: 'pending' })
      .reply('GET', '/pipeline-promotions/promo-1/promotion-targets', 200, [
        { id: 't1', app: { id: 'app-prod' }, status: 'failed', error_message: 'boom', release: null, pipeline_promotion: { id: 'promo-1' } },
      ]);
    const d = delivery();
    expect(await d.promote({ pipelineId: '11111111-1111-4111-8111-111111111111', sourceAppId: '22222222-2222-4222-8222-222222222222', sourceReleaseId: '33333333-3333-4333-8333-333333333333', targetAppIds: ['44444444-4444-4444-8444-444444444444'] })).toEqual({ id: 'promo-1' });
    expect(fake.requests[0]?.body).toEqual({
      pipeline: { id: '11111111-1111-4111-8111-111111111111' },
      source: { app: { id: '22222222-2222-4222-8222-222222222222' }, release: { id: '33333333-3333-4333-8333-333333333333' } },
      targets: [{ app: { id: '44444444-4444-4444-8444-444444444444' } }],
    });
    expect(await d.promotionTargets('promo-1')).toEqual([{ appId: 'app-prod', status: 'failed', errorMessage: 'boom', releaseId: null }]);
    fake.done();
  });

  it('rolls back with {release} (valid against the schema Rollback link), and a 422 stays an error', async () => {
    let sent: unknown;
    nock(BASE)
      .post('/apps/shop/releases', (body) => {
        sent = body;
        return true;
      })
      .reply(201, { id: 'r9', version: 9, status: 'succeeded', current: true, slug: { id: 's5' }, description: 'Rollback to v5', output_stream_url: null });
    expect(await delivery().rollback('shop', '55555555-5555-4555-8555-555555555555')).toMatchObject({ version: 9, slugId: 's5', current: true });
    expect(sent).toEqual({ release: '55555555-5555-4555-8555-555555555555' });
    const links = (herokuSchema['definitions'] as Record<string, { links: { title: string; schema: Schema }[] }>)['release']?.links ?? [];
    const rollback = links.find((l) => l.title === 'Rollback');
    expect(rollback).toBeDefined();
    expect(validator.validate(sent, rollback?.schema as Schema)).toEqual([]);
    nock(BASE).post('/apps/shop/releases').reply(422, { id: 'not_eligible', message: 'not eligible' });
    await expect(delivery().rollback('shop', '55555555-5555-4555-8555-555555555555')).rejects.toBeInstanceOf(ConflictError);
  });

  it('reads config var names only, the formation, slugs and the newest log lines', async () => {
    const fake = new FakeHeroku()
      .reply('GET', '/apps/shop/config-vars', 200, { ZED: 'secret-value', ALPHA: 'x' })
      .reply('GET', '/apps/shop/formation', 200, [{ type: 'web', quantity: 2, size: 'Standard-1X' }])
      .reply('GET', '/apps/shop/slugs/s1', 200, { id: 's1', commit: 'abc', process_types: { web: 'npm start' } })
      .reply('POST', '/apps/shop/log-sessions', 201, { id: 'ls', logplex_url: `${STREAMS}/sessions/ls` });
    nock(STREAMS).get('/sessions/ls').reply(200, '2026-03-01T12:00:00+00:00 app[web.1]: one\n2026-03-01T12:00:01+00:00 app[web.1]: two\n');
    const d = delivery();
    expect(await d.configKeys('shop')).toEqual(['ALPHA', 'ZED']);
    expect(await d.formation('shop')).toEqual([{ type: 'web', quantity: 2, size: 'standard-1x' }]);
    expect(await d.slug('shop', 's1')).toEqual({ id: 's1', commit: 'abc', processTypes: { web: 'npm start' } });
    expect(await d.recentLogs('shop', 40)).toEqual(['2026-03-01T12:00:00+00:00 app[web.1]: one', '2026-03-01T12:00:01+00:00 app[web.1]: two']);
    expect(fake.requests.at(-1)?.body).toEqual({ lines: 40, tail: false });
    fake.done();
  });

  it('follows an output stream line by line, the last line without a newline too', async () => {
    nock(STREAMS).get('/streams/xyz').reply(200, '-----> Building\r\n       step\nlast');
    const lines: string[] = [];
    await delivery().followOutput(`${STREAMS}/streams/xyz`, (l) => lines.push(l));
    expect(lines).toEqual(['-----> Building', '       step', 'last']);
    nock(STREAMS).get('/streams/gone').reply(404);
    await expect(delivery().followOutput(`${STREAMS}/streams/gone`, () => {})).rejects.toThrow('answered HTTP 404');
  });
});
