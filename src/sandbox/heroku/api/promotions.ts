import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import type { PromotionRecord, PromotionTargetRecord } from '../model/deploy.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord, HerokuState } from '../model/state.js';
import { type Body, objectBody } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { findPipeline } from './pipelines.js';
import { currentRelease, findRelease } from './releases.js';

/**
 * Pipeline promotions: copy the slug of a source app's release (its current one by default) to
 * target apps in the same pipeline, without rebuilding; each target keeps its own config vars and
 * add-ons. The promotion is `pending` for `promotionMs`, then every target gets a release
 * "Promote <source> v<N>" (`succeeded`, with its id) or `failed` with an `error_message` (armed
 * with `POST /__sandbox/apps/{target}/fail-next {"kind": "promotion"}`), and the promotion is
 * `completed` — which says nothing about success: judge each target. As on Heroku, a target whose
 * release runs a release phase stays `pending`, with its `release` already set (the official CLI
 * follows that release's `output_stream_url`), until the phase ends; a failed phase fails the
 * target (heroku/cli `pipelines/promote.ts` waits on the targets, then on the release).
 */
function promotionJson(p: PromotionRecord): Record<string, unknown> {
  return {
    created_at: p.createdAt,
    id: p.id,
    pipeline: { id: p.pipelineId },
    source: { app: { id: p.sourceAppId }, release: { id: p.sourceReleaseId } },
    status: p.status,
    updated_at: p.updatedAt,
  };
}

function targetJson(state: HerokuState, p: PromotionRecord, t: PromotionTargetRecord): Record<string, unknown> {
  const release = state.apps.find((a) => a.id === t.appId)?.releases.find((r) => r.id === t.releaseId);
  const phase = t.status === 'succeeded' ? release?.status : undefined;
  const failed = phase === 'failed';
  return {
    app: { id: t.appId },
    error_message: failed ? `Release v${release?.version ?? '?'} failed: its release command did not succeed.` : t.errorMessage,
    id: t.id,
    pipeline_promotion: { id: p.id },
    release: t.releaseId === null ? null : { id: t.releaseId },
    status: phase === 'pending' ? 'pending' : failed ? 'failed' : t.status,
  };
}

const TARGET_RANGES: readonly RangeKey<PromotionTargetRecord>[] = [{ name: 'id', value: (t) => t.id }];

export function registerPromotions(router: HerokuRouter): void {
  router.add('POST', '/pipeline-promotions', { handler: create });
  router.add('GET', '/pipeline-promotions/:promotion', {
    handler: (ctx) => json(200, promotionJson(findPromotion(heroku(ctx), ctx.params['promotion'] as string))),
  });
  router.add('GET', '/pipeline-promotions/:promotion/promotion-targets', {
    handler: (ctx) => {
      const promotion = findPromotion(heroku(ctx), ctx.params['promotion'] as string);
      return paginate(promotion.targets, TARGET_RANGES, ctx.range, (t) => targetJson(heroku(ctx), promotion, t));
    },
  });
}

function heroku(ctx: HerokuContext): HerokuState {
  return ctx.world.state.heroku;
}

function findPromotion(state: HerokuState, identity: string): PromotionRecord {
  const found = UUID_PATTERN.test(identity) ? state.promotions.find((p) => p.id === identity.toLowerCase()) : undefined;
  if (found === undefined) throw notFound('pipeline promotion');
  return found;
}

/** The string at `path` inside `node` (e.g. `source.app.id`), named `label` in errors; required unless `optional`. */
function nestedId(node: unknown, path: readonly string[], label: string, optional = false): string | undefined {
  let value = node;
  for (const key of path) {
    value = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body)[key] : undefined;
  }
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw invalidParams(`Invalid params: ${label} is required.`);
  return value;
}

function create(ctx: HerokuContext) {
  const state = heroku(ctx);
  const body = objectBody(ctx.body);
  const pipeline = findPipeline(state, nestedId(body, ['pipeline', 'id'], 'pipeline.id') as string, false);
  const source = findApp(state, nestedId(body, ['source', 'app', 'id'], 'source.app.id') as string);
  const releaseId = nestedId(body, ['source', 'release', 'id'], 'source.release.id', true);
  const targets = body['targets'];
  if (!Array.isArray(targets) || targets.length === 0)
    throw invalidParams('Invalid params: targets must list at least one {app: {id}}.');
  const inPipeline = (app: AppRecord) =>
    state.couplings.some((c) => c.appId === app.id && c.pipelineId === pipeline.id);
  if (!inPipeline(source)) throw invalidParams(`${source.name} is not in the pipeline ${pipeline.name}.`);
  const release = releaseId === undefined ? currentRelease(source) : findRelease(source, releaseId);
  if (release === undefined || release.slugId === null || release.status !== 'succeeded')
    throw invalidParams(`${source.name} has no succeeded release with a slug to promote; deploy it first.`);
  const targetApps = targets.map((t: unknown, i) => {
    const app = findApp(state, nestedId(t, ['app', 'id'], `targets[${i}].app.id`) as string);
    if (app.id === source.id) throw invalidParams(`${app.name} cannot be promoted to itself.`);
    if (!inPipeline(app)) throw invalidParams(`${app.name} is not in the pipeline ${pipeline.name}.`);
    return app;
  });
  if (new Set(targetApps.map((a) => a.id)).size !== targetApps.length)
    throw invalidParams('Invalid params: a target app is listed more than once.');

  const now = ctx.world.now();
  const promotion: PromotionRecord = {
    id: ctx.world.ids.uuid(),
    pipelineId: pipeline.id,
    sourceAppId: source.id,
    sourceReleaseId: release.id,
    slugId: release.slugId,
    status: 'pending',
    dueMs: ctx.world.clock().getTime() + ctx.world.heroku.timings.promotionMs,
    targets: targetApps.map((app) => ({
      id: ctx.world.ids.uuid(),
      appId: app.id,
      status: 'pending',
      errorMessage: null,
      releaseId: null,
    })),
    createdAt: now,
    updatedAt: now,
  };
  state.promotions.push(promotion);
  return json(201, promotionJson(promotion));
}
