import { type ClientRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import tls, { type SecureContext } from 'node:tls';
import type Heroku from 'heroku-client';
import HerokuRequest from 'heroku-client/lib/request.js';
import { budgetSpent, REQUEST_DEADLINE_MS, waitTooLong } from '../../runtime/budget.js';
import { errorShows, ProviderError, scrubSecrets } from '../../runtime/errors.js';
import { createLimiter, type Limiter } from '../../runtime/limit.js';
import { BucketPacer } from '../../runtime/pacing.js';
import type { ClientHooks } from '../../runtime/transport.js';
import { parseRetryAfter, withRetry } from '../../runtime/retry.js';
import { type Shape, shapeProblem } from '../../runtime/shape.js';
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

/**
 * How long a pooled connection may sit idle before the client closes it. A request written to a
 * connection the server is closing at that moment fails with ECONNRESET: idempotent requests are
 * resent (`withRetry`), POSTs are not — a reset, even on a reused connection before any response,
 * does not prove the server never read the request (RFC 9110 §9.2.2) — so the client must give
 * idle connections up before the server does. api.heroku.com does not document its idle timeout;
 * Heroku's Router 2.0 closes idle keep-alive connections after 90 s (Dev Center, "HTTP Routing",
 * Keepalives) and common server defaults are 5 s (Node.js, Apache, gunicorn); 4 s is below all of
 * them. Node shortens it further for a response announcing `Keep-Alive: timeout=N` (to N − 1 s).
 */
export const IDLE_CONNECTION_MS = 4_000;

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
  /** Whether resending after a 5xx is safe. Defaults: GET/PUT/DELETE/PATCH true, POST false. */
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

/** The fields of heroku-client's Request that the client replaces on its template. */
interface RequestTemplate {
  /** The agent every request passes to http(s).request. */
  agent: HttpAgent;
  /** CA certificates from SSL_CERT_FILE/SSL_CERT_DIR, passed as each request's `ca` when any. */
  certs: Buffer[];
  /** Whether the base URL is https (heroku-client's reading of it). */
  readonly secure: boolean;
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
   * template's agent is then replaced by a keep-alive one (`keepAliveAgent`).
   */
  private readonly template: HerokuRequest;
  /** The keep-alive agent of all requests; undefined behind HEROKU_HTTP_PROXY_HOST (heroku-client's tunnel). */
  private readonly agent: HttpAgent | undefined;
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
    this.agent = keepAliveAgent(this.template as unknown as RequestTemplate);
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
    // The free rate-limit probe runs while paced requests hold the limiter's slots: it takes none.
    const slot = <R>(task: () => Promise<R>) => (paced ? this.limiter.run(task) : task());
    return withRetry(
      (attempt) =>
        slot(async () => {
          const meta: ResponseMeta = {};
          if (paced) await this.pacer.acquire();
          const started = performance.now();
          exchangeBegan = budget?.time();
          try {
            const body = await this.send(what, meta, {
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
            });
          }
        }),
      {
        idempotent,
        classify: (error) => classifyHerokuError(error, lastRetryAfterMs),
        onWaitTooLong: (error, wait) => waitTooLong(error, wait, this.options.now?.() ?? new Date()),
        ...(budget === undefined
          ? {}
          : { budget, onBudgetSpent: (error: unknown) => budgetSpent(error, budget), attemptStartedAt: () => exchangeBegan }),
        ...(this.options.retryPolicy === undefined ? {} : { policy: this.options.retryPolicy }),
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
        onRetry: ({ attempt, delayMs, error, reason }) => {
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
    this.agent?.destroy();
  }

  /**
   * What `Heroku#request` does (merge the client's options and headers into the call's), on the
   * template, with the call guarded (exchange.ts): a deadline on each exchange, a cut body an
   * error, an empty body told apart from `{}`.
   */
  private send(what: string, meta: ResponseMeta, call: Heroku.RequestOptions): Promise<unknown> {
    const options: Heroku.RequestOptions = { ...this.base, ...call, headers: { ...this.base.headers, ...call.headers } };
    const request = Object.create(this.template) as RequestCall;
    request.options = options;
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

/**
 * heroku-client gives each Request a new `http(s).Agent` without keep-alive, so every request
 * opened a TCP connection (and a TLS handshake against api.heroku.com). With CA certificates it
 * also passes them as each request's `ca`: Node then builds a TLS context per connection (~80 ms
 * of blocked event loop each with a 290-file SSL_CERT_DIR) and puts every certificate's text into
 * the pool key of every request. This installs one keep-alive agent per client on the template
 * instead, of the same kind (https by heroku-client's reading of the base URL) and socket limit;
 * the certificates go into one TLS context, built at the first connection, and no longer into the
 * requests. Without them Node's default CA store is used, as before.
 *
 * Behind HEROKU_HTTP_PROXY_HOST heroku-client tunnels through the proxy with an agent of its own:
 * kept as it is, so undefined is returned.
 */
function keepAliveAgent(template: RequestTemplate): HttpAgent | undefined {
  // heroku-client's proxy tunnel (tunnel-agent) is not a Node Agent; its own agents are.
  const built: unknown = template.agent;
  if (!(built instanceof HttpAgent)) return undefined;
  const options = {
    keepAlive: true,
    // The most recently used connection first: the least likely to be closing on the server.
    scheduling: 'lifo' as const,
    // Node applies it to a connection when it goes back to the pool; a request in flight has its
    // deadline (`timeoutMs`, exchange.ts).
    timeout: IDLE_CONNECTION_MS,
    // heroku-client's limit (HEROKU_CLIENT_MAX_SOCKETS, else 5,000), as it set it on its agent.
    maxSockets: built.maxSockets,
  };
  const agent: HttpAgent = template.secure ? new HttpsAgent(options) : new HttpAgent(options);
  const certs = template.certs;
  if (template.secure && certs.length > 0) {
    let context: SecureContext | undefined;
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (connection, callback) => {
      context ??= tls.createSecureContext({ ca: certs });
      return connect(Object.assign({}, connection, { secureContext: context }), callback);
    };
  }
  template.certs = [];
  template.agent = agent;
  return agent;
}
