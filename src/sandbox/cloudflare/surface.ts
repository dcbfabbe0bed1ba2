import { type AuthPolicy, bearerOrBasicToken } from '../auth.js';
import { header, type SandboxRequest } from '../http.js';
import type { ReplyFault, Surface, SurfaceReply } from '../surface.js';

/**
 * The Cloudflare API v4 surface under `/client/v4`. Every answer uses Cloudflare's envelope
 * `{success, errors: [{code, message}], messages, result}`. No endpoint is implemented in this
 * slice: authenticated requests get Cloudflare's 404 for unknown routes (code 7000).
 */
export class CloudflareSurface implements Surface {
  readonly name = 'cloudflare';

  constructor(private readonly auth: AuthPolicy) {}

  owns(path: string): boolean {
    return path === '/client/v4' || path.startsWith('/client/v4/');
  }

  handle(req: SandboxRequest): SurfaceReply {
    // API tokens come as Bearer; the legacy X-Auth-Key (global key) is accepted the same way.
    const token = bearerOrBasicToken(req.headers) ?? header(req.headers, 'x-auth-key');
    if (!this.auth.accepts(token)) return failure(403, 10000, 'Authentication error');
    return failure(404, 7000, 'No route for that URI');
  }

  faultReply(fault: ReplyFault, retryAfterSeconds: number): SurfaceReply {
    switch (fault) {
      case 'rate_limit':
        return failure(429, 971, 'Please wait and consider throttling your request speed', {
          'Retry-After': String(retryAfterSeconds),
        });
      case 'server_error':
        return failure(500, 10002, 'An unknown error has occurred');
      case 'unavailable':
        return failure(503, 10002, 'Service temporarily unavailable', { 'Retry-After': String(retryAfterSeconds) });
    }
  }
}

function failure(status: number, code: number, message: string, headers?: Record<string, string>): SurfaceReply {
  const body = { success: false, errors: [{ code, message }], messages: [], result: null };
  return headers === undefined ? { status, body } : { status, body, headers };
}
