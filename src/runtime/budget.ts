import { ProviderError } from './errors.js';

/**
 * Time limits on talking to the APIs (README, "Time limits"):
 * - each exchange (one HTTP request: headers and the whole body) must finish within
 *   `REQUEST_DEADLINE_MS`, or it is cut and counts as a lost answer (retried when idempotent);
 * - each command has a `RetryBudget`: the wall-clock time during which any of its requests was
 *   failing (a failed attempt, then the wait before its retry) may add up to `RETRY_BUDGET_MS`;
 *   once spent, a failure is final instead of retried, and the error says so.
 * Together they bound how long a command keeps trying against an API that does not answer: a
 * read that never answers costs at most the budget plus one deadline, not retries × deadline.
 */

/**
 * The limit Heroku's router gives an app to start its answer (30 s, H12, Dev Center "Request
 * Timeout"). Platform API calls are short reads and writes: the slow work (building, provisioning
 * an add-on, promoting) is asynchronous, answered at once with a state to poll. An exchange not
 * done in 30 s is treated as lost.
 */
export const REQUEST_DEADLINE_MS = 30_000;

/**
 * Two minutes of failing: long enough to ride out a short outage or a burst of 5xx answers (the
 * default policy's six attempts wait about 10 s in all), short enough that a command against an
 * API that has stopped answering ends within a few minutes, naming the endpoint.
 */
export const RETRY_BUDGET_MS = 120_000;

/**
 * The time a command has spent failing: the union of the intervals during which one of its
 * requests was in a failed attempt or waiting to retry it. Concurrent failures overlap and count
 * once, so the figure is wall-clock time, however many requests fail together. Shared by every
 * client of one command.
 */
export class RetryBudget {
  /** Merged failing intervals [start, end], in ms, sorted by start. */
  private intervals: [number, number][] = [];

  constructor(
    readonly totalMs: number = RETRY_BUDGET_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The clock the budget measures with (attempts stamp their start with it). */
  time(): number {
    return this.now();
  }

  /** Records that a request was failing from `start` until `end` (its attempt, then its wait). */
  spend(start: number, end: number): void {
    let merged: [number, number] = [start, Math.max(start, end)];
    const kept: [number, number][] = [];
    for (const interval of this.intervals) {
      if (interval[1] < merged[0] || interval[0] > merged[1]) kept.push(interval);
      else merged = [Math.min(interval[0], merged[0]), Math.max(interval[1], merged[1])];
    }
    kept.push(merged);
    this.intervals = kept.sort((a, b) => a[0] - b[0]);
  }

  spentMs(): number {
    return this.intervals.reduce((sum, [start, end]) => sum + (end - start), 0);
  }

  /** Whether one more failing interval of `ms` (a retry's wait) would go past the budget. */
  wouldExceed(ms: number): boolean {
    return this.spentMs() + ms > this.totalMs;
  }
}

/**
 * `error` (a rate-limit refusal) saying that the API asked to wait longer than daffeinated sleeps
 * through (`limitMs`: a command must not hang silently for that long), and when to run the command
 * again: `now` plus the Retry-After. The error keeps its kind and details; its hint gains the time.
 */
export function waitTooLong(error: unknown, wait: { readonly retryAfterMs: number; readonly limitMs: number }, now: Date): unknown {
  if (!(error instanceof ProviderError)) return error;
  const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
  const at = new Date(now.getTime() + wait.retryAfterMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const Kind = error.constructor as typeof ProviderError;
  const note = `the API asks to wait ${seconds(wait.retryAfterMs)}, longer than daffeinated waits (${seconds(wait.limitMs)}): not waited`;
  const when = `Run the command again after ${at} (in ${seconds(wait.retryAfterMs)}).`;
  return new Kind(error.provider, `${error.message} (${note})`, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
    ...(error.address === undefined ? {} : { address: error.address }),
    hint: error.hint === undefined ? when : `${error.hint} ${when}`,
    cause: error.cause,
  });
}

/**
 * `error` saying that the budget, not the retry count, ended its retries (a ProviderError keeps
 * its kind, status, request id and code); anything else unchanged.
 */
export function budgetSpent(error: unknown, budget: RetryBudget): unknown {
  if (!(error instanceof ProviderError)) return error;
  const total = budget.totalMs >= 1000 ? `${Math.round(budget.totalMs / 1000)} s` : `${budget.totalMs} ms`;
  const note = `not retried: this command has spent its ${total} retry budget on failing requests`;
  const Kind = error.constructor as typeof ProviderError;
  return new Kind(error.provider, `${error.message} (${note})`, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
    ...(error.address === undefined ? {} : { address: error.address }),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error.cause,
  });
}
