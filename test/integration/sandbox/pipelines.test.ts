import { describe, expect, it } from 'vitest';
import type { Json } from '../../helpers/heroku.js';
import { createApp, declareProcessTypes, heroku, useSandbox } from '../../helpers/sandbox.js';

const PIPELINES_ACCEPT = { Accept: 'application/vnd.heroku+json; version=3.pipelines' };
const SDK_ACCEPT = { Accept: 'application/vnd.heroku+json; version=3.sdk' };

describe('pipelines and couplings', () => {
  const sandbox = useSandbox({ seed: 41 });

  async function pipeline(name: string): Promise<Json> {
    const res = await heroku<Json>(sandbox(), 'POST', '/pipelines', {
      body: { name, generation: { name: 'cedar' } },
      headers: PIPELINES_ACCEPT,
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body;
  }

  it('creates pipelines owned by the account, finds them by id, name or eq[name], renames and deletes', async () => {
    const account = (await heroku<Json>(sandbox(), 'GET', '/account')).body;
    const demo = await pipeline('demo');
    expect(demo).toMatchObject({
      name: 'demo',
      owner: { id: account['id'], type: 'user' },
      generation: { name: 'cedar' },
    });
    await pipeline('other');
    // What `heroku pipelines:info demo` sends.
    const filtered = await heroku<Json[]>(sandbox(), 'GET', '/pipelines?eq[name]=demo', { headers: PIPELINES_ACCEPT });
    expect(filtered.body.map((p) => p['id'])).toEqual([demo['id']]);
    expect((await heroku<Json[]>(sandbox(), 'GET', '/pipelines?eq%5Bname%5D=nope')).body).toEqual([]);
    expect((await heroku<Json[]>(sandbox(), 'GET', '/pipelines')).body).toHaveLength(2);
    expect((await heroku<Json>(sandbox(), 'GET', '/pipelines/demo')).body['id']).toBe(demo['id']);
    expect((await heroku<Json>(sandbox(), 'GET', `/pipelines/${demo['id'] as string}`)).body['name']).toBe('demo');
    // PATCH and DELETE take the id only.
    expect((await heroku(sandbox(), 'PATCH', '/pipelines/demo', { body: { name: 'renamed' } })).status).toBe(404);
    const renamed = await heroku<Json>(sandbox(), 'PATCH', `/pipelines/${demo['id'] as string}`, {
      body: { name: 'renamed' },
    });
    expect(renamed.body['name']).toBe('renamed');
    expect((await heroku<Json>(sandbox(), 'DELETE', `/pipelines/${demo['id'] as string}`)).body['name']).toBe(
      'renamed',
    );
    expect((await heroku(sandbox(), 'GET', '/pipelines/renamed')).status).toBe(404);
  });

  it('refuses bad names, taken names, unknown owners and other generations', async () => {
    await pipeline('taken');
    for (const body of [
      {},
      { name: 'X' },
      { name: 'has_underscore' },
      { name: 'taken' },
      { name: 'fir-one', generation: { name: 'fir' } },
      { name: 'someone-else', owner: { id: '01234567-89ab-4def-8123-456789abcdef', type: 'user' } },
    ]) {
      expect((await heroku(sandbox(), 'POST', '/pipelines', { body })).status, JSON.stringify(body)).toBe(422);
    }
    const team = await heroku(sandbox(), 'POST', '/pipelines', {
      body: { name: 'team-owned', owner: { id: '01234567-89ab-4def-8123-456789abcdef', type: 'team' } },
    });
    expect(team.status).toBe(404);
  });

  it('couples apps by name or id at a stage, one pipeline per app', async () => {
    const demo = await pipeline('shop');
    const staging = await createApp(sandbox(), 'shop-staging');
    await createApp(sandbox(), 'shop-prod');
    // `heroku pipelines:add shop -a shop-prod --stage production` sends the app by name.
    const byName = await heroku<Json>(sandbox(), 'POST', '/pipeline-couplings', {
      body: { app: 'shop-prod', pipeline: demo['id'], stage: 'production' },
    });
    expect(byName.status).toBe(201);
    expect(byName.body).toMatchObject({ stage: 'production', pipeline: { id: demo['id'] } });
    const byId = await heroku<Json>(sandbox(), 'POST', '/pipeline-couplings', {
      body: { app: staging['id'], pipeline: demo['id'], stage: 'staging' },
    });
    expect(byId.body['app']).toEqual({ id: staging['id'], name: 'shop-staging' });
    const again = await heroku<Json>(sandbox(), 'POST', '/pipeline-couplings', {
      body: { app: 'shop-prod', pipeline: demo['id'], stage: 'staging' },
    });
    expect(again).toMatchObject({ status: 422, body: { message: 'shop-prod is already in the pipeline shop.' } });
    for (const body of [
      { app: 'shop-prod', pipeline: demo['id'] },
      { app: 'shop-prod', pipeline: demo['id'], stage: 'qa' },
    ]) {
      expect((await heroku(sandbox(), 'POST', '/pipeline-couplings', { body })).status).toBe(422);
    }
    expect(
      (
        await heroku(sandbox(), 'POST', '/pipeline-couplings', {
          body: { app: 'ghost', pipeline: demo['id'], stage: 'test' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await heroku(sandbox(), 'POST', '/pipeline-couplings', {
          body: { app: 'shop-prod', pipeline: 'shop', stage: 'test' },
        })
      ).status,
    ).toBe(404);

    const listed = await heroku<Json[]>(sandbox(), 'GET', `/pipelines/${demo['id'] as string}/pipeline-couplings`, {
      headers: SDK_ACCEPT,
    });
    expect(listed.body.map((c) => c['stage']).sort()).toEqual(['production', 'staging']);
    expect((await heroku<Json[]>(sandbox(), 'GET', '/pipeline-couplings')).body).toHaveLength(2);
    const single = await heroku<Json>(sandbox(), 'GET', '/apps/shop-staging/pipeline-couplings');
    expect(single.body['id']).toBe(byId.body['id']);
    expect(
      (await heroku<Json>(sandbox(), 'GET', `/pipeline-couplings/${byId.body['id'] as string}`)).body['stage'],
    ).toBe('staging');
  });

  it('changes a stage, uncouples, and answers 404 for an app in no pipeline', async () => {
    const p = await pipeline('flow');
    await createApp(sandbox(), 'flow-app');
    const coupling = await heroku<Json>(sandbox(), 'POST', '/pipeline-couplings', {
      body: { app: 'flow-app', pipeline: p['id'], stage: 'development' },
    });
    const id = coupling.body['id'] as string;
    const patched = await heroku<Json>(sandbox(), 'PATCH', `/pipeline-couplings/${id}`, { body: { stage: 'staging' } });
    expect(patched.body['stage']).toBe('staging');
    expect((await heroku(sandbox(), 'PATCH', `/pipeline-couplings/${id}`, { body: { stage: 'later' } })).status).toBe(
      422,
    );
    expect((await heroku<Json>(sandbox(), 'DELETE', `/pipeline-couplings/${id}`)).body['id']).toBe(id);
    expect(await heroku(sandbox(), 'GET', '/apps/flow-app/pipeline-couplings')).toMatchObject({
      status: 404,
      body: { id: 'not_found', message: "Couldn't find that pipeline coupling." },
    });
    // Deleting a coupled app or its pipeline removes the coupling.
    await heroku(sandbox(), 'POST', '/pipeline-couplings', {
      body: { app: 'flow-app', pipeline: p['id'], stage: 'staging' },
    });
    await heroku(sandbox(), 'DELETE', '/apps/flow-app');
    expect((await heroku<Json[]>(sandbox(), 'GET', `/pipelines/${p['id'] as string}/pipeline-couplings`)).body).toEqual(
      [],
    );
  });

  it('POST /filters/apps answers the team-app view of the listed ids (the CLI 3.filters call)', async () => {
    const a = await createApp(sandbox(), 'filter-a');
    const b = await createApp(sandbox(), 'filter-b');
    await createApp(sandbox(), 'filter-c');
    const res = await heroku<Json[]>(sandbox(), 'POST', '/filters/apps', {
      body: { in: { id: [a['id'], b['id'], '01234567-89ab-4def-8123-456789abcdef'] } },
      headers: { Accept: 'application/vnd.heroku+json; version=3.filters', Range: 'id ..; max=1000;' },
    });
    expect(res.status).toBe(200);
    expect(res.body.map((x) => x['name']).sort()).toEqual(['filter-a', 'filter-b']);
    expect(res.body[0]).toMatchObject({ joined: false, locked: false });
    expect((await heroku(sandbox(), 'POST', '/filters/apps', { body: { in: {} } })).status).toBe(422);
  });

  it('lists the current release of every coupled app', async () => {
    const p = await pipeline('rel-pipe');
    await createApp(sandbox(), 'rel-staging');
    await createApp(sandbox(), 'rel-prod');
    await declareProcessTypes(sandbox(), 'rel-staging', { web: 'npm start' });
    for (const [app, stage] of [
      ['rel-staging', 'staging'],
      ['rel-prod', 'production'],
    ]) {
      await heroku(sandbox(), 'POST', '/pipeline-couplings', { body: { app, pipeline: p['id'], stage } });
    }
    const latest = await heroku<Json[]>(sandbox(), 'GET', `/pipelines/${p['id'] as string}/latest-releases`);
    expect(latest.body.map((r) => [(r['app'] as Json)['name'], r['version'], r['current']]).sort()).toEqual([
      ['rel-prod', 2, true],
      ['rel-staging', 3, true],
    ]);
    expect((await heroku(sandbox(), 'GET', '/pipelines/rel-pipe/latest-releases')).status).toBe(404);
  });
});
