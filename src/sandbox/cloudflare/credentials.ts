import type { IncomingHttpHeaders } from 'node:http';
import type { AuthPolicy } from '../auth.js';
import { header } from '../http.js';
import { CloudflareError } from './errors.js';

/**
 * Cloudflare's two credential schemes (reference/cloudflare-api.md §2): an API token as
 * `Authorization: Bearer <token>`, or the legacy global key as `X-Auth-Key` + `X-Auth-Email`.
 * The SDK sends both when both are configured; the token then wins, as on the real API.
 *
 * - nothing at all → 400, 9106 "Missing X-Auth-Key, X-Auth-Email or Authorization headers";
 * - a malformed header → 400, 6003 "Invalid request headers" with the header's own code in
 *   `error_chain` (6111 Authorization, 6102 X-Auth-Email, 6103 X-Auth-Key);
 * - a well-formed token the sandbox does not accept (only possible off loopback) → 403, 10000
 *   "Authentication error"; a key/email pair it does not accept → 403, 9103.
 *
 * Returns who is calling, as the key the rate limiter counts under.
 */
export function authenticate(headers: IncomingHttpHeaders, auth: AuthPolicy): string {
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
    const token = match?.[1];
    if (token === undefined || !/^[\x21-\x7e]{1,512}$/.test(token)) throw invalidHeader(6111, 'Authorization');
    if (!auth.accepts(token)) throw new CloudflareError(403, { code: 10000, message: 'Authentication error' });
    return `token:${token}`;
  }
  const key = header(headers, 'x-auth-key');
  const email = header(headers, 'x-auth-email');
  if (key === undefined && email === undefined) {
    throw new CloudflareError(400, {
      code: 9106,
      message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers',
    });
  }
  if (key === undefined || !/^[\x21-\x7e]{1,512}$/.test(key)) throw invalidHeader(6103, 'X-Auth-Key');
  if (email === undefined || !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidHeader(6102, 'X-Auth-Email');
  if (!auth.accepts(key)) throw new CloudflareError(403, { code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' });
  return `key:${email.toLowerCase()}:${key}`;
}

function invalidHeader(code: number, name: string): CloudflareError {
  return new CloudflareError(400, {
    code: 6003,
    message: 'Invalid request headers',
    error_chain: [{ code, message: `Invalid format for ${name} header` }],
  });
}
