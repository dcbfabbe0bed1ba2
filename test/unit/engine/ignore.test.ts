import { describe, expect, it } from 'vitest';
import { applyDriftIgnores, pricedAsAccepted, withRepricedCost } from '../../../src/engine/ignore.js';
import { buildPlan } from '../../../src/engine/plan.js';
import type { DriftIgnore } from '../../../src/model/config.js';
import { aResource, app, config, desiredState, liveState } from './builders.js';

const today = new Date('2026-11-22T08:00:00Z');
const at = { file: 'app.yaml', line: 40, col: 7 };

function driftPlan() {
  return buildPlan(
    desiredState([app('staging', { maintenance: false }), config('staging', { NODE_ENV: 'production', LOG_LEVEL: 'info' })]),
    liveState([app('staging', { maintenance: true }), config('staging', { NODE_ENV: 'development', LOG_LEVEL: 'debug' })]),
    ['staging'],
    { digestKey: 'k' },
  );
}

const ignore = (target: string, extra: Partial<DriftIgnore> = {}): DriftIgnore => ({
  target,
  reason: 'incident 42: debugging',
  expires: undefined,
  source: at,
  ...extra,
});

describe('applyDriftIgnores', () => {
  it('accepts a whole address and recomputes the summary', () => {
    const plan = applyDriftIgnores(driftPlan(), [ignore('heroku.app[staging]')], today);
    expect(plan.changes.map((c) => c.address)).toEqual(['heroku.config[staging]']);
    expect(plan.summary).toEqual({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(plan.accepted).toEqual([{ address: 'heroku.app[staging]', reason: 'incident 42: debugging', source: at }]);
    expect(plan.diagnostics).toEqual([]);
  });

  it('accepts one attribute and keeps the rest of the change', () => {
    const plan = applyDriftIgnores(driftPlan(), [ignore('heroku.config[staging].LOG_LEVEL', { expires: '2026-11-22' })], today);
    const configChange = plan.changes.find((c) => c.address === 'heroku.config[staging]');
    expect(configChange?.diffs.map((d) => d.attribute)).toEqual(['NODE_ENV']);
    expect(plan.accepted).toEqual([
      { address: 'heroku.config[staging]', attribute: 'LOG_LEVEL', reason: 'incident 42: debugging', expires: '2026-11-22', source: at },
    ]);
  });

  it('drops a change whose every attribute is accepted', () => {
    const plan = applyDriftIgnores(
      driftPlan(),
      [ignore('heroku.config[staging].LOG_LEVEL'), ignore('heroku.config[staging].NODE_ENV'), ignore('heroku.app[staging].maintenance')],
      today,
    );
    expect(plan.changes).toEqual([]);
    expect(plan.accepted).toHaveLength(3);
  });

  it('counts an expired entry as drift again, with a located warning', () => {
    const plan = applyDriftIgnores(driftPlan(), [ignore('heroku.app[staging]', { expires: '2026-11-21' })], today);
    expect(plan.changes.map((c) => c.address)).toContain('heroku.app[staging]');
    expect(plan.accepted).toEqual([]);
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('expired on 2026-11-21'), line: 40 }),
    ]);
  });

  it('reports an entry that matches nothing as stale', () => {
    const plan = applyDriftIgnores(driftPlan(), [ignore('heroku.app[production]')], today);
    expect(plan.changes).toHaveLength(2);
    expect(plan.diagnostics).toEqual([expect.objectContaining({ message: 'drift.ignore entry heroku.app[production] matches no drift' })]);
  });
});

describe('the cost of drift less what drift.ignore accepts', () => {
  const formation = (quantity: number, size: string) => aResource('heroku.formation', 'staging', 'web', { type: 'web', quantity, size });
  /** Live: a dashboard scale-up to 3 × standard-2x of 1 × basic, and a maintenance flag; priced. */
  function pricedPlan() {
    const plan = buildPlan(
      desiredState([app('staging', { maintenance: false }), formation(1, 'basic')]),
      liveState([app('staging', { maintenance: true }), formation(3, 'standard-2x')]),
      ['staging'],
      { digestKey: 'k' },
    );
    const line = { address: 'heroku.formation[staging/web]', before: '3 × standard-2x', after: '1 × basic', beforeCents: 15_000, afterCents: 700 };
    return { ...plan, cost: { lines: [line], deltaCents: -14_300, unpriced: [{ address: 'heroku.app[staging]', reason: 'no price' }] } };
  }

  it('leaves out the cost of an accepted change, wholly or by every attribute', () => {
    const whole = applyDriftIgnores(pricedPlan(), [ignore('heroku.formation[staging/web]')], today);
    expect(whole.cost).toEqual({ lines: [], deltaCents: 0, unpriced: [{ address: 'heroku.app[staging]', reason: 'no price' }] });
    const byAttribute = applyDriftIgnores(pricedPlan(), [ignore('heroku.formation[staging/web].quantity'), ignore('heroku.formation[staging/web].size'), ignore('heroku.app[staging]')], today);
    expect(byAttribute.cost).toEqual({ lines: [], deltaCents: 0, unpriced: [] });
  });

  it('prices a change with accepted attributes as if app.yaml declared their live values', () => {
    const plan = applyDriftIgnores(pricedPlan(), [ignore('heroku.formation[staging/web].size')], today);
    const repriced = pricedAsAccepted(plan);
    expect(repriced.map((c) => [c.address, c.action === 'update' ? c.after.attributes : undefined])).toEqual([
      ['heroku.formation[staging/web]', { type: 'web', quantity: 1, size: 'standard-2x' }],
    ]);
    const line = { address: 'heroku.formation[staging/web]', before: '3 × standard-2x', after: '1 × standard-2x', beforeCents: 15_000, afterCents: 5_000 };
    const priced = withRepricedCost(plan, repriced, { lines: [line], deltaCents: -10_000, unpriced: [] });
    expect(priced.cost).toEqual({ lines: [line], deltaCents: -10_000, unpriced: [{ address: 'heroku.app[staging]', reason: 'no price' }] });
    expect(pricedAsAccepted(applyDriftIgnores(pricedPlan(), [ignore('heroku.app[staging]')], today))).toEqual([]);
  });
});
