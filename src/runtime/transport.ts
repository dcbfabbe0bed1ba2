import type { RetryBudget } from './budget.js';
import type { RetryPolicy } from './retry.js';

/** One finished HTTP exchange, for `--debug` logs and call counting. Never contains bodies. */
export interface HttpLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  /** The API's request id (Heroku `Request-Id`, Cloudflare `cf-ray`). */
  readonly requestId: string | undefined;
  readonly ms: number;
  readonly attempt: number;
  /**
   * `stale`: sent on a reused keep-alive connection the server had closed, and failed before any
   * answer; `fresh`: the resend of such a request, on a new connection. Absent otherwise.
   */
  readonly connection?: 'stale' | 'fresh';
}

/** The knobs and hooks every API client takes, besides its base URL and credentials. */
export interface ClientHooks {
  /** Requests in flight at once; each client documents its default. */
  readonly concurrency?: number;
  /** Deadline of one exchange, headers and whole body (budget.ts); each client documents its default. */
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  /** The command's retry budget, shared by its clients (budget.ts); none: retries are limited by count only. */
  readonly budget?: RetryBudget;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  readonly onHttp?: (entry: HttpLogEntry) => void;
  /** Told before each retry: what failed and when it is retried, and the wait in ms. */
  readonly onRetry?: (message: string, delayMs: number) => void;
  /** Told each time pacing holds requests back to stay inside the rate limit, and for how long (ms). */
  readonly onPace?: (message: string, waitMs: number) => void;
}
