import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { header } from '../../http.js';

/**
 * True when `Accept` asks for the Heroku v3 media type: `application/vnd.heroku+json; version=3`
 * or a variant the official CLI uses (`version=3.sdk`, `3.pipelines`, `3.webhooks`, …).
 */
export function acceptsVersion3(headers: IncomingHttpHeaders): boolean {
  const accept = header(headers, 'accept');
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim());
    if (type.toLowerCase() !== 'application/vnd.heroku+json') return false;
    return params.some((p) => /^version\s*=\s*"?3(\.[\w-]+)*"?$/i.test(p));
  });
}

export const NOT_ACCEPTABLE_MESSAGE =
  "Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.";

/** The client's `Request-Id` (the CLI sends a comma-joined chain) when sane, else a fresh UUID. */
export function requestIdFor(headers: IncomingHttpHeaders): string {
  const sent = header(headers, 'request-id');
  return sent !== undefined && /^[\x21-\x7e][\x20-\x7e]{0,1023}$/.test(sent) ? sent : randomUUID();
}

/**
 * The sandbox's own origin as the client addressed it: the `Host` header, with `https` when a
 * proxy in front says so (`X-Forwarded-Proto`, as Heroku's router sends for the shared sandbox).
 * URLs handed out (uploads, output streams, slug downloads) use it, so they work from the client.
 */
export function baseUrlOf(headers: IncomingHttpHeaders): string {
  const host = header(headers, 'host');
  const proto = header(headers, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const scheme = proto === 'https' ? 'https' : 'http';
  return `${scheme}://${host !== undefined && /^[\w.:[\]-]{1,300}$/.test(host) ? host : 'localhost'}`;
}
