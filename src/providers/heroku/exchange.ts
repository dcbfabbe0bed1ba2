import type { ClientRequest, IncomingMessage } from 'node:http';
import { ProviderError } from '../../runtime/errors.js';
import { watchReuse } from './connections.js';
import type { ResponseMeta } from './errors.js';

/**
 * What every exchange with the Heroku API must satisfy before its body is believed, on top of
 * heroku-client 3.1.4 (pinned), which:
 * - collects the body with `data`/`end` listeners only, so a response cut mid-body (the socket
 *   closes before `Content-Length` bytes or the last chunk) never settles its promise: the
 *   process ended with exit 13, an unfinished top-level await, and no output;
 * - times out only an idle socket, so a body trickled a byte at a time never ends;
 * - parses an empty body (a 204, or a 200 with nothing in it) as `{}`, which reads as "no config
 *   vars" and plans every var as new (a generated secret rotated).
 * `guardCall` replaces the first two per call; `boundaryProblem` catches the third and the other
 * answers that are no answer (an error object with a 2xx status, a body that is not JSON).
 */

/** The per-call hooks of heroku-client's Request this module replaces (heroku-client 3.1.4). */
export interface GuardedCall {
  setRequestTimeout(req: ClientRequest): void;
  parseBody(text: string): unknown;
  reject(error: unknown): void;
}

/** What heroku-client resolves with for a 2xx answer without a body (in place of its `{}`). */
export const EMPTY_BODY: unique symbol = Symbol('empty body');

/**
 * Arms one call: the whole exchange (headers and body, each page of a listing) must be done
 * within `deadlineMs`, and a response that ends before its body is complete fails at once. Both
 * are lost answers (`timeout`, `response_cut`, no status): `classifyHerokuError` retries them for
 * idempotent requests, and a POST may have taken effect (`mayHaveHappened`). A failure on a pooled
 * connection the server had closed is marked in `meta` (`watchReuse`).
 */
export function guardCall(call: GuardedCall, what: string, deadlineMs: number, meta: ResponseMeta): void {
  call.parseBody = (text) => (text === '' ? EMPTY_BODY : JSON.parse(text));
  call.setRequestTimeout = (req) => {
    watchReuse(req, meta);
    const fail = (error: ProviderError) => {
      clearTimeout(timer);
      call.reject(error);
      req.destroy();
    };
    const timer = setTimeout(() => fail(timedOut(what, deadlineMs, meta)), deadlineMs);
    req.once('close', () => clearTimeout(timer));
    req.once('response', (res: IncomingMessage) => {
      // heroku-client listens for neither: without these a cut body is a promise never settled.
      res.once('error', () => fail(cut(what, meta)));
      res.once('close', () => {
        if (!res.complete) fail(cut(what, meta));
      });
    });
  };
}

/**
 * What is wrong with a 2xx answer as an API answer, or undefined: no body (204, or empty), a
 * body that is not JSON by its content type, or Heroku's error object (`{id, message}`) sent with
 * a success status. Checked for every request, before the endpoint's shape.
 */
export function boundaryProblem(body: unknown, meta: ResponseMeta): string | undefined {
  if (body === EMPTY_BODY) return meta.status === 204 ? 'no body at all (HTTP 204 No Content)' : 'the body is empty';
  const type = meta.contentType ?? '';
  if (!/[/+]json\b/i.test(type)) return `the body is of type ${type === '' ? 'unknown (no Content-Type)' : type}, not JSON`;
  if (isErrorObject(body)) {
    const { id, message } = body as { id: string; message: string };
    return `the body is an error (${id}: ${message}), not the answer`;
  }
  return undefined;
}

/** Heroku's error schema: `id` and `message`, maybe `url`, nothing else. */
function isErrorObject(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  const keys = Object.keys(fields);
  return (
    typeof fields['id'] === 'string' &&
    typeof fields['message'] === 'string' &&
    keys.every((key) => key === 'id' || key === 'message' || key === 'url')
  );
}

function timedOut(what: string, deadlineMs: number, meta: ResponseMeta): ProviderError {
  const where = meta.status === undefined ? 'no answer' : `an answer (HTTP ${meta.status}) not finished`;
  return lostAnswer(`Heroku gave ${where} to ${what} within ${seconds(deadlineMs)}`, 'timeout', meta);
}

function cut(what: string, meta: ResponseMeta): ProviderError {
  const status = meta.status === undefined ? '' : ` (HTTP ${meta.status})`;
  return lostAnswer(`Heroku's answer to ${what}${status} was cut off before the end of its body`, 'response_cut', meta);
}

function lostAnswer(message: string, apiCode: string, meta: ResponseMeta): ProviderError {
  return new ProviderError('heroku', message, {
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    apiCode,
    hint: 'The answer was lost on the way (network, proxy or API trouble); reads are retried, and running the same command again continues from what is live.',
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
