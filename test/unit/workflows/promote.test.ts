import { describe, expect, it } from 'vitest';
import type { Delivery, PromotionTargetStatus } from '../../../src/providers/provider.js';
import { ConflictError, ProviderError } from '../../../src/runtime/errors.js';
import type { Progress, Timing } from '../../../src/workflows/progress.js';
import { promoteRelease, rollBack } from '../../../src/workflows/promote.js';
import { recorder, rel } from './promote-support.js';

/** A clock that moves only when something sleeps. */
function clock(): Timing {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}
const timing = clock();
const said: string[] = [];
const progress: Progress = {
  step: () => ({ update: () => {}, done: () => {}, fail: () => {} }),
  output: () => {},
  info: (message) => said.push(message),
  warn: (message) => said.push(message),
};


/** A Delivery where only what a test sets up exists; anything else is a bug in the test. */
function delivery(parts: Partial<Delivery>): Delivery {
  return new Proxy(parts as Delivery, {
    get: (target, key) => {
      const value = (target as unknown as Record<string | symbol, unknown>)[key];
      if (value === undefined) throw new Error(`unexpected call to ${String(key)}`);
      return value;
    },
  });
}

const request = {
  pipelineId: 'pipe',
  source: { app: 'shop-staging', appId: 'app-s', release: rel(12, 'slug-new') },
  targets: [{ app: 'shop-production', appId: 'app-p' }],
};
const before = async () => [rel(7, 'slug-old', { current: true })];

