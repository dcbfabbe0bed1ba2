import { createHash } from 'node:crypto';
import { type AuthPolicy, bearerOrBasicToken } from '../auth.js';
import { header, payloadOf, type Reply, type SandboxRequest } from '../http.js';
import type { ReplyFault, Surface, SurfaceReply } from '../surface.js';
import type { World } from '../world.js';
import { herokuRouter } from './api/routes.js';
import { postgresRouter } from './pg/routes.js';
import type { HerokuRouter } from './protocol/context.js';
import { HerokuError, ROUTE_NOT_FOUND } from './protocol/errors.js';
import { acceptsVersion3, baseUrlOf, NOT_ACCEPTABLE_MESSAGE, requestIdFor } from './protocol/headers.js';
import type { RateLimiter } from './protocol/rate-limit.js';
import { advance } from './timed/clock.js';

/** Where the Heroku Postgres API's paths start (its own host on Heroku, api.data.heroku.com). */
const POSTGRES_PREFIX = '/client/v11/';

/**
 * The Heroku Platform API surface (everything outside `/client/v4`, `/client/v11` and
 * `/__sandbox`), or with `api: 'heroku-postgres'` the Heroku Postgres API (`/client/v11`, pg/):
 * two hosts on Heroku, one protocol, the same token and rate limit. Order of
 * checks: Accept (406) → credentials (401) → rate limit (429) → route (404) → JSON body (400 /
 * 413) → handler. Every response carries `Request-Id`; responses after authentication carry
 * `RateLimit-Remaining`; successful GETs carry an `ETag` and honour `If-None-Match` (304).
 */
export class HerokuSurface implements Surface {
  private readonly router: HerokuRouter;

  constructor(
    private readonly world: World,
    private readonly auth: AuthPolicy,
    private readonly rateLimiter: RateLimiter,
    readonly name: 'heroku' | 'heroku-postgres' = 'heroku',
  ) {
    this.router = name === 'heroku' ? herokuRouter() : postgresRouter();
  }

  owns(path: string): boolean {
    const postgres = path.startsWith(POSTGRES_PREFIX);
    if (this.name === 'heroku-postgres') return postgres;
    return !postgres && !path.startsWith('/client/v4') && !path.startsWith('/__sandbox');
  }

  handle(req: SandboxRequest): SurfaceReply {
    const requestId = requestIdFor(req.headers);
    const headers: Record<string, string> = { 'Request-Id': requestId };
    let reply: Reply;
    let error: string | undefined;
    const effects = { mutated: false };
    try {
      reply = this.process(req, headers, effects);
    } catch (e) {
      if (e instanceof HerokuError) reply = e.toReply();
      else {
        error = e instanceof Error ? e.message : String(e);
        reply = { status: 500, body: { id: 'internal_server_error', message: 'Internal server error.' } };
      }
    }
    const merged: Record<string, string> = { ...reply.headers, ...headers };
    const payload = payloadOf(reply);
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      reply.status >= 200 &&
      reply.status < 300 &&
      payload !== undefined
    ) {
      const etag = `"${createHash('sha1').update(payload).digest('hex')}"`;
      merged['ETag'] = etag;
      if (header(req.headers, 'if-none-match') === etag)
        return { status: 304, headers: merged, requestId, ...(effects.mutated ? { mutated: true } : {}) };
    }
    return {
      status: reply.status,
      ...(payload === undefined ? {} : { payload }),
      headers: merged,
      requestId,
      ...(error === undefined ? {} : { error }),
      ...(effects.mutated ? { mutated: true } : {}),
    };
  }

  faultReply(fault: ReplyFault, retryAfterSeconds: number, req: SandboxRequest): SurfaceReply {
    const requestId = requestIdFor(req.headers);
    const retry = { 'Retry-After': String(retryAfterSeconds) };
    switch (fault) {
      case 'rate_limit':
        return {
          status: 429,
          body: {
            id: 'rate_limit',
            message: 'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
          },
          headers: { 'Request-Id': requestId, 'RateLimit-Remaining': '0', ...retry },
          requestId,
        };
      case 'server_error':
        return {
          status: 500,
          body: { id: 'internal_server_error', message: 'Internal server error.' },
          headers: { 'Request-Id': requestId },
          requestId,
        };
      case 'unavailable':
        return {
          status: 503,
          body: { id: 'service_unavailable', message: 'API is temporarily unavailable. Please try again shortly.' },
          headers: { 'Request-Id': requestId, ...retry },
          requestId,
        };
    }
  }

  /**
   * Runs the protocol checks and the route; `headers` collects response headers to add. Timed work
   * that has come due is applied first (`effects.mutated` tells the server to persist it).
   */
  private process(req: SandboxRequest, headers: Record<string, string>, effects: { mutated: boolean }): Reply {
    if (!acceptsVersion3(req.headers)) throw new HerokuError(406, 'not_acceptable', NOT_ACCEPTABLE_MESSAGE);
    const token = bearerOrBasicToken(req.headers);
    if (!this.auth.accepts(token)) throw new HerokuError(401, 'unauthorized', 'Invalid credentials provided.');

    const match = this.router.match(req.method, req.path);
    if (match.kind !== 'found' || !match.handler.free) {
      const rate = this.rateLimiter.take(token);
      headers['RateLimit-Remaining'] = String(rate.remaining);
      if (!rate.allowed) {
        throw new HerokuError(
          429,
          'rate_limit',
          'Your account reached the API rate limit\nPlease wait a few minutes before making new requests',
          {},
          { 'Retry-After': String(rate.retryAfterSeconds) },
        );
      }
    }
    if (match.kind !== 'found') throw new HerokuError(404, 'not_found', ROUTE_NOT_FOUND);
    if (req.bodyTooLarge)
      throw new HerokuError(413, 'request_entity_too_large', 'Request body is too large (the limit is 1 MiB).');

    const body = parseJson(req.body);
    effects.mutated = advance(this.world);
    const reply = match.handler.handler({
      world: this.world,
      params: match.params,
      body,
      range: header(req.headers, 'range'),
      query: req.query,
      headers: req.headers,
      baseUrl: baseUrlOf(req.headers),
      token,
      rateLimiter: this.rateLimiter,
    });
    if (match.handler.free) headers['RateLimit-Remaining'] = String(this.rateLimiter.remaining(token));
    return reply;
  }
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HerokuError(400, 'bad_request', `Invalid JSON in request body: ${(e as Error).message}`);
  }
}
