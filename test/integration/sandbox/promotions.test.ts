import { describe, expect, it } from 'vitest';
import { type Json, ManualClock, NODE_APP, releases, startBuild } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

describe('pipeline promotions', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({
    seed: 71,
    clock: clock.now,
    heroku: { buildMs: 0, promotionMs: 1000, releaseStartMs: 0, releasePhaseMs: 500 },
  });

  /** A pipeline with a built staging app and two production apps; returns ids. */
  async function world(prefix: string, procfile = 'web: npm start\n') {
    const pipeline = (await heroku<Json>(sandbox(), 'POST', '/pipelines', { body: { name: prefix } })).body;
    const apps: Record<string, Json> = {};
    for (const [suffix, stage] of [
      ['staging', 'staging'],
      ['prod', 'production'],
      ['prod-eu', 'production'],
    ] as const) {
      apps[suffix] = await createApp(sandbox(), `${prefix}-${suffix}`);
      await heroku(sandbox(), 'POST', '/pipeline-couplings', {
        body: { app: `${prefix}-${suffix}`, pipeline: pipeline['id'], stage },
      });
    }
    await heroku(sandbox(), 'PATCH', `/apps/${prefix}-prod/config-vars`, { body: { MODE: 'production' } });
    await startBuild(sandbox(), `${prefix}-staging`, { ...NODE_APP, Procfile: procfile }, '0123456789ab');
    const id = (suffix: string) => (apps[suffix] as Json)['id'] as string;
    return { pipeline: pipeline['id'] as string, staging: id('staging'), prod: id('prod'), prodEu: id('prod-eu') };
  }

  function promote(ids: { pipeline: string; staging: string }, targets: string[], release?: string) {
    return heroku<Json>(sandbox(), 'POST', '/pipeline-promotions', {
      body: {
        pipeline: { id: ids.pipeline },
        source: { app: { id: ids.staging }, ...(release === undefined ? {} : { release: { id: release } }) },
        targets: targets.map((id) => ({ app: { id } })),
      },
    });
  }

  async function targets(promotion: unknown): Promise<Json[]> {
    return (await heroku<Json[]>(sandbox(), 'GET', `/pipeline-promotions/${promotion as string}/promotion-targets`))
      .body;
  }

  it('copies the source slug to every target as a new release, keeping their config vars', async () => {
    const ids = await world('promo');
    const source = (await releases(sandbox(), 'promo-staging')).at(-1) as Json;
    const created = await promote(ids, [ids.prod, ids.prodEu]);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      pipeline: { id: ids.pipeline },
      source: { app: { id: ids.staging }, release: { id: source['id'] } },
    });
    expect((await targets(created.body['id'])).map((t) => [t['status'], t['release']])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);
    clock.advance(1000);
    expect(
      (await heroku<Json>(sandbox(), 'GET', `/pipeline-promotions/${created.body['id'] as string}`)).body['status'],
    ).toBe('completed');
    const done = await targets(created.body['id']);
    expect(done.map((t) => [t['status'], t['error_message']])).toEqual([
      ['succeeded', null],
      ['succeeded', null],
    ]);
    const prodRelease = (await releases(sandbox(), 'promo-prod')).at(-1) as Json;
    expect(prodRelease).toMatchObject({
      id: ((done[0] as Json)['release'] as Json)['id'],
      description: 'Promote promo-staging v3 01234567',
      slug: source['slug'],
      current: true,
    });
    expect((await heroku(sandbox(), 'GET', '/apps/promo-prod/config-vars')).body).toEqual({ MODE: 'production' });
    expect(
      (await heroku<Json[]>(sandbox(), 'GET', '/apps/promo-prod-eu/formation')).body.map((f) => f['type']),
    ).toEqual(['web']);
  });

  it('reports a failed target with its error_message and still completes the promotion', async () => {
    const ids = await world('fails');
    await admin(sandbox(), 'POST', '/apps/fails-prod-eu/fail-next', {
      kind: 'promotion',
      message: 'Deploy blocked by a maintenance window.',
    });
    const created = await promote(ids, [ids.prod, ids.prodEu]);
    clock.advance(1000);
    const done = await targets(created.body['id']);
    expect(done.map((t) => [(t['app'] as Json)['id'], t['status'], t['error_message']])).toEqual([
      [ids.prod, 'succeeded', null],
      [ids.prodEu, 'failed', 'Deploy blocked by a maintenance window.'],
    ]);
    expect((await releases(sandbox(), 'fails-prod-eu')).map((r) => r['version'])).toEqual([1, 2]);
  });

  // heroku/cli pipelines/promote.ts: a target stays pending, its release already named, while that
  // release runs its release phase; the phase's outcome is the target's.
  it('keeps a target pending with its release named while the release phase runs; a failed phase fails the target', async () => {
    const ids = await world('phased', 'web: npm start\nrelease: ./migrate.sh\n');
    clock.advance(500);
    await admin(sandbox(), 'POST', '/apps/phased-prod/fail-next', { kind: 'release-phase' });
    const created = await promote(ids, [ids.prod]);
    clock.advance(1000);
    const [target] = await targets(created.body['id']);
    expect(target?.['status']).toBe('pending');
    const releaseId = ((target as Json)['release'] as Json)['id'] as string;
    const release = await heroku<Json>(sandbox(), 'GET', `/apps/phased-prod/releases/${releaseId}`);
    expect(release.body).toMatchObject({ status: 'pending', current: false });
    clock.advance(500);
    const settled = await heroku<Json>(sandbox(), 'GET', `/apps/phased-prod/releases/${releaseId}`);
    expect(settled.body['status']).toBe('failed');
    const [after] = await targets(created.body['id']);
    expect(after).toMatchObject({
      status: 'failed',
      release: { id: releaseId },
      error_message: `Release v${settled.body['version'] as number} failed: its release command did not succeed.`,
    });
    expect(await (await fetch(release.body['output_stream_url'] as string)).text()).toContain('Release command failed');
  });

  it('promotes a given release, and refuses what Heroku refuses', async () => {
    const ids = await world('rules');
    await heroku(sandbox(), 'PATCH', '/apps/rules-staging/config-vars', { body: { A: '1' } });
    const v3 = (await heroku<Json>(sandbox(), 'GET', '/apps/rules-staging/releases/3')).body;
    const given = await promote(ids, [ids.prod], v3['id'] as string);
    expect(given.body['source']).toMatchObject({ release: { id: v3['id'] } });
    await createApp(sandbox(), 'rules-outsider');
    const outsider = (await heroku<Json>(sandbox(), 'GET', '/apps/rules-outsider')).body['id'] as string;
    const v1 = (await heroku<Json>(sandbox(), 'GET', '/apps/rules-staging/releases/1')).body['id'] as string;
    const cases: [Json, number, string][] = [
      [{}, 422, 'pipeline.id is required'],
      [{ pipeline: { id: ids.pipeline }, source: { app: { id: ids.staging } }, targets: [] }, 422, 'targets'],
      [
        { pipeline: { id: ids.pipeline }, source: { app: { id: ids.staging } }, targets: [{ app: { id: outsider } }] },
        422,
        'is not in the pipeline',
      ],
      [
        {
          pipeline: { id: ids.pipeline },
          source: { app: { id: ids.staging } },
          targets: [{ app: { id: ids.staging } }],
        },
        422,
        'cannot be promoted to itself',
      ],
      [
        { pipeline: { id: ids.pipeline }, source: { app: { id: ids.prod } }, targets: [{ app: { id: ids.prodEu } }] },
        422,
        'no succeeded release with a slug',
      ],
      [
        {
          pipeline: { id: ids.pipeline },
          source: { app: { id: ids.staging }, release: { id: v1 } },
          targets: [{ app: { id: ids.prod } }],
        },
        422,
        'no succeeded release with a slug',
      ],
      [
        {
          pipeline: { id: ids.pipeline },
          source: { app: { id: ids.staging } },
          targets: [{ app: { id: ids.prod } }, { app: { id: ids.prod } }],
        },
        422,
        'more than once',
      ],
      [
        {
          pipeline: { id: '01234567-89ab-4def-8123-456789abcdef' },
          source: { app: { id: ids.staging } },
          targets: [{ app: { id: ids.prod } }],
        },
        404,
        'pipeline',
      ],
    ];
    for (const [body, status, message] of cases) {
      const res = await heroku<Json>(sandbox(), 'POST', '/pipeline-promotions', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body['message']).toContain(message);
    }
    expect((await heroku(sandbox(), 'GET', '/pipeline-promotions/01234567-89ab-4def-8123-456789abcdef')).status).toBe(
      404,
    );
  });
});