describe('promoteRelease', () => {
  it('polls the targets (not the promotion) and waits for each new release', async () => {
    const polls: PromotionTargetStatus[][] = [
      [{ appId: 'app-p', status: 'pending', errorMessage: null, releaseId: null }],
      [{ appId: 'app-p', status: 'succeeded', errorMessage: null, releaseId: 'r8' }],
    ];
    const releases = [rel(8, 'slug-new', { status: 'pending' }), rel(8, 'slug-new', { current: true })];
    const d = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => polls.shift() ?? [],
      release: async () => releases.shift() ?? rel(8, 'slug-new', { current: true }),
    });
    expect(await promoteRelease(d, request, progress, timing)).toEqual([
      { app: 'shop-production', kind: 'released', release: rel(8, 'slug-new', { current: true }), origin: 'answered' },
    ]);
  });

  // heroku/cli pipelines/promote.ts: a target stays pending while its release runs the release
  // phase; the CLI follows that release (streaming its output) as soon as the target names it.
  it('follows a target release as soon as the target names it, streaming the release phase, then reads the verdict', async () => {
    let phaseDone = false;
    const streamed: string[] = [];
    const d = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => [
        { appId: 'app-p', status: phaseDone ? 'succeeded' : 'pending', errorMessage: null, releaseId: 'r8' },
      ],
      release: async () =>
        rel(8, 'slug-new', phaseDone ? { current: true } : { status: 'pending', outputStreamUrl: 'https://streams.example/r8' }),
      followOutput: async (_url, onLine) => {
        for (const line of ['Running release command for v8: npm run migrate', 'migrated']) {
          streamed.push(line);
          onLine(line);
        }
        phaseDone = true;
      },
    });
    expect(await promoteRelease(d, request, progress, timing)).toEqual([
      { app: 'shop-production', kind: 'released', release: rel(8, 'slug-new', { current: true }), origin: 'answered' },
    ]);
    expect(streamed).toEqual(['Running release command for v8: npm run migrate', 'migrated']);
  });

  it('a target whose release phase failed is a failed target, with the output of its release command', async () => {
    let phaseDone = false;
    const d = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => [
        { appId: 'app-p', status: phaseDone ? 'failed' : 'pending', errorMessage: phaseDone ? 'Release v8 failed' : null, releaseId: 'r8' },
      ],
      release: async () => rel(8, 'slug-new', { status: phaseDone ? 'failed' : 'pending', outputStreamUrl: 'https://streams.example/r8' }),
      followOutput: async (_url, onLine) => {
        onLine('Error: relation "users" already exists');
        phaseDone = true;
      },
    });
    const [outcome] = await promoteRelease(d, request, progress, timing);
    expect(outcome).toMatchObject({ app: 'shop-production', kind: 'failed' });
    expect(outcome?.kind === 'failed' ? outcome.reason : '').toContain('Release v8 of shop-production failed (release phase). Its last 1 line of output:\n  | Error: relation "users" already exists');
  });

  it("takes the target's final verdict after its release: failed there is failed, an unreadable verdict leaves the release's outcome", async () => {
    const reads: PromotionTargetStatus[][] = [
      [{ appId: 'app-p', status: 'pending', errorMessage: null, releaseId: 'r8' }],
      [{ appId: 'app-p', status: 'failed', errorMessage: 'post-release hook failed', releaseId: 'r8' }],
    ];
    const failing = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => reads.shift() ?? [],
      release: async () => rel(8, 'slug-new', { current: true }),
    });
    expect(await promoteRelease(failing, request, progress, timing)).toEqual([{ app: 'shop-production', kind: 'failed', reason: 'post-release hook failed' }]);

    let first = true;
    const unreadable = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => {
        if (!first) throw new ProviderError('heroku', 'The Heroku API answered HTTP 500', { status: 500 });
        first = false;
        return [{ appId: 'app-p', status: 'pending', errorMessage: null, releaseId: 'r8' }];
      },
      release: async () => rel(8, 'slug-new', { current: true }),
    });
    expect(await promoteRelease(unreadable, request, progress, timing)).toEqual([
      { app: 'shop-production', kind: 'released', release: rel(8, 'slug-new', { current: true }), origin: 'answered' },
    ]);
    expect(said.at(-1)).toBe("could not read the promotion's final verdict (The Heroku API answered HTTP 500); judging each target by its release");
  });

  it('reports a failed target with its error message', async () => {
    const d = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => [{ appId: 'app-p', status: 'failed', errorMessage: 'slug too large', releaseId: null }],
    });
    expect(await promoteRelease(d, request, progress, timing)).toEqual([{ app: 'shop-production', kind: 'failed', reason: 'slug too large' }]);
  });

  it('after a POST without a clear answer, waits for the release it produced as Heroku settles, then carries on with it', async () => {
    // The answer is lost; the target's release of the slug appears only on the fourth look.
    const reads = [before, before, before, before];
    const d = delivery({
      promote: async () => {
        throw new ProviderError('heroku', 'Could not reach the Heroku API: socket hang up', {});
      },
      releases: async () => (reads.shift() ?? (async () => [rel(8, 'slug-new', { current: true }), rel(7, 'slug-old')]))(),
      release: async () => rel(8, 'slug-new', { current: true }),
    });
    said.length = 0;
    expect(await promoteRelease(d, request, progress, clock())).toMatchObject([{ kind: 'released', release: { version: 8 }, origin: 'lost-answer' }]);
    expect(said[0]).toMatch(/^promotion answer lost \(Could not reach the Heroku API: socket hang up\); Heroku may have processed it/);
    expect(said).toContain('promotion answer lost; found it: release v8 of shop-production runs slug slug-new');
  });

  it('a release of the slug older than the POST is not the promotion; one target found, one not', async () => {
    const two = { ...request, targets: [...request.targets, { app: 'shop-eu', appId: 'app-e' }] };
    const d = delivery({
      promote: async () => {
        throw new ProviderError('heroku', 'HTTP 503', { status: 503 });
      },
      releases: async (app) =>
        app === 'shop-eu'
          ? [rel(4, 'slug-new', { status: 'failed' }), rel(3, 'slug-old', { current: true })]
          : [rel(8, 'slug-new', { current: true }), rel(7, 'slug-old')],
      release: async () => rel(8, 'slug-new', { current: true }),
    });
    // Before the POST shop-production's newest is v7 and shop-eu's v4 (a failed release of the same slug).
    let first = true;
    const baseline = delivery({
      ...d,
      releases: async (app, count) => {
        if (first && app === 'shop-production') {
          first = false;
          return [rel(7, 'slug-old', { current: true })];
        }
        return d.releases(app, count);
      },
    });
    const outcomes = await promoteRelease(baseline, two, progress, clock());
    expect(outcomes).toMatchObject([
      { app: 'shop-production', kind: 'released', origin: 'lost-answer' },
      { app: 'shop-eu', kind: 'failed', reason: 'no release of the promoted slug appeared on shop-eu within 1 min 30 s: nothing was promoted there' },
    ]);
  });

  it('rethrows when nothing appears within the settle time, and never re-reads after a clear refusal', async () => {
    const unclear = new ProviderError('heroku', 'no response', {});
    let looks = 0;
    const time = clock();
    const nothing = delivery({
      promote: async () => {
        throw unclear;
      },
      releases: async () => {
        looks += 1;
        return [rel(7, 'slug-old', { current: true })];
      },
    });
    await expect(promoteRelease(nothing, { ...request, settleMs: 10_000 }, progress, time)).rejects.toBe(unclear);
    expect(time.now()).toBe(10_000);
    expect(looks).toBeGreaterThan(3);
    const refused = delivery({
      releases: before,
      promote: async () => {
        throw new ConflictError('heroku', 'Heroku rejected POST /pipeline-promotions: not in pipeline', { status: 422 });
      },
    });
    said.length = 0;
    let reads = 0;
    const counted = delivery({
      releases: async () => {
        reads += 1;
        return before();
      },
      promote: refused.promote,
    });
    await expect(promoteRelease(counted, request, progress, timing)).rejects.toBeInstanceOf(ConflictError);
    // Only the read before the POST; no watching, no warning.
    expect(reads).toBe(1);
    expect(said).toEqual([]);
  });
});

