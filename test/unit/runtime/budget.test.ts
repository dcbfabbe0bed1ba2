import { describe, expect, it } from 'vitest';
import { budgetSpent, RetryBudget } from '../../../src/runtime/budget.js';
import { NotFoundError, ProviderError } from '../../../src/runtime/errors.js';
import { type FailureClass, withRetry } from '../../../src/runtime/retry.js';

const POLICY = { retries: 5, minDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 10_000 };

/** withRetry on a fake clock: each attempt takes `attemptMs` and fails as `failures` say, then succeeds. */
function run(budget: RetryBudget, clock: { now: number }, failures: FailureClass[], attemptMs: number) {
  let calls = 0;
  const promise = withRetry(
    async () => {
      clock.now += attemptMs;
      const failure = failures[calls++];
      if (failure) throw Object.assign(new ProviderError('heroku', `attempt ${calls} failed`), { failure });
      return 'done';
    },
    {
      idempotent: true,
      classify: (e) => (e as { failure?: FailureClass }).failure ?? { kind: 'fatal' },
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0,
      policy: POLICY,
      budget,
      onBudgetSpent: (e) => budgetSpent(e, budget),
    },
  );
  return { promise, calls: () => calls };
}

describe('RetryBudget', () => {
  it('counts failures of requests running together once: wall-clock, not a sum', () => {
    const budget = new RetryBudget(1_000, () => 1_000);
    budget.spend(0, 400);
    budget.spend(100, 500);
    budget.spend(450, 600);
    expect(budget.spentMs()).toBe(600);
    budget.spend(900, 1_000);
    expect(budget.spentMs()).toBe(700);
    expect(budget.wouldExceed(300)).toBe(false);
    expect(budget.wouldExceed(301)).toBe(true);
  });

  it('ends the retries of transient failures once spent, and the error says so', async () => {
    const clock = { now: 0 };
    const budget = new RetryBudget(1_000, () => clock.now);
    const transient: FailureClass = { kind: 'transient' };
    const r = run(budget, clock, Array(6).fill(transient), 300);
    const error = await r.promise.catch((e: unknown) => e);
    // 300 + 100 + 300 + 100 + 300 = 1,100 > 1,000 before the third wait: three attempts, not six.
    expect(r.calls()).toBe(3);
    expect((error as Error).message).toBe('attempt 3 failed (not retried: this command has spent its 1 s retry budget on failing requests)');
  });

  it('does not spend rate-limit waits: the API working as agreed', async () => {
    const clock = { now: 0 };
    const budget = new RetryBudget(1_000, () => clock.now);
    const limited: FailureClass = { kind: 'rate-limited', retryAfterMs: 5_000 };
    const r = run(budget, clock, [limited, limited, limited], 10);
    await expect(r.promise).resolves.toBe('done');
    expect(budget.spentMs()).toBe(0);
  });

  it('keeps the kind, status, code and request id of the error it annotates', () => {
    const budget = new RetryBudget(120_000);
    const error = budgetSpent(new NotFoundError('heroku', 'gone', { status: 404, apiCode: 'not_found', requestId: 'r1', hint: 'h' }), budget);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, apiCode: 'not_found', requestId: 'r1', hint: 'h' });
    expect((error as Error).message).toBe('gone (not retried: this command has spent its 120 s retry budget on failing requests)');
  });
});
