import { describe, expect, it } from 'vitest';
import { applyDriftIgnores } from '../../../src/engine/ignore.js';
import { buildPlan } from '../../../src/engine/plan.js';
import type { DriftIgnore } from '../../../src/model/config.js';
import { app, config, desiredState, liveState } from './builders.js';

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