describe('promoteRelease: several targets', () => {
  const two = {
    ...request,
    source: { ...request.source, release: rel(12, 'slug-new-0123456789') },
    targets: [...request.targets, { app: 'shop-eu', appId: 'app-e' }],
  };
  const status = (appId: string, s: PromotionTargetStatus['status'], releaseId: string | null = null, errorMessage: string | null = null): PromotionTargetStatus => ({
    appId,
    status: s,
    releaseId,
    errorMessage,
  });

  it('sends one promotion of the source release to every target, and waits until none is pending', async () => {
    const polls: PromotionTargetStatus[][] = [
      [status('app-p', 'pending'), status('app-e', 'pending')],
      [status('app-p', 'succeeded', 'r8'), status('app-e', 'pending')],
      [status('app-p', 'succeeded', 'r8'), status('app-e', 'succeeded', 'r5')],
    ];
    const sent: unknown[] = [];
    const d = delivery({
      releases: before,
      promote: async (body) => {
        sent.push(body);
        return { id: 'promo' };
      },
      promotionTargets: async () => polls.shift() ?? [],
      release: async (app, id) => rel(id === 'r8' ? 8 : 5, 'slug-new-0123456789', { current: true, description: app }),
    });
    const { progress: recorded, events } = recorder();
    const outcomes = await promoteRelease(d, two, recorded, clock());
    expect(sent).toEqual([{ pipelineId: 'pipe', sourceAppId: 'app-s', sourceReleaseId: 'r12', targetAppIds: ['app-p', 'app-e'] }]);
    expect(outcomes.map((o) => `${o.app} ${o.kind}`)).toEqual(['shop-production released', 'shop-eu released']);
    expect(events).toEqual([
      'step Promoting v12 of shop-staging to shop-production, shop-eu',
      'update 1 of 2 target(s) settled',
      'update 2 of 2 target(s) settled',
      'done Promotion of v12 of shop-staging processed',
      'step Releasing v8 of shop-production',
      'done Released v8 of shop-production',
      'step Releasing v5 of shop-eu',
      'done Released v5 of shop-eu',
    ]);
  });

  it('waits up to 30 minutes for the targets by default, then says how to check them', async () => {
    let polls = 0;
    const pending = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => {
        polls += 1;
        return [status('app-p', 'pending')];
      },
    });
    const time = clock();
    const error = (await promoteRelease(pending, request, progress, time).catch((e: unknown) => e)) as Error & { hint?: string };
    expect(error.message).toBe('Timed out after 30 min 00 s waiting for promotion promo');
    expect(error.hint).toBe("Check the targets' releases (`heroku releases -a <app>`) before promoting again.");
    expect(time.now()).toBe(30 * 60_000);
    expect(polls).toBeGreaterThan(10);
  });

  it('a target counts as released only when it succeeded with a release; otherwise it failed, with the reason', async () => {
    const targets = [
      { app: 'a-failed', appId: 'a' },
      { app: 'b-no-release', appId: 'b' },
      { app: 'c-unlisted', appId: 'c' },
      { app: 'd-unreadable', appId: 'd' },
    ];
    const d = delivery({
      releases: before,
      promote: async () => ({ id: 'promo' }),
      promotionTargets: async () => [status('a', 'failed', null, 'slug too large for the target'), status('b', 'succeeded'), status('d', 'succeeded', 'r4')],
      release: async () => {
        throw new ProviderError('heroku', 'Heroku answered GET /apps/d-unreadable/releases/r4 with HTTP 404', { status: 404 });
      },
    });
    expect(await promoteRelease(d, { ...request, targets }, progress, timing)).toEqual([
      { app: 'a-failed', kind: 'failed', reason: 'slug too large for the target' },
      { app: 'b-no-release', kind: 'failed', reason: 'the promotion did not release it' },
      { app: 'c-unlisted', kind: 'failed', reason: 'the promotion did not release it' },
      { app: 'd-unreadable', kind: 'failed', reason: 'Heroku answered GET /apps/d-unreadable/releases/r4 with HTTP 404' },
    ]);
  });

  it('after a lost answer, a newer release of other code (a config change) is not the promotion', async () => {
    const d = delivery({
      promote: async () => {
        throw new ProviderError('heroku', 'socket hang up\n    at TLSSocket.onHangUp', {});
      },
      releases: async (_app, count) => (count === 1 ? before() : [rel(8, 'slug-old', { current: true, description: 'Set FOO config var' }), rel(7, 'slug-old')]),
    });
    const { progress: recorded, events } = recorder();
    await expect(promoteRelease(d, { ...two, targets: [request.targets[0] as (typeof two.targets)[number]], settleMs: 5_000 }, recorded, clock())).rejects.toThrow('socket hang up');
    expect(events).toEqual([
      'step Promoting v12 of shop-staging to shop-production',
      'warn promotion answer lost (socket hang up); Heroku may have processed it: watching shop-production for a release of slug slug-new for up to 5.0 s',
      'fail No release of slug slug-new appeared on shop-production within 5.0 s: nothing was promoted',
    ]);
  });

  it('after a lost answer, keeps watching until every target has its release, however late each appears', async () => {
    let looks = 0;
    const d = delivery({
      promote: async () => {
        throw new ProviderError('heroku', 'HTTP 503', { status: 503 });
      },
      releases: async (app, count) => {
        looks += count === 1 ? 0 : 1;
        const late = count === 1 || (app === 'shop-eu' && looks < 6);
        return late ? [rel(7, 'slug-old', { current: true })] : [rel(8, 'slug-new-0123456789', { current: true }), rel(7, 'slug-old')];
      },
      release: async () => rel(8, 'slug-new-0123456789', { current: true }),
    });
    const outcomes = await promoteRelease(d, two, progress, clock());
    expect(outcomes.map((o) => `${o.app} ${o.kind}`)).toEqual(['shop-production released', 'shop-eu released']);
  });

  it('measures the settle time from when it began watching, whatever the clock reads', async () => {
    let now = 1_700_000_000_000;
    const late: Timing = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const start = now;
    const d = delivery({
      promote: async () => {
        throw new ProviderError('heroku', 'no response', {});
      },
      releases: async () => [rel(7, 'slug-old', { current: true })],
    });
    await expect(promoteRelease(d, { ...request, settleMs: 10_000 }, progress, late)).rejects.toThrow('no response');
    expect(now - start).toBe(10_000);
  });
});

