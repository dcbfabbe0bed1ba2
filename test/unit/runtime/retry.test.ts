import { describe, expect, it } from 'vitest';
import { type FailureClass, parseRetryAfter, withRetry } from '../../../src/runtime/retry.js';

class Failure extends Error {
  constructor(readonly failure: FailureClass) {
    super(failure.kind);
  }
}

function run(failures: FailureClass[], idempotent: boolean) {
  const sleeps: number[] = [];
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
      random: () => 0,
      policy: { retries: 3, minDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 10_000 },
    },
  );
  return { promise, sleeps, calls: () => calls };
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
  });
});
