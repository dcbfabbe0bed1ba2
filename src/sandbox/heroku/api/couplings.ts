import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import { type CouplingRecord, STAGES, type Stage } from '../model/deploy.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord, HerokuState } from '../model/state.js';
import { type Body, objectBody, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { teamAppJson } from './apps.js';
import { findPipeline } from './pipelines.js';

/**
 * Pipeline couplings: an app's membership of a pipeline at a stage. An app is in at most one
 * pipeline (coupling it again is a 422). The app may be given by id or name, the pipeline by id,
 * as the official CLI does. `GET /apps/{app}/pipeline-couplings` answers a single coupling or 404.
 * Also `POST /filters/apps` (`{in: {id: [...]}}`), which the CLI uses to name a pipeline's apps.
 */
/**
 * A coupling. The schema lists only the ids of its app and pipeline, but Heroku names them too:
 * the official CLI's `apps:info` prints `pipeline.name` from a plain version-3 response.
 */
export function couplingJson(c: CouplingRecord, state?: HerokuState): Record<string, unknown> {
  const appName = state?.apps.find((a) => a.id === c.appId)?.name;
  const pipelineName = state?.pipelines.find((p) => p.id === c.pipelineId)?.name;
  return {
    app: { id: c.appId, ...(appName === undefined ? {} : { name: appName }) },
    created_at: c.createdAt,
    id: c.id,
    pipeline: { id: c.pipelineId, ...(pipelineName === undefined ? {} : { name: pipelineName }) },
    stage: c.stage,
    updated_at: c.updatedAt,
  };
}

const COUPLING_RANGES: readonly RangeKey<CouplingRecord>[] = [
  { name: 'id', value: (c) => c.id },
  { name: 'stage', value: (c) => c.stage },
];

const APP_RANGES: readonly RangeKey<AppRecord>[] = [
  { name: 'id', value: (a) => a.id },
  { name: 'name', value: (a) => a.name },
  { name: 'updated_at', value: (a) => a.updatedAt },
];

export function registerCouplings(router: HerokuRouter): void {
  router.add('POST', '/pipeline-couplings', { handler: create });
  router.add('GET', '/pipeline-couplings', {
    handler: (ctx) => paginate(heroku(ctx).couplings, COUPLING_RANGES, ctx.range, (c) => couplingJson(c, heroku(ctx))),
  });
  router.add('GET', '/pipeline-couplings/:coupling', {
    handler: (ctx) => json(200, couplingJson(findCoupling(heroku(ctx), ctx.params['coupling'] as string), heroku(ctx))),
  });
  router.add('GET', '/pipelines/:pipeline/pipeline-couplings', {
    handler: (ctx) => {
      const pipeline = findPipeline(heroku(ctx), ctx.params['pipeline'] as string, false);
      const couplings = heroku(ctx).couplings.filter((c) => c.pipelineId === pipeline.id);
      return paginate(couplings, COUPLING_RANGES, ctx.range, (c) => couplingJson(c, heroku(ctx)));
    },
  });
  router.add('GET', '/apps/:app/pipeline-couplings', {
    handler: (ctx) => {
      const app = findApp(heroku(ctx), ctx.params['app'] as string);
      const coupling = heroku(ctx).couplings.find((c) => c.appId === app.id);
      if (coupling === undefined) throw notFound('pipeline coupling');
      return json(200, couplingJson(coupling, heroku(ctx)));
    },
  });
  router.add('PATCH', '/pipeline-couplings/:coupling', {
    handler: (ctx) => {
      const coupling = findCoupling(heroku(ctx), ctx.params['coupling'] as string);
      const stage = optionalStage(objectBody(ctx.body));
      if (stage !== undefined && stage !== coupling.stage) {
        coupling.stage = stage;
        coupling.updatedAt = ctx.world.now();
      }
      return json(200, couplingJson(coupling, heroku(ctx)));
    },
  });
  router.add('DELETE', '/pipeline-couplings/:coupling', {
    handler: (ctx) => {
      const coupling = findCoupling(heroku(ctx), ctx.params['coupling'] as string);
      heroku(ctx).couplings = heroku(ctx).couplings.filter((c) => c.id !== coupling.id);
      return json(200, couplingJson(coupling, heroku(ctx)));
    },
  });
  router.add('POST', '/filters/apps', {
    handler: (ctx) => {
      const filter = objectBody(ctx.body)['in'];
      const ids = typeof filter === 'object' && filter !== null ? (filter as Body)['id'] : undefined;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
        throw invalidParams('Invalid params: in.id must be an array of app ids.');
      const wanted = new Set(ids.map((id: string) => id.toLowerCase()));
      const apps = heroku(ctx).apps.filter((a) => wanted.has(a.id));
      return paginate(apps, APP_RANGES, ctx.range, (a) => teamAppJson(heroku(ctx), a));
    },
  });
}

function heroku(ctx: HerokuContext): HerokuState {
  return ctx.world.state.heroku;
}

function findCoupling(state: HerokuState, identity: string): CouplingRecord {
  const coupling = UUID_PATTERN.test(identity)
    ? state.couplings.find((c) => c.id === identity.toLowerCase())
    : undefined;
  if (coupling === undefined) throw notFound('pipeline coupling');
  return coupling;
}

function optionalStage(body: Body): Stage | undefined {
  const stage = optionalString(body, 'stage');
  if (stage === undefined) return undefined;
  if (!(STAGES as readonly string[]).includes(stage))
    throw invalidParams(`Invalid params: stage must be one of ${STAGES.join(', ')}.`);
  return stage as Stage;
}

function create(ctx: HerokuContext) {
  const state = heroku(ctx);
  const body = objectBody(ctx.body);
  const appRef = optionalString(body, 'app');
  const pipelineRef = optionalString(body, 'pipeline');
  const stage = optionalStage(body);
  if (appRef === undefined || pipelineRef === undefined || stage === undefined)
    throw invalidParams('Invalid params: app, pipeline and stage are required.');
  const app = findApp(state, appRef);
  const pipeline = findPipeline(state, pipelineRef, false);
  const existing = state.couplings.find((c) => c.appId === app.id);
  if (existing !== undefined) {
    const other = state.pipelines.find((p) => p.id === existing.pipelineId);
    throw invalidParams(`${app.name} is already in the pipeline ${other?.name ?? existing.pipelineId}.`);
  }
  const now = ctx.world.now();
  const coupling: CouplingRecord = {
    id: ctx.world.ids.uuid(),
    appId: app.id,
    pipelineId: pipeline.id,
    stage,
    createdAt: now,
    updatedAt: now,
  };
  state.couplings.push(coupling);
  return json(201, couplingJson(coupling, ctx.world.state.heroku));
}
