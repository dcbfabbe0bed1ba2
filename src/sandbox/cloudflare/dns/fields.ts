import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { CloudflareError } from '../errors.js';

/**
 * Validation and normalisation of single DNS record fields, with the API's error codes: 9003,
 * 9004, 9005, 9007, 9008 and 9021 are the real ones (seen in issue reports); 9000, 9002, 9006,
 * 9009 and 9101–9104 are the sandbox's own picks in the same range for checks whose real code
 * the reference does not give.
 */
export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CERT',
  'CNAME',
  'DNSKEY',
  'DS',
  'HTTPS',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'OPENPGPKEY',
  'PTR',
  'SMIMEA',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
  'URI',
] as const;
export const PROXIABLE_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME'];
export const HOSTNAME_TYPES: readonly string[] = ['CNAME', 'MX', 'NS', 'PTR'];
/** Types whose record carries a top-level `priority`. */
export const PRIORITY_TYPES: readonly string[] = ['MX', 'SRV', 'URI'];

export function dnsError(code: number, message: string): CloudflareError {
  return new CloudflareError(400, { code, message });
}

export function recordType(value: unknown): string {
  const type = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (type === undefined || !(RECORD_TYPES as readonly string[]).includes(type)) {
    throw dnsError(9000, `Invalid DNS record type${typeof value === 'string' ? ` "${value}"` : ''}.`);
  }
  return type;
}

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * The full, lower-case, dot-less name: `@` is the apex, a name not ending in the zone gets the
 * zone appended (as the API does: `www` → `www.example.com`), Unicode becomes Punycode.
 */
export function recordName(value: unknown, zone: string): string {
  if (typeof value !== 'string') throw dnsError(9002, 'DNS name is invalid.');
  let name = value.trim().toLowerCase().replace(/\.$/, '');
  if (/[^\x20-\x7e]/.test(name)) name = domainToASCII(name);
  if (name === '@') return zone;
  if (name === '' || name.includes('..')) throw dnsError(9002, 'DNS name is invalid.');
  const full = name === zone || name.endsWith(`.${zone}`) ? name : `${name}.${zone}`;
  const labels = full.split('.');
  const wildcardMisplaced = labels.slice(1).includes('*');
  if (full.length > 253 || wildcardMisplaced || !labels.every((l) => LABEL.test(l))) {
    throw dnsError(9002, 'DNS name is invalid.');
  }
  return full;
}

/** A hostname as record content: lower case, no trailing dot. */
export function hostname(value: unknown, type: string): string {
  const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/\.$/, '') : '';
  const ascii = /[^\x20-\x7e]/.test(text) ? domainToASCII(text) : text;
  const labels = ascii.split('.');
  if (ascii === '' || ascii.length > 253 || !labels.every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l))) {
    throw dnsError(9007, `Content for ${type} record is invalid.`);
  }
  return ascii;
}

export function ipv4(value: unknown): string {
  if (typeof value !== 'string' || !isIPv4(value.trim())) {
    throw dnsError(9005, 'Content for A record must be a valid IPv4 address.');
  }
  return value.trim();
}

/** RFC 5952 form (lower case, longest zero run compressed), as the API stores AAAA content. */
export function ipv6(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!isIPv6(text)) throw dnsError(9006, 'Content for AAAA record must be a valid IPv6 address.');
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** Addresses Cloudflare cannot proxy to: private, loopback, link-local and unspecified ranges. */
export function isPrivateAddress(type: string, content: string): boolean {
  if (type === 'A') {
    const [a = 0, b = 0] = content.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (type === 'AAAA')
    return content === '::' || content === '::1' || /^f[cd]/.test(content) || /^fe[89ab]/.test(content);
  return false;
}

/** `1` (automatic) or 60–86,400 seconds (30 on Enterprise). */
export function ttl(value: unknown, minimum: number): number {
  if (value === 1) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > 86400) {
    throw dnsError(9021, `Invalid TTL. Must be between ${minimum} and 86,400 seconds, or 1 for automatic.`);
  }
  return value;
}

export function priority(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw dnsError(9008, 'Invalid priority, priority must be set and be between 0 and 65535');
  }
  return value;
}

/** Free text without line breaks, at most `maxLength` characters (the plan's: 100 on Free, 500 paid). */
export function comment(value: unknown, maxLength: number): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || /[\r\n]/.test(value) || value.length > maxLength) {
    throw dnsError(
      9101,
      `DNS record comment is invalid: it must be text of at most ${maxLength} characters without line breaks on this zone's plan.`,
    );
  }
  return value;
}

/**
 * `name` or `name:value`; names of letters, digits, `-` and `_`; duplicates (by name, any case)
 * dropped. Only paid plans have tags: on Free any tag is refused.
 */
export function tags(value: unknown, allowed: boolean): string[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw dnsError(9102, 'DNS record tags must be an array of "name:value" strings.');
  if (value.length > 0 && !allowed) throw dnsError(9102, 'DNS record tags are not available on this zone\'s plan.');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of value) {
    const match = typeof tag === 'string' ? /^([A-Za-z0-9_-]{1,32})(?::(.{0,100}))?$/.exec(tag) : null;
    if (match === null) throw dnsError(9102, `Invalid DNS record tag ${JSON.stringify(tag)}: expected "name:value".`);
    const key = (match[1] as string).toLowerCase();
    if (!seen.has(key)) out.push(tag as string);
    seen.add(key);
  }
  return out;
}

/** Per-record `settings`: `ipv4_only`/`ipv6_only` for A and AAAA, `flatten_cname` for CNAME. */
export function recordSettings(value: unknown, type: string): Record<string, boolean> {
  if (value === undefined || value === null) return {};
  const allowed =
    type === 'CNAME' ? ['flatten_cname'] : type === 'A' || type === 'AAAA' ? ['ipv4_only', 'ipv6_only'] : [];
  if (typeof value !== 'object' || Array.isArray(value)) throw dnsError(9104, 'DNS record settings must be an object.');
  const out: Record<string, boolean> = {};
  for (const [key, flag] of Object.entries(value)) {
    if (!allowed.includes(key) || typeof flag !== 'boolean') {
      throw dnsError(9104, `Invalid DNS record setting "${key}" for a ${type} record.`);
    }
    out[key] = flag;
  }
  return out;
}
