import type { ClientRequest, Agent as HttpAgent, IncomingMessage } from 'node:http';
import type Heroku from 'heroku-client';
import HerokuRequest from 'heroku-client/lib/request.js';
import { budgetSpent, REQUEST_DEADLINE_MS, waitTooLong } from '../../runtime/budget.js';
import { errorShows, ProviderError, scrubSecrets } from '../../runtime/errors.js';
import { createLimiter, type Limiter } from '../../runtime/limit.js';
import { BucketPacer } from '../../runtime/pacing.js';
import type { ClientHooks } from '../../runtime/transport.js';
import { parseRetryAfter, withRetry } from '../../runtime/retry.js';
import { type Shape, shapeProblem } from '../../runtime/shape.js';
import { type Connections, keepAliveAgents, type RequestTemplate } from './connections.js';
import { classifyHerokuError, type ResponseMeta, translateHerokuError, unexpectedBody } from './errors.js';
import { boundaryProblem, guardCall } from './exchange.js';
import { RATE_LIMITS } from './shapes.js';

/**
 * heroku-client resends any request after a broken connection or a timeout (up to 4 times, for
 * every method, not configurable), which would resend creating POSTs blindly — a second add-on,
 * a second build — and stack a second retry layer under ours. Its retry check is switched off for
 * the process: connection failures reach `withRetry`, which resends only idempotent requests.
 */
HerokuRequest.prototype.isRetryAllowed = () => false;

export type { HttpLogEntry } from '../../runtime/transport.js';

export { IDLE_CONNECTION_MS } from './connections.js';

/**
 * `timeoutMs` is the deadline of each exchange, headers and whole body (default
 * `REQUEST_DEADLINE_MS`, runtime/budget.ts). Concurrency defaults to 100: a plan reads every app in
 * one round (the account's listings and up to six requests per app, so 16 apps or more per round);
 * Heroku limits tokens, not connections, and the pacer keeps the token budget. The benchmark
 * measured a 20-app plan at ~7 rounds with 32.
 */
export interface HerokuClientOptions extends ClientHooks {
  /** API base URL, e.g. `https://api.heroku.com` or a sandbox's `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly userAgent: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  readonly body?: unknown;
  /**
   * Whether resending is safe after a 5xx, a lost answer or a stale pooled connection. Defaults:
   * GET/PUT/DELETE true (RFC 9110 §9.2.2), POST false, and PATCH true, which RFC 9110 does not
   * promise: every PATCH daffeinated sends sets absolute values — the app's attributes and
   * maintenance, config vars (null removes), formation quantities and sizes, an add-on's plan and
   * name, a feature's `enabled`, a coupling's stage — or asks ACM to validate again now
   * (`acm_refresh`), so sent twice it leaves what sent once does. A PATCH that adds, appends or
   * counts must pass `idempotent: false`.
   */
  readonly idempotent?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  /** Return only the first page (with the given Range header) instead of following Next-Range. */
  readonly partial?: boolean;
  /** What the response body must look like (shapes.ts); a body that does not fit is a ProviderError. */
  readonly shape?: Shape<unknown>;
  /** Told the successful answer's headers (`page` reads its `Next-Range`). */
  readonly onAnswer?: (meta: ResponseMeta) => void;
}

/** The per-call fields heroku-client's Request constructor sets (heroku-client 3.1.4, pinned). */
interface RequestCall {
  options: Heroku.RequestOptions;
  /** Shadows the template's pooled agent for a call that must go out on a new connection. */
  agent: HttpAgent;
  partial: boolean | undefined;
  middleware: (res: IncomingMessage, next: () => void) => void;
  nextRange: string;
  promise: Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  request(): Promise<unknown>;
  setRequestTimeout(req: ClientRequest): void;
  parseBody(text: string): unknown;
}

/**
 * The only importer of heroku-client. Adds what it lacks: Bearer auth, request ids and
 * RateLimit-Remaining captured per request, error translation, response shapes checked, the retry
 * policy (429 always, 5xx only for idempotent requests), pacing inside the rate limit (see
 * `BucketPacer`) and bounded concurrency. Lists follow `Next-Range` to the end.
 */
