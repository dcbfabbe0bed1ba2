import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/engine/types.js';
import type { Delivery, ReleaseStatus } from '../../../src/providers/provider.js';
import type { Connection, WebAccess } from '../../../src/workflows/connection.js';
import { promotionRoute } from '../../../src/workflows/promote-facts.js';
import type { Prepared } from '../../../src/workflows/prepare.js';
import { carryOutPromotion, type Examined } from '../../../src/workflows/promotion.js';
import type { Progress, Timing } from '../../../src/workflows/progress.js';
import { config, rel } from './promote-support.js';

const CONFIG = config(`version: 1
name: shop
pipeline: shop
environments:
  staging: { app: shop-staging, stage: staging }
  production: { app: shop-production, stage: production, healthcheck: { path: /health, timeout: 5 } }
  eu: { app: shop-eu, stage: production }
`);


let clock = 0;
const timing: Timing = {
  now: () => clock,
  sleep: async (ms) => {
    clock += ms;
  },
};
const warnings: string[] = [];
const progress: Progress = {
  step: () => ({ update: () => {}, done: () => {}, fail: () => {} }),
  output: () => {},
  info: () => {},
  warn: (message) => warnings.push(message),
};
const reporter = { info: () => {}, warn: () => {}, progress: () => {} };

/** The pipeline promotes to both targets; production then answers its health check with 500s. */
function connection(rollbackWorks: boolean): Connection {
  const releases: Record<string, ReleaseStatus[]> = {
    'shop-production': [rel(7, 'slug-old', { current: true })],
    'shop-eu': [rel(3, 'slug-old', { current: true })],
  };
  const delivery: Partial<Delivery> = {
    pipelineId: async () => 'pipe',
    app: async (app) => ({ id: `id-${app}`, name: app, webUrl: `https://${app}.example/` }) as Awaited<ReturnType<Delivery['app']>>,
    promote: async () => ({ id: 'promo' }),
    promotionTargets: async () => [
      { appId: 'id-shop-production', status: 'succeeded', errorMessage: null, releaseId: 'r8' },
      { appId: 'id-shop-eu', status: 'failed', errorMessage: 'release phase failed\nmore', releaseId: null },
    ],
    release: async (_app, id) => (id === 'r8' ? rel(8, 'slug-new', { current: true }) : rel(9, 'slug-old', { current: true })),
    releases: async (app) => releases[app] ?? [],
    rollback: async (app) => {
      releases[app] = [rel(9, rollbackWorks ? 'slug-old' : 'slug-new', { current: true })];
      return rel(9, 'slug-old');
    },
    recentLogs: async () => ['t1 app[web.1]: crashed', 't2 heroku[router]: at=error 1', 't3 heroku[router]: at=error 2', 't4 heroku[router]: at=error 3'],
  };
  return {
    providers: new Map(),
    digestKey: 'key',
    target: 'test',
    delivery: delivery as Delivery,
    // Promotion takes no backups.
    backups: {} as Connection['backups'],
    web: async () => ({
      kind: 'probe',
      probe: { route: 'directly', resolves: async () => false, get: async () => ({ ok: true, status: 500, body: 'boom' }) },
    }),
    close: async () => {},
  };
}

const route = promotionRoute(CONFIG, undefined, []);
const prepared = { config: CONFIG, environments: ['eu', 'production'] } as unknown as Prepared;
const examined: Examined = {
  plan: { deferred: [] } as unknown as Plan,
  source: { environment: 'staging', app: 'shop-staging', latest: undefined, current: undefined, slug: undefined, configKeys: [], health: { kind: 'not-configured' } },
  targets: [
    { environment: 'production', app: 'shop-production', pendingChanges: [], configKeys: [], formationTypes: [], declaredTypes: [], current: rel(7, 'slug-old', { current: true }), promoted: undefined, rollbackPoint: rel(7, 'slug-old', { current: true }) },
    { environment: 'eu', app: 'shop-eu', pendingChanges: [], configKeys: [], formationTypes: [], declaredTypes: [], current: rel(3, 'slug-old', { current: true }), promoted: undefined, rollbackPoint: rel(3, 'slug-old', { current: true }) },
  ],
  report: { checks: [], warnings: [], passed: true },
  wouldApply: [],
};

