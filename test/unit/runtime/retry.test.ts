import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../src/runtime/budget.js';
import { type FailureClass, parseRetryAfter, withRetry } from '../../../src/runtime/retry.js';

class Failure extends Error {
  constructor(readonly failure: FailureClass) {
    super(failure.kind);
  }
}

function run(failures: FailureClass[], idempotent: boolean, random = () => 0) {
  const sleeps: number[] = [];
  const retries: unknown[] = [];
  let calls = 0;
  const promise = withRetry(
    async () => {
      const failure = failures[calls++];
      if (failure) throw new Failure(failure);
      return 'done';
    },
    {
      idempotent,
      classify: (e) => (e instanceof Failure ? e.failure : { kind: 'fatal' }),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random,
      onRetry: (info) => retries.push(info),
      policy: { retries: 3, minDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 10_000 },
    },
  );
  return { promise, sleeps, retries, calls: () => calls };
}

describe('withRetry', () => {
  it('waits Retry-After for rate limits, also for non-idempotent requests', async () => {
    const r = run([{ kind: 'rate-limited', retryAfterMs: 2000 }], false);
    await expect(r.promise).resolves.toBe('done');
    expect(r.sleeps).toEqual([2000]);
  });

  it('backs off exponentially (capped) on transient failures of idempotent requests', async () => {
    const r = run([{ kind: 'transient' }, { kind: 'transient' }, { kind: 'transient' }], true);
    await expect(r.promise).resolves.toBe('done');
    expect(r.sleeps).toEqual([100, 200, 300]);
  });

  it('never resends a non-idempotent request after a transient failure', async () => {
    const r = run([{ kind: 'transient' }], false);
    await expect(r.promise).rejects.toBeInstanceOf(Failure);
    expect(r.calls()).toBe(1);
  });

  it('does not retry fatal errors and rethrows the original error', async () => {
    const r = run([{ kind: 'fatal' }], true);
    const error = await r.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Failure);
    expect(r.calls()).toBe(1);
  });

  it('refuses to wait longer than maxRetryAfterMs', async () => {
    const r = run([{ kind: 'rate-limited', retryAfterMs: 60_000 }], true);
    await expect(r.promise).rejects.toBeInstanceOf(Failure);
    expect(r.sleeps).toEqual([]);
  });

  it('stops after the retry budget with the last original error', async () => {
    const r = run(Array.from({ length: 10 }, () => ({ kind: 'transient' as const })), true);
    await expect(r.promise).rejects.toBeInstanceOf(Failure);
    expect(r.calls()).toBe(4);
    expect(r.sleeps).toHaveLength(3);
  });

  it('waits a Retry-After of exactly maxRetryAfterMs', async () => {
    const r = run([{ kind: 'rate-limited', retryAfterMs: 10_000 }], false);
    await expect(r.promise).resolves.toBe('done');
    expect(r.sleeps).toEqual([10_000]);
  });

  it('adds up to half the backoff as jitter', async () => {
    const r = run([{ kind: 'transient' }, { kind: 'transient' }], true, () => 0.5);
    await expect(r.promise).resolves.toBe('done');
    expect(r.sleeps).toEqual([125, 250]);
  });

  it('tells onRetry the attempt, the delay, the original error and why', async () => {
    const r = run([{ kind: 'rate-limited', retryAfterMs: 50 }, { kind: 'transient' }], true);
    await expect(r.promise).resolves.toBe('done');
    expect(r.retries).toEqual([
      { attempt: 1, delayMs: 50, error: expect.any(Failure), reason: 'rate-limited' },
      { attempt: 2, delayMs: 200, error: expect.any(Failure), reason: 'transient' },
    ]);
    expect((r.retries[0] as { error: Failure }).error.failure).toEqual({ kind: 'rate-limited', retryAfterMs: 50 });
  });

  it('resends an idempotent request at once after a stale connection, telling onRetry why', async () => {
    const r = run([{ kind: 'stale-connection' }, { kind: 'transient' }], true);
    await expect(r.promise).resolves.toBe('done');
    expect(r.calls()).toBe(3);
    expect(r.sleeps).toEqual([0, 200]);
    expect(r.retries).toEqual([
      { attempt: 1, delayMs: 0, error: expect.any(Failure), reason: 'stale-connection' },
      { attempt: 2, delayMs: 200, error: expect.any(Failure), reason: 'transient' },
    ]);
  });

  it('never resends a non-idempotent request after a stale connection', async () => {
    const r = run([{ kind: 'stale-connection' }], false);
    await expect(r.promise).rejects.toBeInstanceOf(Failure);
    expect(r.calls()).toBe(1);
  });

  it('spends nothing of the retry budget on a stale connection', async () => {
    let clock = 0;
    const budget = new RetryBudget(1_000, () => clock);
    let calls = 0;
    const result = withRetry(
      async () => {
        calls += 1;
        clock += 400;
        if (calls <= 3) throw new Failure({ kind: 'stale-connection' });
        return 'done';
      },
      {
        idempotent: true,
        classify: (e) => (e as Failure).failure,
        sleep: async () => {},
        budget,
        policy: { retries: 3, minDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 10_000 },
      },
    );
    await expect(result).resolves.toBe('done');
    expect(budget.spentMs()).toBe(0);
  });

  it('passes on what was thrown, also when it is not an Error', async () => {
    const transient = withRetry(
      async () => {
        throw 'socket hang up';
      },
      { idempotent: true, classify: () => ({ kind: 'transient' }), sleep: async () => {}, policy: { retries: 1, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } },
    );
    await expect(transient).rejects.toBe('socket hang up');
    const fatal = withRetry(
      async () => {
        throw 'bad request';
      },
      { idempotent: true, classify: () => ({ kind: 'fatal' }) },
    );
    await expect(fatal).rejects.toThrow('bad request');
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or invalid values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(' ', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
    expect(parseRetryAfter('12 12', now)).toBeUndefined();
    expect(parseRetryAfter('0', now)).toBe(0);
  });
});
