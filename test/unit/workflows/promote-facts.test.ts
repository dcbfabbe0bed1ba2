import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/runtime/errors.js';
import { promotionRoute, targetHistory } from '../../../src/workflows/promote-facts.js';
import { config, rel } from './promote-support.js';

const THREE = config(`version: 1
name: shop
pipeline: shop
environments:
  staging: { app: shop-staging, stage: staging }
  production: { app: shop-production, stage: production }
  eu: { app: shop-eu, stage: production }
  dev: { app: shop-dev, stage: development }
`);

describe('promotionRoute', () => {
  it("defaults from the staging stage to every production stage of the pipeline", () => {
    const route = promotionRoute(THREE, undefined, []);
    expect([route.pipeline, route.source.name, route.targets.map((t) => t.name)]).toEqual(['shop', 'staging', ['production', 'eu']]);
  });

  it('takes --from and --to, without repeats', () => {
    const route = promotionRoute(THREE, 'dev', ['staging', 'staging']);
    expect([route.source.name, route.targets.map((t) => t.name)]).toEqual(['dev', ['staging']]);
  });

  it('says what to pass when it cannot tell', () => {
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return `${(e as UsageError).message} | ${(e as UsageError).hint}`;
      }
      throw new Error('no error');
    };
    expect(error(() => promotionRoute(THREE, 'nope', []))).toBe('There is no environment "nope" in app.yaml | declared environments: staging, production, eu, dev');
    expect(error(() => promotionRoute(THREE, 'staging', ['staging']))).toContain('Cannot promote staging to itself');
    const noPipeline = config('version: 1\nname: shop\nenvironments:\n  staging: { app: shop-staging, stage: staging }\n');
    expect(error(() => promotionRoute(noPipeline, undefined, []))).toContain('declares no pipeline');
    const noStages = config('version: 1\nname: shop\npipeline: shop\nenvironments:\n  a: { app: shop-a }\n  b: { app: shop-b }\n');
    expect(error(() => promotionRoute(noStages, undefined, []))).toBe('Cannot tell which environment to promote from: none has `stage: staging` | Pass --from ENV.');
    expect(error(() => promotionRoute(noStages, 'a', []))).toContain('none has `stage: production`');
  });
});


describe('targetHistory', () => {
  it('not promoted yet: the current release is the rollback point', () => {
    const history = targetHistory([rel(8, 'old', { current: true }), rel(7, 'older')], 'new');
    expect([history.current?.version, history.promoted, history.rollbackPoint?.version]).toEqual([8, undefined, 8]);
  });

  it('promoted by an earlier run (and a config change since): the rollback point is the newest release running other code', () => {
    const releases = [rel(10, 'new', { current: true }), rel(9, 'new'), rel(8, 'old'), rel(7, 'older')];
    const history = targetHistory(releases, 'new');
    expect([history.promoted?.version, history.rollbackPoint?.version]).toEqual([10, 8]);
  });

  it('a release of the slug still releasing counts as promoted; a failed one does not, nor one rolled back from', () => {
    const releasing = targetHistory([rel(9, 'new', { status: 'pending' }), rel(8, 'old', { current: true })], 'new');
    expect([releasing.promoted?.version, releasing.rollbackPoint?.version]).toEqual([9, 8]);
    const failed = targetHistory([rel(9, 'new', { status: 'failed' }), rel(8, 'old', { current: true })], 'new');
    expect([failed.promoted, failed.rollbackPoint?.version]).toEqual([undefined, 8]);
    const rolledBack = targetHistory([rel(10, 'old', { current: true }), rel(9, 'new'), rel(8, 'old')], 'new');
    expect([rolledBack.promoted, rolledBack.rollbackPoint?.version]).toEqual([undefined, 10]);
  });

  it('a release without code is a rollback point; nothing running other code leaves none', () => {
    expect(targetHistory([rel(3, 'new', { current: true }), rel(2, null)], 'new').rollbackPoint?.version).toBe(2);
    expect(targetHistory([rel(3, 'new', { current: true })], 'new').rollbackPoint).toBeUndefined();
  });
});
