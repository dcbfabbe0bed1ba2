import { describe, expect, it } from 'vitest';
import { BucketPacer, FIRST_BURST, WindowPacer } from '../../../src/runtime/pacing.js';

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('BucketPacer (Heroku RateLimit-Remaining)', () => {
  it('lets requests go while the level is unknown or leaves a token, counting those in flight', async () => {
    const time = fakeTime();
    const pacer = new BucketPacer({ probe: async () => 0, ...time });
    await pacer.acquire();
    pacer.release(3);
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    let fourth = false;
    const waiting = pacer.acquire().then(() => {
      fourth = true;
    });
    await Promise.resolve();
    expect(fourth).toBe(false);
    // A level of 2 with 3 still in flight (that may not have counted yet) leaves nothing: wait.
    pacer.release(2);
    await Promise.resolve();
    expect(fourth).toBe(false);
    pacer.release(2);
    await waiting;
    expect(fourth).toBe(true);
    expect(time.sleeps).toEqual([]);
  });

  it('before any answer lets FIRST_BURST requests go, the rest after the first answer as its level allows', async () => {
    const pacer = new BucketPacer({ probe: async () => 0, ...fakeTime() });
    for (let i = 0; i < FIRST_BURST; i++) await pacer.acquire();
    let went = 0;
    const rest = Array.from({ length: 10 }, () => pacer.acquire().then(() => went++));
    await Promise.resolve();
    expect(went).toBe(0);
    // The first answer: 25 tokens left, FIRST_BURST − 1 = 19 still in flight: 6 more may go.
    pacer.release(25);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(went).toBe(6);
    for (let i = 0; i < 4; i++) pacer.release(25);
    await Promise.all(rest);
    expect(went).toBe(10);
  });

  it('an answer without a level lifts the first-burst bound (nothing to pace by)', async () => {
    const pacer = new BucketPacer({ probe: async () => 0, ...fakeTime() });
    for (let i = 0; i < FIRST_BURST; i++) await pacer.acquire();
    const more = Array.from({ length: 50 }, () => pacer.acquire());
    pacer.release(undefined);
    await Promise.all(more);
  });

  it('on an empty bucket with nothing in flight: waits a token at the published rate, probes for free, then waits at the measured rate', async () => {
    const time = fakeTime();
    const waits: string[] = [];
    const levels = [5, 20];
    const pacer = new BucketPacer({ probe: async () => levels.shift(), onWait: (m, ms) => waits.push(`${m} [${ms}]`), ...time });
    await pacer.acquire();
    pacer.release(0);
    await pacer.acquire();
    // 75/min is one token per 800 ms; 5 tokens came in those 800 ms: 6.25 per second.
    expect(time.sleeps).toEqual([800]);
    pacer.release(0);
    // Four requests at once need four tokens: 640 ms at 6.25 per second.
    const queued = [pacer.acquire(), pacer.acquire(), pacer.acquire(), pacer.acquire()];
    await Promise.all(queued);
    expect(time.sleeps).toEqual([800, 640]);
    expect(waits[0]).toMatch(/^Heroku rate limit: 0 request\(s\) left; waiting 800 ms for the bucket to refill \(75\/min assumed\) \[800\]$/);
    expect(waits[1]).toMatch(/waiting 640 ms .*\(375\/min measured\)/);
  });

  it('a probe that fails lets one request through (the retry layer waits out a 429)', async () => {
    const time = fakeTime();
    const pacer = new BucketPacer({ probe: async () => undefined, ...time });
    await pacer.acquire();
    pacer.release(0);
    await pacer.acquire();
    expect(time.sleeps).toEqual([800]);
  });

  it('never sleeps less than 50 ms between probes, nor more than maxWaitMs; an empty bucket for maxStarveMs lets one request go', async () => {
    const time = fakeTime();
    const levels = [1000];
    const pacer = new BucketPacer({ probe: async () => levels.shift() ?? 0, maxWaitMs: 5_000, maxStarveMs: 20_000, ...time });
    await pacer.acquire();
    pacer.release(0);
    await pacer.acquire();
    pacer.release(0);
    // A measured 1.25 tokens/ms would mean a wait under 1 ms: it is 50. Then nothing refills.
    await pacer.acquire();
    expect(time.sleeps[1]).toBe(50);
    expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(5_000);
    expect(time.now()).toBeGreaterThanOrEqual(20_000);
  });
});

describe('WindowPacer (Cloudflare 1,200 per 5 minutes)', () => {
  it('counts answered and in-flight requests in the window and waits for the oldest to leave it', async () => {
    const time = fakeTime();
    const waits: string[] = [];
    const pacer = new WindowPacer({ quota: 3, windowMs: 1_000, onWait: (m) => waits.push(m), ...time });
    for (let i = 0; i < 3; i++) {
      await pacer.acquire();
      pacer.release();
      time.advance(100);
    }
    await pacer.acquire();
    // The first answer (at 0 ms) leaves the window at 1,000 ms; it is 300 ms now.
    expect(time.sleeps).toEqual([701]);
    expect(waits).toEqual(['Cloudflare rate limit: 3 of 3 requests used in the last 1 s; waiting 701 ms']);
  });

  it('learns quota and window from Ratelimit-Policy, and other users of the token from Ratelimit', async () => {
    const time = fakeTime();
    const pacer = new WindowPacer({ ...time });
    await pacer.acquire();
    // The server allows 10 per 60 s and says only 2 are left (someone else used 7), for 30 s.
    pacer.release({ quota: 10, windowSeconds: 60, remaining: 2, resetSeconds: 30 });
    await pacer.acquire();
    pacer.release();
    await pacer.acquire();
    pacer.release();
    await pacer.acquire();
    expect(time.sleeps).toEqual([30_001]);
  });
});
