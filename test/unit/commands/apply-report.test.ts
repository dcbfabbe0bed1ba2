import { describe, expect, it } from 'vitest';
import { applyResult } from '../../../src/commands/apply-report.js';
import type { Plan } from '../../../src/engine/types.js';
import { DaffError, PartialApplyError, ProviderError, UnsafePlanError } from '../../../src/runtime/errors.js';

const plan = { changes: [{ address: 'a' }, { address: 'b' }, { address: 'c' }] } as unknown as Plan;

describe('applyResult', () => {
  it('lists every change as applied after a converged run', () => {
    expect(applyResult(plan, { applied: ['a', 'b', 'c'] })).toEqual({ status: 'applied', applied: ['a', 'b', 'c'], failed: [], notAttempted: [] });
  });

  it('splits a partial apply into applied, failed (with the error) and not attempted', () => {
    const error = new PartialApplyError(['a'], [{ address: 'b', error: new ProviderError('heroku', 'Heroku rejected PATCH /apps/x', { status: 422 }) }], ['c']);
    expect(applyResult(plan, { error })).toEqual({
      status: 'failed',
      applied: ['a'],
      failed: [{ address: 'b', error: 'Heroku rejected PATCH /apps/x (HTTP 422)' }],
      notAttempted: ['c'],
    });
  });

  it('says nothing was applied, and why, when the run stopped before applying', () => {
    const refused = applyResult(plan, { error: new UnsafePlanError(['deleting heroku.app[staging]'], 'pass --allow-destroy') });
    expect(refused).toEqual({ status: 'not-applied', applied: [], failed: [], notAttempted: ['a', 'b', 'c'], error: 'Refusing to apply: deleting heroku.app[staging]' });
    expect(applyResult(plan, { error: new DaffError('first line\nsecond') }).error).toBe('first line');
  });
});
