import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, FaultPlan } from '../../../../src/sandbox/faults.js';
import { faultEffect, faultStep } from '../../../../src/sandbox/pipeline/fault.js';
import { fakeSurface, request } from './helpers.js';

describe('fault step', () => {
  it('injects exactly the faults its plan lists, by request number', () => {
    const plan = new FaultPlan(
      { failRequests: [2, { request: 3, kind: 'reset' }, { request: 5, kind: 'rate_limit' }], latencyMs: 7 },
      1,
    );
    const faults = [1, 2, 3, 4, 5].map((seq) => faultStep(plan, seq).fault);
    expect(faults).toEqual([undefined, 'server_error', 'reset', undefined, 'rate_limit']);
    expect(faultStep(plan, 1).delayMs).toBe(7);
  });

  it('draws rate-based faults from the seed: the same seed fails the same requests', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 200 },
        (_, i) => faultStep(new FaultPlan({ rates: { unavailable: 0.3 } }, seed), i + 1).fault,
      );
    const first = draw(42);
    expect(draw(42)).toEqual(first);
    const failed = first.filter((f) => f === 'unavailable').length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(90);
  });

  it("answers reply faults with the API's own error and its Retry-After, and passes the others through", () => {
    const { surface, faults } = fakeSurface('heroku', '/');
    const plan = new FaultPlan({ retryAfterSeconds: 9 }, 1);
    const effects = [undefined, ...FAULT_KINDS].map((fault) =>
      faultEffect({ ...faultStep(plan, 1), fault }, surface, request('GET', '/apps')),
    );
    expect(effects.map((e) => e.kind)).toEqual([
      'none',
      'reply',
      'reply',
      'reply',
      'reset',
      'reset_after',
      'reply',
      'spoil',
      'spoil',
      'spoil',
      'spoil',
      'spoil',
    ]);
    expect(effects[1]).toEqual({ kind: 'reply', reply: { status: 429, requestId: 'fault-rate_limit' } });
    // error_200: the API's own server error, sent with status 200.
    expect(effects[6]).toEqual({ kind: 'reply', reply: { status: 200, requestId: 'fault-server_error' } });
    expect(effects[7]).toEqual({ kind: 'spoil', fault: 'cut_length' });
    expect(faults).toEqual([
      { fault: 'rate_limit', retryAfter: 9 },
      { fault: 'server_error', retryAfter: 9 },
      { fault: 'unavailable', retryAfter: 9 },
      { fault: 'server_error', retryAfter: 9 },
    ]);
  });

  it('counts a failRequests entry with a path over the requests to that path only', () => {
    const plan = new FaultPlan({ failRequests: [{ request: 2, kind: 'empty_body', path: '/apps/a/config-vars' }], trickleMs: 3 }, 1);
    const paths = ['/apps/a/config-vars', '/apps/a', '/apps/a', '/apps/a/config-vars', '/apps/a/config-vars'];
    expect(paths.map((path, i) => faultStep(plan, i + 1, path).fault)).toEqual([undefined, undefined, undefined, 'empty_body', undefined]);
    expect(faultStep(plan, 6, '/apps/a').trickleMs).toBe(3);
  });
});
