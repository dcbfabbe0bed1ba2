import type { IncomingMessage } from 'node:http';
import Heroku from 'heroku-client';
import HerokuRequest from 'heroku-client/lib/request.js';
import { ProviderError } from '../../runtime/errors.js';
import { createLimiter, type Limiter } from '../../runtime/limit.js';
import { parseRetryAfter, type RetryPolicy, withRetry } from '../../runtime/retry.js';
import { classifyHerokuError, type ResponseMeta, translateHerokuError } from './errors.js';

/**
 * heroku-client resends any request after a broken connection or a timeout (up to 4 times, for
 * every method, not configurable), which would resend creating POSTs blindly — a second add-on,
 * a second build — and stack a second retry layer under ours. Its retry check is switched off for
 * the process: connection failures reach `withRetry`, which resends only idempotent requests.
 */
HerokuRequest.prototype.isRetryAllowed = () => false;

/** One finished HTTP exchange, for `--debug` logs and call counting. Never contains bodies. */
export interface HttpLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly ms: number;
  readonly attempt: number;
}

export interface HerokuClientOptions {
  /** API base URL, e.g. `https://api.heroku.com` or a sandbox's `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly userAgent: string;
  /**
   * Requests in flight at once (default 32): a plan reads every kind of every app in one round
   * (nine requests per app), and Heroku limits requests per hour, not connections.
   */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => Date;
  readonly onHttp?: (entry: HttpLogEntry) => void;
  readonly onRetry?: (message: string) => void;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  readonly body?: unknown;
  /** Whether resending after a 5xx is safe. Defaults: GET/PUT/DELETE/PATCH true, POST false. */
  readonly idempotent?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** Return only the first page (with the given Range header) instead of following Next-Range. */
  readonly partial?: boolean;
}

/**
 * The only importer of heroku-client. Adds what it lacks: Bearer auth, request ids and
 * RateLimit-Remaining captured per request, error translation, the retry policy (429 always,
 * 5xx only for idempotent requests) and bounded concurrency. Lists follow `Next-Range` to the end.
 */
export class HerokuClient {
  private readonly heroku: Heroku;
  private readonly limiter: Limiter;
  private readonly options: HerokuClientOptions;
  /** Last `RateLimit-Remaining` seen; undefined until a response carried it. */
  rateLimitRemaining: number | undefined;

  constructor(options: HerokuClientOptions) {
    this.options = options;
    this.limiter = createLimiter(options.concurrency ?? 32);
    this.heroku = new Heroku({
      host: options.baseUrl,
      token: options.token,
      userAgent: options.userAgent,
      timeout: options.timeoutMs ?? 60_000,
      headers: { Authorization: `Bearer ${options.token}` },
    });
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, options);
  }
  patch<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, options);
  }
  put<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, options);
  }
  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /** GET that maps 404 to undefined (the thing does not exist). */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return undefined;
      throw error;
    }
  }

  private request<T>(method: Method, path: string, options: RequestOptions): Promise<T> {
    const what = `${method} ${path}`;
    const idempotent = options.idempotent ?? method !== 'POST';
    let lastRetryAfterMs: number | undefined;
    return withRetry(
      (attempt) =>
        this.limiter.run(async () => {
          const meta: ResponseMeta = {};
          const started = performance.now();
          try {
            return await this.heroku.request<T>({
              method,
              path,
              ...(options.body === undefined ? {} : { body: options.body }),
              ...(options.headers === undefined ? {} : { headers: { ...options.headers } }),
              ...(options.partial ? { partial: true } : {}),
              middleware: (res: IncomingMessage, next: () => void) => {
                this.capture(res, meta);
                next();
              },
            });
          } catch (error) {
            const translated = translateHerokuError(error, meta, what);
            lastRetryAfterMs = meta.retryAfterMs;
            throw translated;
          } finally {
            this.options.onHttp?.({
              method,
              path,
              status: meta.status,
              requestId: meta.requestId,
              ms: Math.round(performance.now() - started),
              attempt,
            });
          }
        }),
      {
        idempotent,
        classify: (error) => classifyHerokuError(error, lastRetryAfterMs),
        ...(this.options.retryPolicy === undefined ? {} : { policy: this.options.retryPolicy }),
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
        onRetry: ({ attempt, delayMs, error, reason }) => {
          const status = error instanceof ProviderError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
          this.options.onRetry?.(
            `${what} ${reason === 'rate-limited' ? 'was rate limited' : 'failed'}${status}; retry ${attempt} in ${Math.round(delayMs)} ms`,
          );
        },
      },
    );
  }

  private capture(res: IncomingMessage, meta: ResponseMeta): void {
    meta.status = res.statusCode;
    const requestId = res.headers['request-id'];
    if (typeof requestId === 'string') meta.requestId = requestId;
    const remaining = Number(res.headers['ratelimit-remaining']);
    if (Number.isFinite(remaining) && res.headers['ratelimit-remaining'] !== undefined) this.rateLimitRemaining = remaining;
    const retryAfter = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, this.options.now?.() ?? new Date());
    if (retryAfterMs !== undefined) meta.retryAfterMs = retryAfterMs;
  }
}
