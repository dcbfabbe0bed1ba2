import { describe, expect, it } from 'vitest';
import { LineTail, waitFor } from '../../../src/workflows/poll.js';
import { formatDuration, pollDelay, type Timing } from '../../../src/workflows/progress.js';

function clock(): Timing & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('waitFor', () => {
  it('polls with growing delays until done, reporting every value', async () => {
    const timing = clock();
    const seen: number[] = [];
    let n = 0;
    const value = await waitFor(async () => ++n, (v) => v === 4, { timing, timeoutMs: 60_000, what: 'x', hint: 'h', onValue: (v) => seen.push(v) });
    expect(value).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(timing.slept).toEqual([100, 200, 400]);
  });

  it('times out naming what it waited for, with the hint', async () => {
    const timing = clock();
    const error = await waitFor(async () => 'pending', () => false, { timing, timeoutMs: 5_000, what: 'build b1 of shop', hint: 'check it' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'Timed out after 5.0 s waiting for build b1 of shop', hint: 'check it' });
  });

  it('polls again as soon as the idle promise (an output stream) ends, cancelling the sleep', async () => {
    let streamEnded: () => void = () => {};
    const idle = new Promise<void>((resolve) => {
      streamEnded = resolve;
    });
    const aborted: number[] = [];
    const timing: Timing = {
      now: () => 0,
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          signal?.addEventListener('abort', () => {
            aborted.push(ms);
            resolve();
          });
          // The stream ends while the poll sleeps (up to 5 s between polls while it runs).
          streamEnded();
        }),
    };
    let n = 0;
    const value = await waitFor(async () => ++n, (v) => v === 2, { timing, timeoutMs: 60_000, what: 'x', hint: 'h', idle });
    expect(value).toBe(2);
    expect(aborted).toEqual([100]);
  });
});

describe('pacing and formatting', () => {
  it('pollDelay doubles from 100 ms up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 9].map((a) => pollDelay(a))).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
    expect(pollDelay(9, 5_000)).toBe(3_200);
  });

  it('formatDuration', () => {
    expect([0, 1234, 9999, 10_000, 59_400, 61_000, 3_725_000].map(formatDuration)).toEqual([
      '0.0 s',
      '1.2 s',
      '10.0 s',
      '10 s',
      '59 s',
      '1 min 01 s',
      '62 min 05 s',
    ]);
  });

  it('LineTail keeps the last lines', () => {
    const tail = new LineTail(2);
    for (const line of ['a', 'b', 'c']) tail.push(line);
    expect(tail.all).toEqual(['b', 'c']);
  });
});
