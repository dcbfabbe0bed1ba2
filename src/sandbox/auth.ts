import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { header } from './http.js';

/** Options the sandbox cannot start with: the caller's mistake, not the sandbox's. */
export class SandboxOptionsError extends Error {
  override readonly name = 'SandboxOptionsError';
}

/**
 * Who may call the sandbox. Bound to loopback, any well-formed token is accepted (the sandbox is
 * then a private toy). Bound to any other address, the configured token is required, for the API
 * surfaces and the admin routes alike.
 */
export class AuthPolicy {
  private readonly expected: Buffer | undefined;

  constructor(
    readonly loopback: boolean,
    token: string | undefined,
  ) {
    if (!loopback && (token === undefined || !WELL_FORMED.test(token))) {
      throw new SandboxOptionsError('a sandbox bound to a non-loopback address needs a token (DAFFEINATED_SANDBOX_TOKEN)');
    }
    this.expected = token === undefined || loopback ? undefined : digest(token);
  }

  accepts(token: string | undefined): token is string {
    if (token === undefined || !WELL_FORMED.test(token)) return false;
    return this.expected === undefined || timingSafeEqual(digest(token), this.expected);
  }
}

/** Printable ASCII without spaces, as API tokens are; bounded so a header cannot be abused. */
const WELL_FORMED = /^[\x21-\x7e]{1,512}$/;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * The token of `Authorization: Bearer <token>` or `Authorization: Basic base64(<user>:<token>)`
 * (heroku-client sends Basic with an empty user; the Heroku CLI sends Bearer). `undefined` when
 * the header is missing or malformed.
 */
export function bearerOrBasicToken(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'authorization')?.trim();
  if (value === undefined) return undefined;
  const space = value.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = value.slice(0, space).toLowerCase();
  const credentials = value.slice(space + 1).trim();
  if (scheme === 'bearer') return credentials === '' ? undefined : credentials;
  if (scheme !== 'basic') return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credentials)) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const password = decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h === '::1') return true;
  return h.startsWith('::ffff:127.');
}