export class HerokuClient {
  /**
   * heroku-client's Request constructor reads every file of SSL_CERT_DIR and SSL_CERT_FILE,
   * synchronously, for every request (290 files, ~3 ms of blocked event loop per request on a
   * machine with a system store there), and makes a new Agent each time. One Request is built per
   * client as a template; each call is an object whose prototype is the template, with the fields
   * the constructor sets per call, so certificates are read once, with the same result. The
   * template's agent is then replaced by a keep-alive one (connections.ts).
   */
  private readonly template: HerokuRequest;
  /** The agents of all requests; undefined behind HEROKU_HTTP_PROXY_HOST (heroku-client's tunnel). */
  private readonly connections: Connections | undefined;
  private readonly base: Heroku.Options;
  private readonly limiter: Limiter;
  private readonly pacer: BucketPacer;
  private readonly options: HerokuClientOptions;
  /** Last `RateLimit-Remaining` seen; undefined until a response carried it. */
  rateLimitRemaining: number | undefined;

  constructor(options: HerokuClientOptions) {
    this.options = options;
    this.limiter = createLimiter(options.concurrency ?? 100);
    this.base = {
      host: options.baseUrl,
      token: options.token,
      userAgent: options.userAgent,
      headers: { Authorization: `Bearer ${options.token}` },
    };
    this.template = new HerokuRequest({ ...this.base, path: '/' });
    this.connections = keepAliveAgents(this.template as unknown as RequestTemplate);
    this.pacer = new BucketPacer({
      probe: () => this.rateLimitLevel(),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.now === undefined ? {} : { now: () => (options.now as () => Date)().getTime() }),
      ...(options.onPace === undefined ? {} : { onWait: options.onPace }),
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

  /**
   * One page of a list: `range` is the `Range` header (`id ..; max=1000` for the first page),
   * `nextRange` the answer's `Next-Range`, undefined on the last page.
   */
  async page<T>(path: string, range: string, shape?: Shape<unknown>): Promise<{ items: T[]; nextRange: string | undefined }> {
    let nextRange: string | undefined;
    const items = await this.request<T[]>('GET', path, {
      partial: true,
      headers: { Range: range },
      ...(shape === undefined ? {} : { shape }),
      onAnswer: (meta) => {
        nextRange = meta.nextRange;
      },
    });
    return { items, nextRange };
  }

  /**
   * GET that maps Heroku's own 404 (`{id: "not_found"}`) to undefined: the thing does not exist.
   * Any other 404 (an HTML page from a proxy, a wrong base URL) stays an error: read as "absent",
   * it would plan to create what exists. `shape` checks what it returns.
   */
  async find<T>(path: string, shape?: Shape<unknown>): Promise<T | undefined> {
    try {
      return await this.get<T>(path, shape === undefined ? {} : { shape });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404 && error.apiCode === 'not_found') return undefined;
      throw error;
    }
  }

  private request<T>(method: Method, path: string, options: RequestOptions, paced = true): Promise<T> {
    const what = `${method} ${path}`;
    const idempotent = options.idempotent ?? method !== 'POST';
    let lastRetryAfterMs: number | undefined;
    const budget = this.options.budget;
    let exchangeBegan: number | undefined;
    // A request that failed on a pooled connection the server had closed (connections.ts) is
    // resent once, at once, on a new connection; a later failure is an ordinary one.
    let stale: 'no' | 'last attempt' | 'resending' | 'resent' = 'no';
    // The free rate-limit probe runs while paced requests hold the limiter's slots: it takes none.
    const slot = <R>(task: () => Promise<R>) => (paced ? this.limiter.run(task) : task());
    return withRetry(
      (attempt) =>
        slot(async () => {
          const meta: ResponseMeta = {};
          let staleHere = false;
          const fresh = stale === 'resending';
          if (fresh) stale = 'resent';
          if (paced) await this.pacer.acquire();
          const started = performance.now();
          exchangeBegan = budget?.time();
          try {
            const body = await this.send(what, meta, fresh, {
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
            const problem = boundaryProblem(body, meta) ?? (options.shape === undefined ? undefined : shapeProblem(body, options.shape));
            if (problem !== undefined) throw unexpectedBody(what, problem, meta);
            options.onAnswer?.(meta);
            return body as T;
          } catch (error) {
            const translated = translateHerokuError(this.withoutToken(error), meta, what, `${this.options.baseUrl}${path}`);
            lastRetryAfterMs = meta.retryAfterMs;
            // The guard's own errors (a deadline, a cut body) close the request: not a stale connection.
            staleHere = meta.staleConnection === true && !(error instanceof ProviderError);
            if (staleHere && stale === 'no') stale = 'last attempt';
            throw translated;
          } finally {
            // A 429's level (0) is the retry layer's business: it waits Retry-After, not the pacer too.
            if (paced) this.pacer.release(meta.status === 429 ? undefined : meta.remaining);
            this.options.onHttp?.({
              method,
              path,
              status: meta.status,
              requestId: meta.requestId,
              ms: Math.round(performance.now() - started),
              attempt,
              ...(staleHere ? { connection: 'stale' as const } : fresh ? { connection: 'fresh' as const } : {}),
            });
          }
        }),
      {
        idempotent,
        classify: (error) => {
          if (stale !== 'last attempt') return classifyHerokuError(error, lastRetryAfterMs);
          stale = 'resending';
          return { kind: 'stale-connection' };
        },
        onWaitTooLong: (error, wait) => waitTooLong(error, wait, this.options.now?.() ?? new Date()),
        ...(budget === undefined
          ? {}
          : { budget, onBudgetSpent: (error: unknown) => budgetSpent(error, budget), attemptStartedAt: () => exchangeBegan }),
        ...(this.options.retryPolicy === undefined ? {} : { policy: this.options.retryPolicy }),
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
        onRetry: ({ attempt, delayMs, error, reason }) => {
          // Routine, not a failure worth a warning: the request log (--debug) shows it.
          if (reason === 'stale-connection') return;
          const status = error instanceof ProviderError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
          this.options.onRetry?.(
            `${what} ${reason === 'rate-limited' ? 'was rate limited' : 'failed'}${status}; retry ${attempt} in ${Math.round(delayMs)} ms`,
            delayMs,
          );
        },
      },
    );
  }

  /**
   * Closes the pooled connections. Optional: idle ones never keep the process alive (Node unrefs
   * them) and close after `IDLE_CONNECTION_MS`; requests after `close()` open new ones.
   */
  close(): void {
    this.connections?.pooled.destroy();
    this.connections?.fresh.destroy();
  }

  /**
   * What `Heroku#request` does (merge the client's options and headers into the call's), on the
   * template, with the call guarded (exchange.ts): a deadline on each exchange, a cut body an
   * error, an empty body told apart from `{}`. `fresh`: over a new connection, not a pooled one.
   */
  private send(what: string, meta: ResponseMeta, fresh: boolean, call: Heroku.RequestOptions): Promise<unknown> {
    const options: Heroku.RequestOptions = { ...this.base, ...call, headers: { ...this.base.headers, ...call.headers } };
    const request = Object.create(this.template) as RequestCall;
    request.options = options;
    if (fresh && this.connections !== undefined) request.agent = this.connections.fresh;
    request.partial = options.partial;
    request.middleware = options.middleware ?? ((_res, next) => next());
    request.nextRange = 'id ..; max=1000';
    guardCall(request, what, this.options.timeoutMs ?? REQUEST_DEADLINE_MS, meta);
    request.promise = new Promise((resolve, reject) => {
      request.resolve = resolve;
      request.reject = reject;
    });
    return request.request();
  }

  /**
   * What heroku-client or the network stack threw, kept as the cause (printed with --debug), may
   * quote the request, Authorization included: then only the facts translation reads are kept.
   */
  private withoutToken(error: unknown): unknown {
    const secrets = [this.options.token];
    if (!errorShows(error, secrets)) return error;
    const raw = error as { statusCode?: number; body?: unknown; code?: string; message?: string };
    const plain = new Error(scrubSecrets(raw.message ?? 'request failed', secrets));
    return Object.assign(plain, {
      ...(raw.statusCode === undefined ? {} : { statusCode: raw.statusCode }),
      ...(raw.code === undefined ? {} : { code: raw.code }),
      ...(raw.body === undefined ? {} : { body: raw.body }),
    });
  }

  /** `GET /account/rate-limits`: the bucket's level, free of charge; undefined when it cannot be read. */
  private async rateLimitLevel(): Promise<number | undefined> {
    try {
      const body = await this.request<{ remaining: number }>('GET', '/account/rate-limits', { shape: RATE_LIMITS }, false);
      return body.remaining;
    } catch {
      return undefined;
    }
  }

  private capture(res: IncomingMessage, meta: ResponseMeta): void {
    meta.status = res.statusCode;
    const type = res.headers['content-type'];
    if (typeof type === 'string') meta.contentType = type;
    const requestId = res.headers['request-id'];
    if (typeof requestId === 'string') meta.requestId = requestId;
    const remaining = Number(res.headers['ratelimit-remaining']);
    if (Number.isFinite(remaining) && res.headers['ratelimit-remaining'] !== undefined) {
      this.rateLimitRemaining = remaining;
      meta.remaining = remaining;
    }
    const nextRange = res.headers['next-range'];
    if (typeof nextRange === 'string') meta.nextRange = nextRange;
    const retryAfter = res.headers['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, this.options.now?.() ?? new Date());
    if (retryAfterMs !== undefined) meta.retryAfterMs = retryAfterMs;
  }
}
