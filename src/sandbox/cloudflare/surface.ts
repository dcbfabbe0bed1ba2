import { randomBytes } from 'node:crypto';
import type { AuthPolicy } from '../auth.js';
import type { Reply, SandboxRequest } from '../http.js';
import type { ReplyFault, Surface, SurfaceReply } from '../surface.js';
import type { World } from '../world.js';
import type { CloudflareRouter } from './context.js';
import { authenticate } from './credentials.js';
import { CloudflareError, failureBody, ROUTE_NOT_FOUND } from './errors.js';
import type { CloudflareRateLimiter } from './rate-limit.js';
import { cloudflareRouter } from './routes.js';
import { advance } from '../heroku/timed/clock.js';

export const CLOUDFLARE_PREFIX = '/client/v4';
const THROTTLED = { code: 971, message: 'Please wait and consider throttling your request speed' };

/**
 * The Cloudflare API v4 surface under `/client/v4`. Order of checks: credentials (400/403) →
 * rate limit (429, code 971) → route (404 code 7000; a known path with another method is 405) →
 * body size (413) → JSON (400, code 6007) → handler. Every answer is the v4 envelope and carries
 * a `cf-ray` id (also the request log's request id); answers past the credentials check carry
 * the `Ratelimit` and `Ratelimit-Policy` headers.
 */
export class CloudflareSurface implements Surface {
  readonly name = 'cloudflare';
  private readonly router: CloudflareRouter = cloudflareRouter();

  constructor(
    private readonly world: World,
    private readonly auth: AuthPolicy,
    private readonly limiter: CloudflareRateLimiter,
  ) {}

  owns(path: string): boolean {
    return path === CLOUDFLARE_PREFIX || path.startsWith(`${CLOUDFLARE_PREFIX}/`);
  }

  handle(req: SandboxRequest): SurfaceReply {
    const requestId = ray();
    const headers: Record<string, string> = { 'cf-ray': requestId };
    let reply: Reply;
    let error: string | undefined;
    try {
      reply = this.process(req, headers);
    } catch (e) {
      if (e instanceof CloudflareError) reply = e.toReply();
      else {
        error = e instanceof Error ? e.message : String(e);
        reply = { status: 500, body: failureBody([{ code: 10002, message: 'An unknown error has occurred' }]) };
      }
    }
    return {
      status: reply.status,
      body: reply.body,
      headers: { ...reply.headers, ...headers },
      requestId,
      ...(error === undefined ? {} : { error }),
    };
  }

  faultReply(fault: ReplyFault, retryAfterSeconds: number): SurfaceReply {
    const requestId = ray();
    const retry = { 'Retry-After': String(retryAfterSeconds), 'cf-ray': requestId };
    switch (fault) {
      case 'rate_limit':
        return { status: 429, body: failureBody([THROTTLED]), headers: retry, requestId };
      case 'server_error':
        return {
          status: 500,
          body: failureBody([{ code: 10002, message: 'An unknown error has occurred' }]),
          headers: { 'cf-ray': requestId },
          requestId,
        };
      case 'unavailable':
        return {
          status: 503,
          body: failureBody([{ code: 10002, message: 'Service temporarily unavailable' }]),
          headers: retry,
          requestId,
        };
    }
  }

  private process(req: SandboxRequest, headers: Record<string, string>): Reply {
    const who = authenticate(req.headers, this.auth);
    const rate = this.limiter.take(who);
    Object.assign(headers, rate.headers);
    if (!rate.allowed) throw new CloudflareError(429, THROTTLED);

    const path = req.path.slice(CLOUDFLARE_PREFIX.length) || '/';
    const match = this.router.match(req.method, path);
    if (match.kind === 'none') throw new CloudflareError(404, ROUTE_NOT_FOUND);
    if (match.kind === 'wrong-method') {
      throw new CloudflareError(
        405,
        { code: 10000, message: `${req.method} method not allowed for the api_token authentication scheme` },
        { Allow: match.allowed.join(', ') },
      );
    }
    if (req.bodyTooLarge) {
      throw new CloudflareError(413, { code: 6008, message: 'Request body is too large (the limit is 1 MiB)' });
    }
    // Heroku's timed work (ACM checks read DNS) is brought up to date before DNS changes.
    advance(this.world);
    return match.handler({
      world: this.world,
      params: match.params,
      query: req.query,
      body: parseJson(req.body),
      path,
    });
  }
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new CloudflareError(400, { code: 6007, message: 'Malformed JSON in request body' });
  }
}

/** A Cloudflare ray id: 16 hex digits and a data-centre code (`SBX`, the sandbox). */
function ray(): string {
  return `${randomBytes(8).toString('hex')}-SBX`;
}
