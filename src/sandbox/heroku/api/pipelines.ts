import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import { CEDAR } from '../model/catalog.js';
import type { PipelineRecord } from '../model/deploy.js';
import { findTeam } from '../model/lookup.js';
import type { HerokuState } from '../model/state.js';
import { objectBody, optionalObject, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { currentRelease, releaseJson } from './releases.js';

/**
 * Pipelines: named groups of apps by stage. Names are unique and follow the schema's pattern.
 * `GET /pipelines/{pipeline}` takes an id or a name; PATCH, DELETE and the nested routes take
 * the id only, as on Heroku. Listing honours `eq[name]=…`, the filter the official CLI sends.
 * Deleting a pipeline uncouples its apps.
 */
const PIPELINE_NAME = /^[a-z][a-z0-9-]{2,29}$/;

export function pipelineJson(p: PipelineRecord): Record<string, unknown> {
  return {
    created_at: p.createdAt,
    generation: { id: CEDAR.id, name: CEDAR.name },
    id: p.id,
    name: p.name,
    owner: { ...p.owner },
    updated_at: p.updatedAt,
  };
}

/** By id, or by name too when `byName`; 404 `Couldn't find that pipeline.` otherwise. */
export function findPipeline(heroku: HerokuState, identity: string, byName: boolean): PipelineRecord {
  const found = UUID_PATTERN.test(identity)
    ? heroku.pipelines.find((p) => p.id === identity.toLowerCase())
    : byName
      ? heroku.pipelines.find((p) => p.name === identity)
      : undefined;
  if (found === undefined) throw notFound('pipeline');
  return found;
}

const PIPELINE_RANGES: readonly RangeKey<PipelineRecord>[] = [
  { name: 'id', value: (p) => p.id },
  { name: 'name', value: (p) => p.name },
];

export function registerPipelines(router: HerokuRouter): void {
  router.add('POST', '/pipelines', { handler: create });
  router.add('GET', '/pipelines', {
    handler: (ctx) => {
      const name = ctx.query.get('eq[name]');
      const pipelines = heroku(ctx).pipelines.filter((p) => name === null || p.name === name);
      return paginate(pipelines, PIPELINE_RANGES, ctx.range, pipelineJson);
    },
  });
  router.add('GET', '/pipelines/:pipeline', {
    handler: (ctx) => json(200, pipelineJson(findPipeline(heroku(ctx), ctx.params['pipeline'] as string, true))),
  });
  router.add('PATCH', '/pipelines/:pipeline', {
    handler: (ctx) => {
      const pipeline = findPipeline(heroku(ctx), ctx.params['pipeline'] as string, false);
      const name = optionalString(objectBody(ctx.body), 'name');
      if (name !== undefined && name !== pipeline.name) {
        checkName(heroku(ctx), name);
        pipeline.name = name;
        pipeline.updatedAt = ctx.world.now();
      }
      return json(200, pipelineJson(pipeline));
    },
  });
  router.add('DELETE', '/pipelines/:pipeline', {
    handler: (ctx) => {
      const state = heroku(ctx);
      const pipeline = findPipeline(state, ctx.params['pipeline'] as string, false);
      state.pipelines = state.pipelines.filter((p) => p.id !== pipeline.id);
      state.couplings = state.couplings.filter((c) => c.pipelineId !== pipeline.id);
      return json(200, pipelineJson(pipeline));
    },
  });
  router.add('GET', '/pipelines/:pipeline/latest-releases', {
    handler: (ctx) => {
      const state = heroku(ctx);
      const pipeline = findPipeline(state, ctx.params['pipeline'] as string, false);
      const latest = state.couplings
        .filter((c) => c.pipelineId === pipeline.id)
        .flatMap((c) => {
          const app = state.apps.find((a) => a.id === c.appId);
          const release = app === undefined ? undefined : currentRelease(app);
          return app === undefined || release === undefined ? [] : [releaseJson(app, release, ctx.baseUrl)];
        });
      return json(200, latest);
    },
  });
}

function heroku(ctx: HerokuContext): HerokuState {
  return ctx.world.state.heroku;
}

function checkName(state: HerokuState, name: string): void {
  if (!PIPELINE_NAME.test(name)) {
    throw invalidParams(
      'Name must be 3 to 30 characters: a lowercase letter, then lowercase letters, digits and dashes.',
    );
  }
  if (state.pipelines.some((p) => p.name === name)) throw invalidParams(`Name ${name} has already been taken.`);
}

/**
 * `POST /pipelines {name, owner?: {id, type: user|team}, generation?: {name}}`. The owner defaults
 * to the account; a team owner must be a known team. Only the Cedar generation exists here.
 */
function create(ctx: HerokuContext) {
  const state = heroku(ctx);
  const body = objectBody(ctx.body);
  const name = optionalString(body, 'name');
  if (name === undefined) throw invalidParams('Invalid params: name is required.');
  checkName(state, name);
  const generation = optionalObject(body, 'generation');
  const generationName = generation === undefined ? undefined : optionalString(generation, 'name');
  if (generationName !== undefined && generationName !== 'cedar')
    throw invalidParams(`Generation ${generationName} is not available in the sandbox (Cedar only).`);
  const ownerBody = optionalObject(body, 'owner');
  let owner: PipelineRecord['owner'] = { id: state.account.id, type: 'user' };
  if (ownerBody !== undefined) {
    const type = optionalString(ownerBody, 'type');
    const id = optionalString(ownerBody, 'id');
    if (type === 'team') {
      const team = id === undefined ? undefined : findTeam(state, id);
      if (team === undefined) throw notFound('team');
      owner = { id: team.id, type: 'team' };
    } else if (type !== 'user' || (id !== undefined && id !== state.account.id)) {
      throw invalidParams('Invalid params: owner must be {id, type: "user"} for your account or {id, type: "team"}.');
    }
  }
  const now = ctx.world.now();
  const pipeline: PipelineRecord = { id: ctx.world.ids.uuid(), name, owner, createdAt: now, updatedAt: now };
  state.pipelines.push(pipeline);
  return json(201, pipelineJson(pipeline));
}
