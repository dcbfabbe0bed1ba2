import pRetry, { AbortError } from 'p-retry';
import { RETRY_BUDGET_MS, type RetryBudget } from './budget.js';
import { assertNever } from './errors.js';

/**
 * How a failed attempt may be retried:
 * - `rate-limited`: the server refused before doing anything (429), so any request may be resent
 *   after `retryAfterMs`.
 * - `transient`: a 5xx or a broken connection: the request may or may not have taken effect, so
 *   only idempotent requests are resent; callers of non-idempotent ones must re-read and reconcile.
 * - `stale-connection`: the request was written to a pooled keep-alive connection the server had
 *   already closed, and not one byte of an answer came (Node's `request.reusedSocket` race). Resent
 *   at once, without backoff and without spending the retry budget — nothing failed on the server's
 *   side — for idempotent requests only: the server may have read it before closing. The client
 *   classifies at most one failure of a request so and resends it on a new connection.
 * - `fatal`: never retried.
 */
export type FailureClass =
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  | { readonly kind: 'transient' }
  | { readonly kind: 'stale-connection' }
  | { readonly kind: 'fatal' };

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff for transient failures: minDelayMs × 2^(n-1), capped at maxDelayMs, with jitter. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * The longest Retry-After waited out: a longer one is not slept through; the rate-limit error is
   * raised at once instead (see `onWaitTooLong`), saying when to retry.
   */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  minDelayMs: 250,
  maxDelayMs: 8_000,
  // Rate-limit waits are not spent from the retry budget, but none may be longer than it.
  maxRetryAfterMs: RETRY_BUDGET_MS,
};

export interface RetryOptions {
  /** True for GET/PUT/DELETE and PATCHes that set absolute values; false for creating POSTs. */
  readonly idempotent: boolean;
  readonly classify: (error: unknown) => FailureClass;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Deterministic jitter source in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown; reason: FailureClass['kind'] }) => void;
  /**
   * The command's retry budget: a transient failure (and the wait after it) is spent from it, and
   * is final once the budget would be exceeded. Rate-limit waits are the API working as agreed
   * and are not spent.
   */
  readonly budget?: RetryBudget;
  /** The error to raise instead of `error` when the budget, not the retry count, ended the retries. */
  readonly onBudgetSpent?: (error: unknown) => unknown;
  /**
   * The error to raise instead of a rate-limit `error` whose Retry-After (`retryAfterMs`) is longer
   * than the policy waits (`limitMs`): it should say when to retry.
   */
  readonly onWaitTooLong?: (error: unknown, wait: { readonly retryAfterMs: number; readonly limitMs: number }) => unknown;
  /**
   * When the failed attempt's exchange began, on the budget's clock (after any wait for a slot or
   * for the rate limit, which is not failing); default: when `operation` was called.
   */
  readonly attemptStartedAt?: () => number | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one retry layer of daffeinated. Runs `operation`; on failure consults `classify` and the
 * idempotency of the request. The final error is the operation's own (never wrapped).
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const budget = options.budget;
  return pRetry(
    async (attempt) => {
      const started = budget?.time();
      try {
        return await operation(attempt);
      } catch (error) {
        const failure = options.classify(error);
        if (failure.kind === 'rate-limited' && failure.retryAfterMs > policy.maxRetryAfterMs) {
          const wait = { retryAfterMs: failure.retryAfterMs, limitMs: policy.maxRetryAfterMs };
          throw new AbortError(asError(options.onWaitTooLong?.(error, wait) ?? error));
        }
        const retryable = failure.kind === 'rate-limited' || (failure.kind !== 'fatal' && options.idempotent);
        if (!retryable) throw new AbortError(asError(error));
        const delayMs = retryDelay(failure, attempt, policy, random);
        if (budget !== undefined && started !== undefined && failure.kind === 'transient' && attempt <= policy.retries) {
          budget.spend(options.attemptStartedAt?.() ?? started, budget.time());
          if (budget.wouldExceed(delayMs)) throw new AbortError(asError(options.onBudgetSpent?.(error) ?? error));
          budget.spend(budget.time(), budget.time() + delayMs);
        }
        throw new RetryableFailure(error, failure, delayMs);
      }
    },
    {
      retries: policy.retries,
      // Delays are computed here (Retry-After or backoff), so p-retry's own backoff is disabled.
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (!(error instanceof RetryableFailure) || retriesLeft === 0) return;
        options.onRetry?.({ attempt: attemptNumber, delayMs: error.delayMs, error: error.original, reason: error.failure.kind });
        await sleep(error.delayMs);
      },
    },
  ).catch((error: unknown) => {
    throw error instanceof RetryableFailure ? error.original : error;
  });
}

/** Retry-After for a 429, none for a stale connection, else exponential backoff with jitter. */
function retryDelay(failure: FailureClass, attempt: number, policy: RetryPolicy, random: () => number): number {
  switch (failure.kind) {
    case 'rate-limited':
      return failure.retryAfterMs;
    case 'stale-connection':
      return 0;
    case 'transient':
    case 'fatal':
      return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1)) * (1 + random() / 2);
    default:
      return assertNever(failure);
  }
}

/** Carries the original error through p-retry so the caller sees it unchanged. */
class RetryableFailure extends Error {
  readonly original: unknown;
  readonly failure: FailureClass;
  readonly delayMs: number;
  constructor(original: unknown, failure: FailureClass, delayMs: number) {
    super(original instanceof Error ? original.message : String(original));
    this.original = original;
    this.failure = failure;
    this.delayMs = delayMs;
  }
}

/** AbortError wants an Error or a message; p-retry rethrows the wrapped original, preserving class. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Parses an HTTP Retry-After header (seconds or HTTP date) into milliseconds; undefined if absent/invalid. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  // An HTTP date has a weekday and month name; bare numbers (e.g. "-3") are not dates.
  if (!/[a-z]/i.test(header)) return undefined;
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
