import type { Change } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import { assertNever, InternalError } from '../../runtime/errors.js';
import type { ApiCoupling, ApiPipeline } from './api-types.js';
import { appName, appPath, createOrAdopt, liveIdOf, type StepContext, text } from './apply-support.js';
import { findPipeline } from './read.js';
import { COUPLING, PIPELINE } from './shapes.js';

/**
 * The pipeline (found by name, created once) and each app's coupling to it: created with the
 * pipeline's id, its stage changed in place (`PATCH`), moved to another pipeline by delete and
 * create.
 */
export async function applyPipeline(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
    case 'update':
    case 'replace': {
      // Only the name identifies a pipeline (the plan found none by it); an update or replace can
      // only mean "make sure it exists", which a failing create whose pipeline exists satisfies.
      const name = text(change.after, 'name');
      const pipeline = await createOrAdopt(
        () => ctx.client.post<ApiPipeline>('/pipelines', { body: { name }, shape: PIPELINE }),
        () => findPipeline(ctx.client, name),
      );
      ctx.outputs.set(change.address, { id: pipeline.id, name: pipeline.name });
      return;
    }
    case 'delete':
      await ctx.client.delete(`/pipelines/${encodeURIComponent(liveIdOf(change))}`);
      return;
    default:
      return assertNever(change, 'change');
  }
}

export async function applyCoupling(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
      return couple(ctx, change.after);
    case 'update': {
      const stage = text(change.after, 'stage');
      const coupling = await ctx.client.patch<ApiCoupling>(
        `/pipeline-couplings/${encodeURIComponent(liveIdOf(change))}`,
        {
          body: { stage },
        },
      );
      ctx.outputs.set(change.address, { id: coupling.id, stage: coupling.stage });
      return;
    }
    case 'replace':
      await ctx.client.delete(`/pipeline-couplings/${encodeURIComponent(liveIdOf(change))}`);
      return couple(ctx, change.after);
    case 'delete':
      await ctx.client.delete(`/pipeline-couplings/${encodeURIComponent(liveIdOf(change))}`);
      return;
    default:
      return assertNever(change, 'change');
  }
}

/**
 * `POST /pipeline-couplings` needs the pipeline's id: resolved into `pipeline_id` from the live
 * pipeline at plan time or from its creation earlier in this apply; read by name as a last resort.
 * After an ambiguous failure the app's coupling is read back and adopted when it is to this pipeline.
 */
async function couple(ctx: StepContext, coupling: Resource): Promise<void> {
  const pipelineId = await resolvePipelineId(ctx, coupling);
  const stage = text(coupling, 'stage');
  const mine = async () => {
    const live = await ctx.client.find<ApiCoupling>(appPath(ctx, coupling, '/pipeline-couplings'), COUPLING);
    return live?.pipeline?.id === pipelineId ? live : undefined;
  };
  let created = await createOrAdopt(
    () =>
      ctx.client.post<ApiCoupling>('/pipeline-couplings', {
        body: { app: appName(ctx, coupling.scope), pipeline: pipelineId, stage },
      }),
    mine,
  );
  if (created.stage !== stage) {
    created = await ctx.client.patch<ApiCoupling>(`/pipeline-couplings/${encodeURIComponent(created.id)}`, {
      body: { stage },
    });
  }
  ctx.outputs.set(coupling.address, { id: created.id, stage: created.stage });
}

async function resolvePipelineId(ctx: StepContext, coupling: Resource): Promise<string> {
  const resolved = coupling.attributes['pipeline_id'];
  if (typeof resolved === 'string') return resolved;
  const name = text(coupling, 'pipeline');
  const pipeline = await findPipeline(ctx.client, name);
  if (pipeline === undefined)
    throw new InternalError(`${coupling.address}: the pipeline ${name} does not exist at apply time`);
  return pipeline.id;
}
