import type { Delivery, PromotionTargetStatus, ReleaseStatus } from '../providers/provider.js';
import { DaffError, mayHaveHappened } from '../runtime/errors.js';
import { awaitRelease } from './deploy.js';
import { waitFor } from './poll.js';
import { formatDuration, pollDelay, type Progress, type Timing } from './progress.js';

export interface PromotionRequest {
  readonly pipelineId: string;
  readonly source: { readonly app: string; readonly appId: string; readonly release: ReleaseStatus };
  readonly targets: readonly { readonly app: string; readonly appId: string }[];
  /** Default 30 minutes. */
  readonly timeoutMs?: number;
  /** How long a promotion whose answer was lost is waited for on the targets; default 90 s. */
  readonly settleMs?: number;
}

/**
 * How a target's release came about: the promotion's answer named it, it was found on the target
 * after the answer was lost, or an earlier run had already promoted it.
 */
export type ReleaseOrigin = 'answered' | 'lost-answer' | 'earlier-run';

/** How one target came out of the promotion. */
export type TargetOutcome =
  | { readonly app: string; readonly kind: 'released'; readonly release: ReleaseStatus; readonly origin: ReleaseOrigin }
  | { readonly app: string; readonly kind: 'failed'; readonly reason: string };

/**
 * `POST /pipeline-promotions` (sent once), then polls the promotion's targets until each has
 * settled or names its new release — a target stays `pending` while that release runs its release
 * phase — and follows each release to its end, streaming the release phase's output (as the
 * official CLI does, heroku/cli `pipelines/promote.ts`); then reads the targets once more until
 * none is pending, for their verdict. The promotion's own `completed` says nothing about success.
 * When the POST (or the polling) fails
 * without a clear answer, Heroku may have processed it, and promotions settle asynchronously: the
 * targets' releases are watched for up to `settleMs` for a release of the source's slug newer than
 * what each target had just before the POST. A target where one appears carries on as if the answer
 * had arrived (it is health checked, and rolled back if need be); where none does, nothing was
 * promoted. When no target has one, the error stands.
 */