describe('carryOutPromotion', () => {
  it('reports each target: one rolled back after failing its health check (with its logs), one not promoted', async () => {
    const results = await carryOutPromotion(connection(true), prepared, route, examined, rel(12, 'slug-new'), { progress, timing, reporter });
    expect(results.map((r) => [r.environment.name, r.kind, r.rollbackTo.version])).toEqual([
      ['production', 'rolled-back', 7],
      ['eu', 'not-promoted', 3],
    ]);
    const [production, eu] = results;
    expect(production?.kind === 'rolled-back' && [production.release.version, production.rollback.version, production.outcome.last]).toEqual([8, 9, 'HTTP 500: boom']);
    expect(production?.kind === 'rolled-back' && production.logs).toEqual({
      app: 'shop-production',
      kind: 'read',
      lines: ['t1 app[web.1]: crashed', 't3 heroku[router]: at=error 2', 't4 heroku[router]: at=error 3'],
    });
    expect(eu?.kind === 'not-promoted' && eu.reason).toBe('release phase failed\nmore');
    expect(warnings).toContain('shop-production failed its health check: rolling back to v7');
  });

  it('says when the rollback did not bring the old slug back', async () => {
    const [production] = await carryOutPromotion(connection(false), prepared, route, examined, rel(12, 'slug-new'), { progress, timing, reporter });
    expect(production?.kind === 'rollback-failed' && production.reason).toBe(
      'after the rollback, the current release of shop-production is v9 with slug slug-new, not the slug of v7',
    );
  });

  it('a target an earlier run promoted is not promoted again: health checked, rolled back to the release before it', async () => {
    const base = connection(true);
    let promotions = 0;
    const delivery = new Proxy(base.delivery, {
      get: (target, key) =>
        key === 'promote'
          ? async () => {
              promotions += 1;
              return { id: 'promo' };
            }
          : (target as unknown as Record<string | symbol, unknown>)[key],
    });
    const broken = rel(8, 'slug-new', { current: true });
    const resumed: Examined = {
      ...examined,
      targets: [{ ...(examined.targets[0] as Examined['targets'][number]), current: broken, promoted: broken, rollbackPoint: rel(7, 'slug-old') }],
    };
    const single = { ...route, targets: route.targets.slice(0, 1) };
    const [production] = await carryOutPromotion({ ...base, delivery }, prepared, single, resumed, rel(12, 'slug-new'), { progress, timing, reporter });
    expect(promotions).toBe(0);
    expect(production).toMatchObject({ kind: 'rolled-back', origin: 'earlier-run', release: { version: 8 }, rollbackTo: { version: 7, slugId: 'slug-old' } });
  });

  it('keeps a target that answers its health check, and one without a health check, and rolls neither back', async () => {
    const base = connection(true);
    const calls: string[] = [];
    const delivery = new Proxy(base.delivery, {
      get: (target, key) => {
        if (key === 'rollback') calls.push('rollback');
        if (key === 'promotionTargets') {
          return async () => [
            { appId: 'id-shop-production', status: 'succeeded', errorMessage: null, releaseId: 'r8' },
            { appId: 'id-shop-eu', status: 'succeeded', errorMessage: null, releaseId: 'r4' },
          ];
        }
        return (target as unknown as Record<string | symbol, unknown>)[key];
      },
    });
    const healthy: WebAccess = { kind: 'probe', probe: { route: 'directly', resolves: async () => false, get: async () => ({ ok: true, status: 200, body: 'ok' }) } };
    const results = await carryOutPromotion({ ...base, delivery, web: async () => healthy }, prepared, route, examined, rel(12, 'slug-new'), { progress, timing, reporter });
    expect(results.map((r) => [r.environment.name, r.kind])).toEqual([
      ['production', 'released'],
      ['eu', 'released'],
    ]);
    expect(results.map((r) => (r.kind === 'released' ? r.verdict.kind : undefined))).toEqual(['checked', 'not-configured']);
    expect(calls).toEqual([]);
  });
});
