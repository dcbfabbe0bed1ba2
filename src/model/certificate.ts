import type { Resource } from './resource.js';

/**
 * The contract between the Heroku and Cloudflare providers for a custom domain served through
 * Cloudflare's proxy with an ACM certificate (they may not import each other; both read this).
 *
 * Heroku's ACM validates a domain over HTTP through its DNS (Let's Encrypt HTTP-01), which a
 * proxied record hides, and Cloudflare's Full (strict) answers 526 while the origin has no
 * certificate for the name. So such a domain is applied in steps: the Heroku domain (its DNS
 * target known), the CNAME written DNS-only, the domain's `certificate` step waiting until ACM
 * says `cert issued`, then the record's `proxied` step. A heroku.domain whose desired
 * `certificate` is `issued` declares that wait (desired.ts of the Heroku provider sets it for
 * domains with ACM on whose CNAME is proxied in a declared zone).
 */
export const CERTIFICATE_STEP = 'certificate';
export const PROXIED_STEP = 'proxied';
/** The desired (and, when the certificate is valid, live) `certificate` of such a domain. */
export const CERTIFICATE_ISSUED = 'issued';

/**
 * Whether a heroku.domain change waits for its certificate: a domain created (or replaced) that
 * wants one, or one whose live certificate is not issued yet.
 */
export function awaitsCertificate(change: {
  readonly action: 'create' | 'update' | 'replace' | 'delete';
  readonly before?: Resource;
  readonly after?: Resource;
}): boolean {
  const { action, before, after } = change;
  if (action === 'delete' || after?.kind !== 'heroku.domain' || after.attributes['certificate'] !== CERTIFICATE_ISSUED) return false;
  return action !== 'update' || before?.attributes['certificate'] !== CERTIFICATE_ISSUED;
}
