import {
  AuthError,
  ConflictError,
  NotFoundError,
  ProviderError,
  RateLimitedError,
} from '../../runtime/errors.js';
import type { FailureClass } from '../../runtime/retry.js';

/** Response facts captured for one request (heroku-client does not attach headers to errors). */
export interface ResponseMeta {
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  /** `RateLimit-Remaining`, when the response had it. */
  remaining?: number;
  contentType?: string;
  /** `Next-Range`: the range of the list's next page; absent on its last page. */
  nextRange?: string;
  /** The request failed on a reused pooled connection the server had closed, before any answer (connections.ts). */
  staleConnection?: true;
}

/**
 * A response whose body is not what daffeinated reads from that endpoint (a field missing or of
 * the wrong type, a list for an object): `problem` says which field. Not retried: the same
 * request would get the same answer.
 */
export function unexpectedBody(what: string, problem: string, meta: ResponseMeta): ProviderError {
  return new ProviderError('heroku', `Heroku answered ${what} with an unexpected body: ${problem}`, {
    ...(meta.status === undefined ? {} : { status: meta.status }),
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    apiCode: 'unexpected_body',
    hint: 'The API or a proxy in between returned something daffeinated does not understand; nothing was changed because of it. Run the command again, and check status.heroku.com if it persists.',
  });
}

/**
 * Translates whatever heroku-client rejected with into a ProviderError subclass, exactly once.
 * `what` says what was being done (`GET /apps/x`), for the message; `url` is the request's full URL.
 */
export function translateHerokuError(error: unknown, meta: ResponseMeta, what: string, url?: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const raw = error as { statusCode?: number; body?: unknown; code?: string; message?: string };
  const status = raw.statusCode ?? meta.status;
  const body = typeof raw.body === 'object' && raw.body !== null ? (raw.body as { id?: unknown; message?: unknown }) : {};
  const apiCode = typeof body.id === 'string' ? body.id : undefined;
  const apiMessage = typeof body.message === 'string' ? body.message : undefined;
  const details = {
    ...(status === undefined ? {} : { status }),
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    ...(apiCode === undefined ? {} : { apiCode }),
    ...(url === undefined ? {} : { url }),
    cause: error,
  };
  if (error instanceof SyntaxError) {
    const html = (meta.contentType ?? '').includes('html');
    return new ProviderError('heroku', `Heroku answered ${what} with ${html ? 'an HTML page instead of JSON' : 'a body that is not valid JSON (cut short?)'}`, {
      ...details,
      hint: 'The API or a proxy in between returned something unexpected; retry, and check status.heroku.com.',
    });
  }
  if (status === undefined) {
    // Deadlines and cut bodies are exchange.ts's ProviderErrors already: this is a connection failure.
    const code = raw.code ?? 'network error';
    if (meta.staleConnection) {
      return new ProviderError('heroku', `Heroku closed the connection before answering ${what} (a kept-alive connection, reused): ${code}`, {
        ...details,
        apiCode: code,
        hint: 'The request may have reached Heroku; run the command again: daffeinated adopts what exists.',
      });
    }
    return new ProviderError('heroku', `Could not reach the Heroku API for ${what}: ${code}`, {
      ...details,
      apiCode: code,
      hint: 'Check the network and the API URL, then run the command again.',
    });
  }
  const message = `Heroku rejected ${what}: ${apiMessage ?? `HTTP ${status}${notJson(raw.body, meta)}`}`;
  if (status === 401) {
    return new AuthError('heroku', message, {
      ...details,
      hint: 'Set HEROKU_API_KEY to a valid token (`heroku auth:token`), or log in with `heroku login` so ~/.netrc has one.',
    });
  }
  if (status === 403) return new AuthError('heroku', message, { ...details, hint: 'The token lacks access to this resource.' });
  if (status === 404) {
    // Heroku's own 404s say `not_found`; anything else did not come from the API.
    const hint = apiCode === undefined ? 'This answer did not come from the Heroku API: check the API URL and any proxy in between.' : undefined;
    return new NotFoundError('heroku', message, { ...details, ...(hint === undefined ? {} : { hint }) });
  }
  if (status === 409 || (status === 422 && apiCode !== 'invalid_params')) return new ConflictError('heroku', message, details);
  if (status === 429) {
    return new RateLimitedError('heroku', message, {
      ...details,
      hint: 'The account used up its API rate limit (4,500 requests, refilled at ~75/min); wait a few minutes.',
    });
  }
  if (status >= 500) {
    return new ProviderError('heroku', message, {
      ...details,
      hint: 'Heroku failed to answer (a server error, retried where safe); run the command again, and check status.heroku.com if it persists.',
    });
  }
  return new ProviderError('heroku', message, details);
}

/** Says so when an error answer is not the API's JSON (an HTML page from a proxy or load balancer). */
function notJson(body: unknown, meta: ResponseMeta): string {
  if (typeof body !== 'string' || body.trim() === '') return '';
  const html = /^\s*</.test(body) || (meta.contentType ?? '').includes('html');
  return html ? ' (an HTML page, not an API answer: a proxy or an outage in between)' : ' (a body that is not JSON)';
}

/**
 * Connection failures after which the request may or may not have reached Heroku (or that are
 * worth another try): resent only when idempotent; creating POSTs re-read and reconcile instead.
 * DNS failures, unreachable networks and TLS errors are final. `timeout` and `response_cut` are
 * exchange.ts's: no complete answer within the deadline, a body cut short.
 */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'EAI_AGAIN', 'timeout', 'response_cut']);

/**
 * How the retry layer treats a translated error: 429 waits out Retry-After; 5xx and transient
 * connection failures are `transient`. heroku-client's own resending is switched off (client.ts),
 * so this is the only retry layer.
 */
export function classifyHerokuError(error: unknown, retryAfterMs: number | undefined): FailureClass {
  if (!(error instanceof ProviderError)) return { kind: 'fatal' };
  if (error.status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfterMs ?? 5_000 };
  if (error.status !== undefined && error.status >= 500) return { kind: 'transient' };
  if (error.status === undefined && error.apiCode !== undefined && TRANSIENT_NETWORK.has(error.apiCode)) return { kind: 'transient' };
  return { kind: 'fatal' };
}
