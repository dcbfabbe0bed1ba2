import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import { createRelease, findSlugAnywhere } from '../api/releases.js';
import type { PromotionRecord } from '../model/deploy.js';
import type { TimedWork } from './work.js';

/** A `pending` promotion completes `promotionMs` after it was created (api/promotions.ts creates it). */
export const promotions: TimedWork = {
  scope: 'world',
  name: 'promotions',
  *due(world) {
    for (const promotion of world.state.heroku.promotions) {
      if (promotion.status === 'pending') yield { at: promotion.dueMs, run: () => settlePromotion(world, promotion) };
    }
  },
};

/** Processes a due promotion at its due time: a release per target, or that target fails. */
export function settlePromotion(world: World, promotion: PromotionRecord): void {
  if (promotion.status !== 'pending') return;
  const heroku = world.state.heroku;
  const at = promotion.dueMs;
  const source = heroku.apps.find((a) => a.id === promotion.sourceAppId);
  const release = source?.releases.find((r) => r.id === promotion.sourceReleaseId);
  let slug: ReturnType<typeof findSlugAnywhere> | undefined;
  try {
    slug = findSlugAnywhere(world, promotion.slugId);
  } catch {
    slug = undefined;
  }
  for (const target of promotion.targets) {
    const app = heroku.apps.find((a) => a.id === target.appId);
    const armed = app?.failNext.promotion;
    if (app !== undefined) delete app.failNext.promotion;
    let failure: string | undefined;
    if (app === undefined) failure = 'The target app no longer exists.';
    else if (slug === undefined) failure = 'The slug of the source release no longer exists.';
    else if (armed !== undefined) failure = armed;
    if (failure !== undefined || app === undefined || slug === undefined) {
      target.status = 'failed';
      target.errorMessage = failure ?? 'Promotion failed.';
      continue;
    }
    if (!app.slugs.some((s) => s.id === slug.id)) app.slugs.push({ ...slug, processTypes: { ...slug.processTypes } });
    const commit = slug.commit === null ? '' : ` ${slug.commit.slice(0, 8)}`;
    const created = createRelease(world, app, {
      description: `Promote ${source?.name ?? 'source app'} v${release?.version ?? '?'}${commit}`,
      slugId: slug.id,
      atMs: at,
    });
    target.status = 'succeeded';
    target.releaseId = created.id;
  }
  promotion.status = 'completed';
  promotion.updatedAt = isoSeconds(new Date(at));
}