describe('rollBack', () => {
  const to = rel(7, 'slug-old');

  it('creates the rollback, waits for it and verifies the current release runs the old slug', async () => {
    const d = delivery({
      rollback: async () => rel(9, 'slug-old', { status: 'pending', description: 'Rollback to v7' }),
      release: async () => rel(9, 'slug-old', { current: true, description: 'Rollback to v7' }),
      releases: async () => [rel(9, 'slug-old', { current: true }), rel(8, 'slug-new')],
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toMatchObject({ ok: true, release: { version: 9 } });
  });

  it('does not report a rollback whose current release runs another slug as done', async () => {
    const d = delivery({
      rollback: async () => rel(9, 'slug-old', { status: 'pending', description: 'Rollback to v7' }),
      release: async () => rel(9, 'slug-old', { current: true, description: 'Rollback to v7' }),
      // Something released again after the rollback: the app no longer serves v7's slug.
      releases: async () => [rel(10, 'slug-new', { current: true }), rel(9, 'slug-old')],
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toEqual({
      ok: false,
      reason: 'after the rollback, the current release of shop-production is v10 with slug slug-new, not the slug of v7',
    });
    const noCurrent = delivery({
      rollback: async () => rel(9, 'slug-old', { description: 'Rollback to v7' }),
      release: async () => rel(9, 'slug-old', { description: 'Rollback to v7' }),
      releases: async () => [rel(9, 'slug-old'), rel(8, 'slug-new')],
    });
    expect(await rollBack(noCurrent, 'shop-production', to, progress, timing)).toEqual({
      ok: false,
      reason: 'after the rollback, the current release of shop-production is unknown, not the slug of v7',
    });
  });

  it('adopts a rollback that happened despite a 500, and says when verification fails', async () => {
    const d = delivery({
      rollback: async () => {
        throw new ProviderError('heroku', 'HTTP 500', { status: 500 });
      },
      release: async () => rel(9, 'slug-old', { current: true }),
      releases: async () => [rel(9, 'slug-other', { current: true, description: 'Rollback to v7' })],
    });
    const outcome = await rollBack(d, 'shop-production', to, progress, timing);
    expect(outcome.ok).toBe(false);
    const adopted = delivery({
      rollback: async () => {
        throw new ProviderError('heroku', 'HTTP 500', { status: 500 });
      },
      release: async () => rel(9, 'slug-old', { current: true }),
      releases: async () => [rel(9, 'slug-old', { current: true, description: 'Rollback to v7' })],
    });
    expect(await rollBack(adopted, 'shop-production', to, progress, timing)).toMatchObject({ ok: true });
  });

  it('reports an unexpected failure by its message too', async () => {
    const d = delivery({
      rollback: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toEqual({ ok: false, reason: 'fetch failed' });
  });

  it('never throws: a failed rollback is an outcome with the reason', async () => {
    const d = delivery({
      rollback: async () => {
        throw new ConflictError('heroku', 'Heroku rejected POST /apps/shop-production/releases: not eligible', { status: 422 });
      },
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toEqual({
      ok: false,
      reason: 'Heroku rejected POST /apps/shop-production/releases: not eligible',
    });
  });
});
