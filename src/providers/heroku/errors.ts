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
}

/**
 * Translates whatever heroku-client rejected with into a ProviderError subclass, exactly once.
 * `what` says what was being done (`GET /apps/x`), for the message.
 */
export function translateHerokuError(error: unknown, meta: ResponseMeta, what: string): ProviderError {
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
    cause: error,
  };
  if (error instanceof SyntaxError) {
    return new ProviderError('heroku', `Heroku answered ${what} with a body that is not valid JSON`, {
      ...details,
      hint: 'The API or a proxy in between returned something unexpected; retry, and check status.heroku.com.',
    });
  }
  if (status === undefined) {
    const code = raw.code ?? 'network error';
    return new ProviderError('heroku', `Could not reach the Heroku API for ${what}: ${code}`, {
      ...details,
      apiCode: code,
      hint: 'Check the network and the API URL, then run the command again.',
    });
  }
  const message = `Heroku rejected ${what}: ${apiMessage ?? `HTTP ${status}`}`;
  if (status === 401) {
    return new AuthError('heroku', message, {
      ...details,
      hint: 'Set HEROKU_API_KEY to a valid token (`heroku auth:token`), or log in with `heroku login` so ~/.netrc has one.',
    });
  }
  if (status === 403) return new AuthError('heroku', message, { ...details, hint: 'The token lacks access to this resource.' });
  if (status === 404) return new NotFoundError('heroku', message, details);
  if (status === 409 || (status === 422 && apiCode !== 'invalid_params')) return new ConflictError('heroku', message, details);
  if (status === 429) {
    return new RateLimitedError('heroku', message, {
      ...details,
      hint: 'The account used up its API rate limit (4,500 requests, refilled at ~75/min); wait a few minutes.',
    });
  }
  return new ProviderError('heroku', message, details);
}

/**
 * How the retry layer treats a translated error. Connection-level failures are `fatal` here because
 * heroku-client has already retried them itself (4 times, for every method, not configurable):
 * retrying again would stack two retry layers. Callers of creating POSTs re-read and reconcile.
 */
export function classifyHerokuError(error: unknown, retryAfterMs: number | undefined): FailureClass {
  if (!(error instanceof ProviderError)) return { kind: 'fatal' };
  if (error.status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfterMs ?? 5_000 };
  if (error.status !== undefined && error.status >= 500) return { kind: 'transient' };
  return { kind: 'fatal' };
}
