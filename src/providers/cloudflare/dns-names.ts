import { type Address, makeAddress } from '../../model/resource.js';

/**
 * How a DNS record is told apart on both sides: its address, its zone-relative name, its content
 * in canonical form, and the ownership marker its comment carries. Pure.
 */

const MARKER = /(?:^|\s\|\s)managed by daffeinated \(([^()\s]+)\)$/;

/**
 * The comment of a record daffeinated owns: the app.yaml comment, if any, then the ownership
 * marker naming the environment (scope) the record belongs to. Records whose comment ends with a
 * marker are ours; the marker's environment decides which plans may update or delete them.
 */
export function ownershipComment(environment: string, comment?: string): string {
  const marker = `managed by daffeinated (${environment})`;
  return comment === undefined || comment === '' ? marker : `${comment} | ${marker}`;
}

/** The environment named by a record comment's ownership marker; undefined when there is none. */
export function commentOwner(comment: string | null | undefined): string | undefined {
  return comment ? MARKER.exec(comment)?.[1] : undefined;
}

/**
 * Address of a DNS record: `cloudflare.dns[<zone>/<TYPE>/<relative name>]`. When several records
 * share zone, type and name (two MX at `@`), each gets `#<content>` appended, content in its
 * canonical form with `%`, `/`, `[` and `]` percent-encoded. Content is what tells such records
 * apart, so the address is stable however the list is ordered in app.yaml.
 */
export function dnsAddress(zone: string, type: string, name: string, content?: string): Address {
  const tail = content === undefined ? '' : `#${content.replace(/[%/[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
  return makeAddress('cloudflare.dns', zone, type, `${name}${tail}`);
}

/** Zone-relative owner name, as app.yaml writes it: lower-case, no trailing dot, `@` for the apex. */
export function relativeName(name: string, zone: string): string {
  const host = name.toLowerCase().replace(/\.$/, '');
  if (host === '@' || host === zone) return '@';
  return host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : host;
}

/**
 * Content in the form both sides are compared in, undoing what Cloudflare normalises: hostnames
 * lower-case without a trailing dot, IPv6 in RFC 5952 form, TXT without the quotes the API adds
 * (split strings joined), SRV as `weight port target`, CAA as `flags tag value` (value unquoted).
 */
export function canonicalContent(type: string, content: string): string {
  const trimmed = content.trim();
  switch (type) {
    case 'CNAME':
    case 'MX':
    case 'NS':
    case 'PTR':
      return hostname(trimmed);
    case 'AAAA':
      return canonicalIpv6(trimmed);
    case 'TXT':
      return unquoteTxt(content);
    case 'SRV': {
      const parts = trimmed.split(/\s+/);
      return parts.map((part, i) => (i === parts.length - 1 ? hostname(part) : part)).join(' ');
    }
    case 'CAA': {
      const match = /^(\d+)\s+(\S+)\s+(.*)$/.exec(trimmed);
      return match ? `${match[1]} ${(match[2] as string).toLowerCase()} ${unquoteTxt(match[3] as string)}` : trimmed;
    }
    default:
      return trimmed;
  }
}

const hostname = (value: string): string => value.toLowerCase().replace(/\.$/, '');

const QUOTED = /^"(?:[^"\\]|\\.)*"(?:\s+"(?:[^"\\]|\\.)*")*$/;

function unquoteTxt(content: string): string {
  const trimmed = content.trim();
  if (!QUOTED.test(trimmed)) return content;
  return [...trimmed.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] as string).replace(/\\(.)/g, '$1')).join('');
}

function canonicalIpv6(address: string): string {
  const lower = address.toLowerCase();
  const halves = lower.split('::');
  if (lower.includes('.') || halves.length > 2) return lower;
  const [left, right] = halves.map((half) => (half ? half.split(':') : []));
  const fill = Array<string>(Math.max(8 - (left?.length ?? 0) - (right?.length ?? 0), 0)).fill('0');
  const groups = halves.length === 2 ? [...(left ?? []), ...fill, ...(right ?? [])] : (left ?? []);
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return lower;
  const text = groups.map((g) => Number.parseInt(g, 16).toString(16)).join(':');
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes `::`.
  const runs = [...`:${text}:`.matchAll(/:(?:0:){2,}/g)].sort((a, b) => b[0].length - a[0].length || a.index - b.index);
  const run = runs[0];
  if (run === undefined) return text;
  const padded = `:${text}:`;
  return `${padded.slice(0, run.index)}::${padded.slice(run.index + run[0].length)}`.replace(/^:(?!:)|(?<!:):$/g, '');
}
