import type { SandboxHandle } from '../../src/sandbox/index.js';
import { NODE_APP, settle, startBuild, tarball, upload } from '../helpers/heroku.js';
import { createApp, heroku } from '../helpers/sandbox.js';
import type { Call, Ids } from './heroku-schema.js';

type Obj = { id: string } & Record<string, unknown>;

/** Sources, builds, slugs, release creation, pipelines, couplings, filters and promotions. */
export async function deployWorld(sandbox: SandboxHandle): Promise<Ids> {
  const stage = await createApp(sandbox, 'contract-stage');
  const prod = await createApp(sandbox, 'contract-prod');
  await createApp(sandbox, 'contract-extra');
  await createApp(sandbox, 'contract-review');
  const build = await startBuild(sandbox, 'contract-stage', {
    ...NODE_APP,
    Procfile: 'web: npm start\nrelease: ./migrate\n',
  });
  await settle(sandbox);
  const built = (await heroku<Obj>(sandbox, 'GET', `/apps/contract-stage/builds/${build['id'] as string}`)).body;
  const sourceUrl = await upload(sandbox, tarball(NODE_APP));
  const post = async (path: string, body: unknown) => (await heroku<Obj>(sandbox, 'POST', path, { body })).body;
  const pipeline = await post('/pipelines', { name: 'contract-pipe' });
  const spare = await post('/pipelines', { name: 'contract-spare' });
  for (const [app, stageName] of [
    ['contract-stage', 'staging'],
    ['contract-prod', 'production'],
  ]) {
    await post('/pipeline-couplings', { app, pipeline: pipeline.id, stage: stageName });
  }
  const review = await post('/pipeline-couplings', { app: 'contract-review', pipeline: pipeline.id, stage: 'review' });
  const promotion = await post('/pipeline-promotions', {
    pipeline: { id: pipeline.id },
    source: { app: { id: stage['id'] } },
    targets: [{ app: { id: prod['id'] } }],
  });
  const v2 = (await heroku<Obj>(sandbox, 'GET', '/apps/contract-prod/releases/2')).body;
  return {
    stageId: stage['id'] as string,
    prodId: prod['id'] as string,
    buildId: built.id,
    slugId: (built['slug'] as Obj).id,
    sourceUrl,
    pipelineId: pipeline.id,
    spareId: spare.id,
    reviewId: review.id,
    promotionId: promotion.id,
    rollbackTo: v2.id,
  };
}

export function deployCalls(ids: Ids): Call[] {
  const { stageId, prodId, buildId, slugId, sourceUrl, pipelineId, spareId, reviewId, promotionId, rollbackTo } = ids;
  const promote = {
    pipeline: { id: pipelineId },
    source: { app: { id: stageId } },
    targets: [{ app: { id: prodId } }],
  };
  // biome-ignore format: one call per line reads as a table
  return [
    { method: 'POST', pattern: '/sources', path: '/sources', status: 201 },
    { method: 'POST', pattern: '/apps/:app/sources', path: '/apps/contract-stage/sources', status: 201 },
    { method: 'POST', pattern: '/apps/:app/builds', path: '/apps/contract-stage/builds', body: { source_blob: { url: sourceUrl, version: 'c0ffee00' }, buildpacks: [{ url: 'heroku/nodejs' }] }, status: 201 },
    { method: 'GET', pattern: '/apps/:app/builds', path: '/apps/contract-stage/builds', status: 200 },
    { method: 'GET', pattern: '/apps/:app/builds/:build', path: `/apps/contract-stage/builds/${buildId}`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/slugs/:slug', path: `/apps/contract-stage/slugs/${slugId}`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/dynos', path: '/apps/contract-stage/dynos', status: 200 },
    { method: 'GET', pattern: '/apps/:app/dynos/:dyno', path: '/apps/contract-stage/dynos/web.1', status: 200 },
    { method: 'GET', pattern: '/apps/:app/collaborators', path: '/apps/contract-stage/collaborators', status: 200 },
    { method: 'POST', pattern: '/apps/:app/log-sessions', path: '/apps/contract-stage/log-sessions', body: { lines: 50, tail: false }, status: 201 },
    { method: 'POST', pattern: '/apps/:app/releases', path: '/apps/contract-prod/releases', body: { slug: slugId, description: 'Contract deploy' }, status: 201 },
    { method: 'POST', pattern: '/apps/:app/releases', path: '/apps/contract-prod/releases', body: { release: rollbackTo }, status: 201 },
    { method: 'POST', pattern: '/pipelines', path: '/pipelines', body: { name: 'contract-new-pipe' }, status: 201 },
    { method: 'GET', pattern: '/pipelines', path: '/pipelines?eq[name]=contract-pipe', status: 200 },
    { method: 'GET', pattern: '/pipelines/:pipeline', path: '/pipelines/contract-pipe', status: 200 },
    { method: 'PATCH', pattern: '/pipelines/:pipeline', path: `/pipelines/${spareId}`, body: { name: 'contract-spare-2' }, status: 200 },
    { method: 'DELETE', pattern: '/pipelines/:pipeline', path: `/pipelines/${spareId}`, status: 200 },
    { method: 'POST', pattern: '/pipeline-couplings', path: '/pipeline-couplings', body: { app: 'contract-extra', pipeline: pipelineId, stage: 'development' }, status: 201 },
    { method: 'GET', pattern: '/pipeline-couplings', path: '/pipeline-couplings', status: 200 },
    { method: 'GET', pattern: '/pipelines/:pipeline/pipeline-couplings', path: `/pipelines/${pipelineId}/pipeline-couplings`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/pipeline-couplings', path: '/apps/contract-stage/pipeline-couplings', status: 200 },
    { method: 'GET', pattern: '/pipeline-couplings/:coupling', path: `/pipeline-couplings/${reviewId}`, status: 200 },
    { method: 'PATCH', pattern: '/pipeline-couplings/:coupling', path: `/pipeline-couplings/${reviewId}`, body: { stage: 'test' }, status: 200 },
    { method: 'DELETE', pattern: '/pipeline-couplings/:coupling', path: `/pipeline-couplings/${reviewId}`, status: 200 },
    { method: 'POST', pattern: '/filters/apps', path: '/filters/apps', body: { in: { id: [stageId, prodId] } }, status: 200 },
    { method: 'GET', pattern: '/pipelines/:pipeline/latest-releases', path: `/pipelines/${pipelineId}/latest-releases`, status: 200 },
    { method: 'POST', pattern: '/pipeline-promotions', path: '/pipeline-promotions', body: promote, status: 201 },
    { method: 'GET', pattern: '/pipeline-promotions/:promotion', path: `/pipeline-promotions/${promotionId}`, status: 200 },
    { method: 'GET', pattern: '/pipeline-promotions/:promotion/promotion-targets', path: `/pipeline-promotions/${promotionId}/promotion-targets`, status: 200 },
  ];
}
