import type { Delivery, PromotionTargetStatus, ReleaseStatus } from '../providers/provider.js';
import { DaffError, mayHaveHappened } from '../runtime/errors.js';
import { awaitRelease } from './deploy.js';
import { waitFor } from './poll.js';
import type { Progress, Timing } from './progress.js';

export interface PromotionRequest {
  readonly pipelineId: string;
  readonly source: { readonly app: string; readonly appId: string; readonly release: ReleaseStatus };
  readonly targets: readonly { readonly app: string; readonly appId: string; readonly rollbackTo: ReleaseStatus }[];
  /** Default 30 minutes. */
  readonly timeoutMs?: number;
}

/** How one target came out of the promotion. */
export type TargetOutcome =
  | { readonly app: string; readonly kind: 'released'; readonly release: ReleaseStatus }
  | { readonly app: string; readonly kind: 'failed'; readonly reason: string };

/**
 * `POST /pipeline-promotions` (sent once), then polls the promotion's targets until none is
 * pending — the promotion's own `completed` says nothing about success — and waits for each
 * succeeded target's new release, release phase included. When the POST fails without a clear
 * answer, the targets' releases are re-read: a new release of the source's slug on a target means
 * the promotion happened there; when no target has one, nothing was promoted and the error stands.
 */
export async function promoteRelease(delivery: Delivery, request: PromotionRequest, progress: Progress, timing: Timing): Promise<TargetOutcome[]> {
  const { source } = request;
  const names = request.targets.map((t) => t.app).join(', ');
  const step = progress.step(`Promoting v${source.release.version} of ${source.app} to ${names}`);
  let targets: PromotionTargetStatus[];
  try {
    const promotion = await delivery.promote({
      pipelineId: request.pipelineId,
      sourceAppId: source.appId,
      sourceReleaseId: source.release.id,
      targetAppIds: request.targets.map((t) => t.appId),
    });
    targets = await waitFor(
      () => delivery.promotionTargets(promotion.id),
      (list) => list.every((t) => t.status !== 'pending'),
      {
        timing,
        timeoutMs: request.timeoutMs ?? 30 * 60_000,
        what: `promotion ${promotion.id}`,
        hint: `Check the targets' releases (\`heroku releases -a <app>\`) before promoting again.`,
        onValue: (list) => {
          const settled = list.filter((t) => t.status !== 'pending').length;
          if (settled > 0) step.update(`${settled} of ${list.length} target(s) settled`);
        },
      },
    );
  } catch (error) {
    if (!mayHaveHappened(error)) {
      step.fail();
      throw error;
    }
    targets = await reconcile(delivery, request);
    if (targets.every((t) => t.status === 'failed')) {
      step.fail();
      throw error;
    }
    progress.warn(`the promotion request failed without a clear answer, but re-reading shows it happened on ${targets.filter((t) => t.status === 'succeeded').length} target(s)`);
  }
  step.done(`Promotion of v${source.release.version} of ${source.app} processed`);
  const outcomes: TargetOutcome[] = [];
  for (const target of request.targets) {
    const status = targets.find((t) => t.appId === target.appId);
    if (status === undefined || status.status !== 'succeeded' || status.releaseId === null) {
      outcomes.push({ app: target.app, kind: 'failed', reason: status?.errorMessage ?? 'the promotion did not release it' });
      continue;
    }
    try {
      const release = await awaitRelease(delivery, target.app, await delivery.release(target.app, status.releaseId), progress, timing);
      outcomes.push({ app: target.app, kind: 'released', release });
    } catch (error) {
      outcomes.push({ app: target.app, kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}

/** What each target's newest releases say about a promotion whose POST got no clear answer. */
async function reconcile(delivery: Delivery, request: PromotionRequest): Promise<PromotionTargetStatus[]> {
  return Promise.all(
    request.targets.map(async (target) => {
      const fresh = (await delivery.releases(target.app, 5)).find(
        (r) => r.version > target.rollbackTo.version && r.slugId === request.source.release.slugId,
      );
      return {
        appId: target.appId,
        status: fresh === undefined ? ('failed' as const) : ('succeeded' as const),
        errorMessage: fresh === undefined ? 'no new release appeared: nothing was promoted here' : null,
        releaseId: fresh?.id ?? null,
      };
    }),
  );
}

export type RollbackOutcome =
  | { readonly ok: true; readonly release: ReleaseStatus }
  | { readonly ok: false; readonly reason: string };

/**
 * Rolls `app` back to `to` (a new release with its code and config vars), waits for it, and
 * verifies that the current release now runs `to`'s slug. Never throws: the caller is already
 * handling a failure and must report both.
 */
export async function rollBack(delivery: Delivery, app: string, to: ReleaseStatus, progress: Progress, timing: Timing): Promise<RollbackOutcome> {
  try {
    let created: ReleaseStatus;
    try {
      created = await delivery.rollback(app, to.id);
    } catch (error) {
      if (!mayHaveHappened(error)) throw error;
      const found = (await delivery.releases(app, 5)).find((r) => r.version > to.version && r.slugId === to.slugId && r.description.startsWith('Rollback'));
      if (found === undefined) throw error;
      created = found;
    }
    const release = await awaitRelease(delivery, app, created, progress, timing);
    const current = (await delivery.releases(app, 10)).find((r) => r.current);
    if (current === undefined || current.slugId !== to.slugId) {
      return { ok: false, reason: `after the rollback, the current release of ${app} is ${current === undefined ? 'unknown' : `v${current.version} with slug ${current.slugId ?? 'none'}`}, not the slug of v${to.version}` };
    }
    return { ok: true, release };
  } catch (error) {
    return { ok: false, reason: error instanceof DaffError || error instanceof Error ? error.message : String(error) };
  }
}