export async function promoteRelease(delivery: Delivery, request: PromotionRequest, progress: Progress, timing: Timing): Promise<TargetOutcome[]> {
  const { source } = request;
  const names = request.targets.map((t) => t.app).join(', ');
  // What each target had before the POST: a lost answer is looked for above it.
  const before = await Promise.all(request.targets.map(async (t) => (await delivery.releases(t.app, 1))[0]?.version ?? 0));
  const step = progress.step(`Promoting v${source.release.version} of ${source.app} to ${names}`);
  let settled: PromotionTargetStatus[];
  let origin: ReleaseOrigin = 'answered';
  let promotionId: string | undefined;
  try {
    const promotion = await delivery.promote({
      pipelineId: request.pipelineId,
      sourceAppId: source.appId,
      sourceReleaseId: source.release.id,
      targetAppIds: request.targets.map((t) => t.appId),
    });
    promotionId = promotion.id;
    settled = await waitFor(
      () => delivery.promotionTargets(promotion.id),
      (list) => list.every((t) => t.status !== 'pending' || t.releaseId !== null),
      {
        timing,
        timeoutMs: request.timeoutMs ?? 30 * 60_000,
        what: `promotion ${promotion.id}`,
        hint: `Check the targets' releases (\`heroku releases -a <app>\`) before promoting again.`,
        onValue: (list) => {
          const done = list.filter((t) => t.status !== 'pending').length;
          if (done > 0) step.update(`${done} of ${list.length} target(s) settled`);
        },
      },
    );
  } catch (error) {
    if (!mayHaveHappened(error)) {
      step.fail();
      throw error;
    }
    const settleMs = request.settleMs ?? 90_000;
    progress.warn(
      `promotion answer lost (${firstLine(error instanceof Error ? error.message : String(error))}); Heroku may have processed it: watching ${names} for a release of slug ${short(source.release.slugId)} for up to ${formatDuration(settleMs)}`,
    );
    settled = await findPromoted(delivery, request, before, settleMs, timing);
    if (settled.every((t) => t.status !== 'succeeded')) {
      step.fail(`No release of slug ${short(source.release.slugId)} appeared on ${names} within ${formatDuration(settleMs)}: nothing was promoted`);
      throw error;
    }
    origin = 'lost-answer';
  }
  step.done(`Promotion of v${source.release.version} of ${source.app} processed`);
  const outcomes: TargetOutcome[] = [];
  for (const target of request.targets) {
    const status = settled.find((t) => t.appId === target.appId);
    if (status === undefined || status.releaseId === null) {
      outcomes.push({ app: target.app, kind: 'failed', reason: status?.errorMessage ?? 'the promotion did not release it' });
      continue;
    }
    try {
      const found = await delivery.release(target.app, status.releaseId);
      if (origin === 'lost-answer') progress.info(`promotion answer lost; found it: release v${found.version} of ${target.app} runs slug ${short(found.slugId)}`);
      const release = await awaitRelease(delivery, target.app, found, progress, timing);
      outcomes.push({ app: target.app, kind: 'released', release, origin });
    } catch (error) {
      outcomes.push({ app: target.app, kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return promotionId === undefined || origin !== 'answered' ? outcomes : verdicts(delivery, promotionId, outcomes, request.targets, { progress, timing });
}

/** How long the targets get to settle once their releases have ended. */
const VERDICT_MS = 5 * 60_000;

/**
 * The targets' own verdict, once their releases have ended: a target Heroku marks `failed` although
 * its release succeeded is a failed promotion there. When the verdict cannot be read (or does not
 * come within VERDICT_MS), the releases' outcomes stand, with a warning: the health checks and
 * rollbacks that follow still judge each released target.
 */
async function verdicts(
  delivery: Delivery,
  promotionId: string,
  outcomes: readonly TargetOutcome[],
  targets: PromotionRequest['targets'],
  run: { readonly progress: Progress; readonly timing: Timing },
): Promise<TargetOutcome[]> {
  if (outcomes.every((o) => o.kind === 'failed')) return [...outcomes];
  let final: PromotionTargetStatus[];
  try {
    final = await waitFor(
      () => delivery.promotionTargets(promotionId),
      (list) => list.every((t) => t.status !== 'pending'),
      {
        timing: run.timing,
        timeoutMs: VERDICT_MS,
        what: `the targets of promotion ${promotionId}`,
        hint: `Check the targets' releases (\`heroku releases -a <app>\`).`,
      },
    );
  } catch (error) {
    run.progress.warn(`could not read the promotion's final verdict (${firstLine(error instanceof Error ? error.message : String(error))}); judging each target by its release`);
    return [...outcomes];
  }
  return outcomes.map((outcome, i) => {
    const status = final.find((t) => t.appId === targets[i]?.appId);
    if (outcome.kind !== 'released' || status?.status !== 'failed') return outcome;
    return { app: outcome.app, kind: 'failed', reason: status.errorMessage ?? `Heroku marked the promotion to ${outcome.app} failed` };
  });
}

/**
 * Watches the targets' newest releases for one of the source's slug above `before` (their newest
 * version before the POST) until every target has one or `settleMs` pass; a target without one
 * after that was not promoted.
 */
async function findPromoted(delivery: Delivery, request: PromotionRequest, before: readonly number[], settleMs: number, timing: Timing): Promise<PromotionTargetStatus[]> {
  const slug = request.source.release.slugId;
  const look = () =>
    Promise.all(
      request.targets.map(async (target, i) =>
        (await delivery.releases(target.app, 5)).find((r) => r.version > (before[i] ?? 0) && slug !== null && r.slugId === slug),
      ),
    );
  const started = timing.now();
  let found = await look();
  for (let attempt = 0; found.some((r) => r === undefined) && timing.now() - started < settleMs; attempt++) {
    await timing.sleep(Math.min(pollDelay(attempt), Math.max(0, settleMs - (timing.now() - started))));
    found = await look();
  }
  return request.targets.map((target, i) => {
    const release = found[i];
    return {
      appId: target.appId,
      status: release === undefined ? 'failed' : 'succeeded',
      releaseId: release?.id ?? null,
      errorMessage: release === undefined ? `no release of the promoted slug appeared on ${target.app} within ${formatDuration(settleMs)}: nothing was promoted there` : null,
    };
  });
}

const short = (id: string | null) => (id === null ? 'none' : id.slice(0, 8));

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
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
