import { CLOUDFLARE_PURGE } from '../../facts/cloudflare-purge.js';
import type { World } from '../world.js';
import { type CloudflareRouter, zoneOf } from './context.js';
import { CloudflareError, invalidRequest, ok } from './errors.js';
import { cfTime, type CloudflareState, type PurgeKind, type PurgeRecord, type ZoneRecord } from './model.js';
import type { PlanName } from './plans.js';

/**
 * `POST /zones/{zone_id}/purge_cache` (docs/SANDBOX.md, "Cache purge"). The body names one kind of
 * purge: `files` (URLs, or `{url, headers}`), `tags`, `hosts`, `prefixes`, or `purge_everything:
 * true`. Answers `{id}`. Checks, in order:
 * - none of them: 400, 1012 (python-cloudflare#179 quotes the message);
 * - a list that is not an array: 400, 1014 (cloudflare-php#61);
 * - more than one kind in one body, an empty list, an item that is not a hostname (hosts), a
 *   prefix with a scheme, query or fragment or over 31 path separators, a host outside the zone:
 *   400, 1004 (the stricter reading: the real API's answer to these is not documented);
 * - more items than the zone's plan allows in one request (facts/cloudflare-purge.ts): 400, 1004;
 * - the account's purge bucket for the zone's plan empty: 429 with Retry-After, code 971.
 * An accepted purge is recorded on the zone (`purges`, the newest PURGE_LOG kept), which
 * `/__sandbox/state` and `/__sandbox/purges` show.
 */
export function registerPurge(router: CloudflareRouter): void {
  router.add('POST', '/zones/:zone_id/purge_cache', (ctx) => {
    const zone = zoneOf(ctx);
    const { kind, items } = parseBody(ctx.body, zone);
    const limits = CLOUDFLARE_PURGE[zone.plan];
    const most = kind === 'files' ? limits.filesPerRequest : limits.itemsPerRequest;
    if (items.length > most) {
      throw invalidRequest(`Too many ${kind} in one purge request: ${items.length}; a zone on the ${zone.plan} plan takes at most ${most}`);
    }
    takeToken(ctx.world, zone.plan);
    const record: PurgeRecord = { id: ctx.world.ids.hex(32), at: cfTime(ctx.world.clock()), kind, items };
    zone.purges ??= [];
    zone.purges.push(record);
    if (zone.purges.length > PURGE_LOG) zone.purges.splice(0, zone.purges.length - PURGE_LOG);
    return ok({ id: record.id });
  });
}

/** Purges kept per zone. */
const PURGE_LOG = 1_000;

const LISTS = ['files', 'tags', 'hosts', 'prefixes'] as const;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function parseBody(body: unknown, zone: ZoneRecord): { kind: PurgeKind; items: string[] } {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const present = LISTS.filter((key) => fields[key] !== undefined);
  const everything = fields['purge_everything'] === true;
  if (present.length === 0 && !everything) {
    throw new CloudflareError(400, { code: 1012, message: 'Request must contain one of "purge_everything", "files", "tags", "hosts" or "prefixes"' });
  }
  if (present.length + (everything ? 1 : 0) > 1) {
    throw invalidRequest(`A purge request names one kind of purge; this one has ${[...present, ...(everything ? ['purge_everything'] : [])].join(', ')}`);
  }
  if (everything) return { kind: 'everything', items: [] };
  const kind = present[0] as (typeof LISTS)[number];
  const list = fields[kind];
  if (!Array.isArray(list)) throw new CloudflareError(400, { code: 1014, message: '"files", "tags", or "hosts" must be an array' });
  if (list.length === 0) throw invalidRequest(`${kind} is empty: name at least one`);
  return { kind, items: list.map((item, index) => checkItem(kind, item, index, zone)) };
}

function checkItem(kind: (typeof LISTS)[number], item: unknown, index: number, zone: ZoneRecord): string {
  const bad = (why: string): never => {
    throw new CloudflareError(400, { code: 1004, message: `${kind}[${index}] ${why}`, source: { pointer: `/${kind}/${index}` } });
  };
  switch (kind) {
    case 'files': {
      const url = typeof item === 'object' && item !== null ? (item as { url?: unknown }).url : item;
      if (typeof url !== 'string' || !/^https?:\/\/[^/]+/i.test(url)) return bad('is not an http(s) URL');
      return url;
    }
    case 'tags':
      if (typeof item !== 'string' || !/^[\x21-\x7e]{1,1024}$/.test(item)) return bad('is not a cache tag (printable ASCII, at most 1024 characters)');
      return item;
    case 'hosts':
      if (typeof item !== 'string' || !HOSTNAME.test(item.toLowerCase())) return bad('is not a hostname');
      return inZone(item.toLowerCase(), zone, bad);
    case 'prefixes': {
      if (typeof item !== 'string' || item === '' || /:\/\/|[?#]/.test(item)) return bad('is not a prefix (host/path, without scheme, query or fragment)');
      if ((item.match(/\//g) ?? []).length > 31) return bad('has more than 31 path separators');
      const host = (item.split('/')[0] as string).toLowerCase();
      inZone(host, zone, bad);
      return item;
    }
    default: {
      const unexpected: never = kind;
      return bad(`has an unknown kind ${String(unexpected)}`);
    }
  }
}

function inZone(host: string, zone: ZoneRecord, bad: (why: string) => never): string {
  if (host === zone.name || host.endsWith(`.${zone.name}`)) return host;
  return bad(`${host} is not in zone ${zone.name}`);
}

/**
 * One request from the account's purge bucket for `plan`: the bucket refills continuously at the
 * plan's rate up to its capacity, on the world's clock; kept in the state (`purgeBuckets`) so
 * consecutive CLI runs share it, as they share the account's real limit.
 */
function takeToken(world: World, plan: PlanName): void {
  const { refillPerSecond, bucket } = CLOUDFLARE_PURGE[plan];
  const state: CloudflareState = world.state.cloudflare;
  const now = world.clock().getTime();
  state.purgeBuckets ??= {};
  const last = state.purgeBuckets[plan] ?? { tokens: bucket, atMs: now };
  const tokens = Math.min(bucket, last.tokens + (Math.max(0, now - last.atMs) / 1000) * refillPerSecond);
  if (tokens < 1) {
    state.purgeBuckets[plan] = { tokens, atMs: now };
    const wait = Math.max(1, Math.ceil((1 - tokens) / refillPerSecond));
    throw new CloudflareError(429, { code: 971, message: 'Please wait and consider throttling your request speed' }, { 'Retry-After': String(wait) });
  }
  state.purgeBuckets[plan] = { tokens: tokens - 1, atMs: now };
}
