/**
 * Hostnames as app.yaml writes them (domains, zones, DNS record names and targets). Canonical form:
 * lower-case, no trailing dot. Internationalised names must be written in punycode (`xn--…`), as
 * the Heroku and Cloudflare APIs store them.
 */
import { isIPv4, isIPv6 } from 'node:net';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** DNS record owner names may also use `_` (`_dmarc`, `_acme-challenge`). */
const RECORD_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

export function canonicalHostname(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * A fully qualified hostname: two or more labels, at most 253 characters, a non-numeric top-level
 * label; with `wildcard`, a leading `*.` is allowed (Heroku wildcard domains).
 */
export function isHostname(name: string, options: { wildcard?: boolean } = {}): boolean {
  let host = canonicalHostname(name);
  if (options.wildcard && host.startsWith('*.')) host = host.slice(2);
  if (host.length === 0 || host.length > 253) return false;
  const labels = host.split('.');
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1] as string)) return false;
  return labels.every((label) => LABEL.test(label));
}

/**
 * The zone-relative owner name of a DNS record: `@` for the apex; names ending in the zone are
 * taken as fully qualified (as Cloudflare does) and made relative.
 */
export function relativeRecordName(name: string, zone: string): string {
  const host = canonicalHostname(name);
  if (host === '@' || host === zone) return '@';
  return host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : host;
}

/** `@`, `*`, or dot-separated labels (with `_` allowed and an optional leading `*.`). */
export function isRecordName(name: string): boolean {
  const host = canonicalHostname(name);
  if (host === '@' || host === '*') return true;
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  return rest.length > 0 && rest.length <= 253 && rest.split('.').every((label) => RECORD_LABEL.test(label));
}

/** The most specific declared zone containing `host` (or equal to it), if any. */
export function zoneOf(host: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const zone of zones) {
    if ((host === zone || host.endsWith(`.${zone}`)) && (best === undefined || zone.length > best.length)) best = zone;
  }
  return best;
}

/** Checks a record's content for the types whose content has a fixed shape; returns a problem or undefined. */
export function recordContentProblem(type: string, content: string): string | undefined {
  switch (type) {
    case 'A':
      return isIPv4(content) ? undefined : `"${content}" is not an IPv4 address`;
    case 'AAAA':
      return isIPv6(content) ? undefined : `"${content}" is not an IPv6 address`;
    case 'CNAME':
    case 'MX':
    case 'NS':
      return isHostname(content) ? undefined : `"${content}" is not a hostname`;
    default:
      return content.trim() === '' ? 'content must not be empty' : undefined;
  }
}
