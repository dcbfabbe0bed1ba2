import type { DnsRecord, ZoneRecord } from './cloudflare/model.js';
import { herokuHostname } from './heroku/api/domains.js';
import type { World } from './world.js';

/**
 * Where a hostname leads, as a client resolving it through the sandbox's own zones would get:
 * - `heroku`: straight to Heroku's router — a `*.herokuapp.com` name, or a DNS-only CNAME chain
 *   ending at a Heroku DNS target (`target`: the herokudns.com or herokuapp.com name it ends at);
 * - `edge`: to Cloudflare's proxy — the name's record is proxied (orange cloud), so clients and
 *   ACME validators reach Cloudflare's edge, never Heroku directly;
 * - `elsewhere`: a DNS-only A/AAAA record, an address outside the sandbox;
 * - `none`: nothing answers (no zone holds the name, the zone has no record for it, or the chain
 *   ends at a name nothing answers for).
 * Names outside every sandbox zone do not resolve, except Heroku's own: the sandbox emulates no
 * other DNS.
 */
export type Resolution =
  | { readonly kind: 'heroku'; readonly target: string }
  | { readonly kind: 'edge'; readonly zone: ZoneRecord; readonly record: DnsRecord }
  | { readonly kind: 'elsewhere'; readonly address: string }
  | { readonly kind: 'none'; readonly reason: string };

/** CNAME chains longer than this do not resolve (resolvers give up on loops the same way). */
const MAX_CHAIN = 8;

export function resolveName(world: World, hostname: string): Resolution {
  return resolveAt(world, normalise(hostname), 0);
}

function resolveAt(world: World, name: string, depth: number): Resolution {
  if (depth > MAX_CHAIN) return { kind: 'none', reason: `the CNAME chain through ${name} is longer than ${MAX_CHAIN}` };
  if (name.endsWith('.herokuapp.com')) {
    const known = world.state.heroku.apps.some((app) => herokuHostname(app) === name);
    return known ? { kind: 'heroku', target: name } : { kind: 'none', reason: `no Heroku app is called ${name}` };
  }
  if (name.endsWith('.herokudns.com')) {
    const known = world.state.heroku.apps.some((app) => app.domains.some((d) => d.cname === name));
    return known ? { kind: 'heroku', target: name } : { kind: 'none', reason: `${name} is no custom domain's DNS target` };
  }
  const zone = zoneOf(world.state.cloudflare.zones, name);
  if (zone === undefined) return { kind: 'none', reason: `no sandbox zone holds ${name}` };
  const record = recordFor(zone, name);
  if (record === undefined) return { kind: 'none', reason: `zone ${zone.name} has no A, AAAA or CNAME record for ${name}` };
  if (record.proxied) return { kind: 'edge', zone, record };
  if (record.type === 'CNAME') return resolveAt(world, normalise(record.content), depth + 1);
  return { kind: 'elsewhere', address: record.content };
}

/** The most specific zone holding `name`. */
function zoneOf(zones: readonly ZoneRecord[], name: string): ZoneRecord | undefined {
  return zones
    .filter((zone) => name === zone.name || name.endsWith(`.${zone.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

/** The record answering for `name`: its own CNAME, A or AAAA, else a `*.` wildcard one label up. */
function recordFor(zone: ZoneRecord, name: string): DnsRecord | undefined {
  const answering = (wanted: string) => zone.records.find((r) => r.name === wanted && ['CNAME', 'A', 'AAAA'].includes(r.type));
  const own = answering(name);
  if (own !== undefined || zone.records.some((r) => r.name === name)) return own;
  const parent = name.slice(name.indexOf('.') + 1);
  return name === zone.name ? undefined : answering(`*.${parent}`);
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}
