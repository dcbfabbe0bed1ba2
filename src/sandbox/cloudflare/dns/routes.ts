import { type CloudflareContext, type CloudflareRouter, limitsOf, zoneOf } from '../context.js';
import { CloudflareError, invalidRequest, ok } from '../errors.js';
import type { DnsRecord } from '../model.js';
import { pageSpec, paginate } from '../query.js';
import { selectRecords } from './list.js';
import { objectBody, recordJson } from './record.js';
import { createRecord, deleteRecord, findRecord, type RecordList, updateRecord } from './store.js';

/** `per_page` of the DNS listing: 1 to 5,000,000, default 100 (the OpenAPI schema's `dns-records_per_page`). */
const DNS_PAGE = { fallback: 100, min: 1, max: 5_000_000 } as const;

/**
 * DNS records (reference/cloudflare-api.md §1.2): list with filters and pages (`DNS_PAGE`), read,
 * create, overwrite (PUT), update (PATCH), delete, and the batch endpoint.
 */
export function registerDnsRecords(router: CloudflareRouter): void {
  router.add('GET', '/zones/:zone_id/dns_records', (ctx) => {
    const zone = zoneOf(ctx);
    const spec = pageSpec(ctx.query, DNS_PAGE.fallback, DNS_PAGE.min, DNS_PAGE.max);
    const page = paginate(selectRecords(zone.records, ctx.query), spec);
    return ok(page.items.map(recordJson), page.info);
  });
  router.add('POST', '/zones/:zone_id/dns_records', (ctx) => ok(recordJson(createRecord(listOf(ctx), ctx.body))));
  router.add('GET', '/zones/:zone_id/dns_records/:dns_record_id', (ctx) =>
    ok(recordJson(findRecord(listOf(ctx), ctx.params['dns_record_id'], ctx.path))),
  );
  router.add('PUT', '/zones/:zone_id/dns_records/:dns_record_id', (ctx) =>
    ok(recordJson(updateRecord(listOf(ctx), ctx.params['dns_record_id'], ctx.body, 'replace', ctx.path))),
  );
  router.add('PATCH', '/zones/:zone_id/dns_records/:dns_record_id', (ctx) =>
    ok(recordJson(updateRecord(listOf(ctx), ctx.params['dns_record_id'], ctx.body, 'patch', ctx.path))),
  );
  router.add('DELETE', '/zones/:zone_id/dns_records/:dns_record_id', (ctx) => {
    const record = deleteRecord(listOf(ctx), ctx.params['dns_record_id'], ctx.path);
    return ok({ id: record.id });
  });
  router.add('POST', '/zones/:zone_id/dns_records/batch', batch);
}

function listOf(ctx: CloudflareContext): RecordList {
  const zone = zoneOf(ctx);
  return { world: ctx.world, zone, records: zone.records };
}

const GROUPS = ['deletes', 'patches', 'puts', 'posts'] as const;

/**
 * `POST …/dns_records/batch`: deletes → patches → puts → posts, in that fixed order, as one
 * transaction. The operations run on a copy of the zone's records, each seeing the ones before
 * it (so an A record can be swapped for a CNAME in one call); the copy replaces the zone's
 * records only when all succeed. A failure answers the error of the first failing operation,
 * with `source.pointer` naming it (`/posts/0`), and changes nothing — not even the id counter.
 * At most the plan's batch size (Free 200; Pro, Business and Enterprise 3,500) operations per call.
 */
function batch(ctx: CloudflareContext) {
  const zone = zoneOf(ctx);
  const body = objectBody(ctx.body ?? {});
  const groups = GROUPS.map((group) => {
    const items = body[group] ?? [];
    if (!Array.isArray(items)) throw invalidRequest(`${group} must be an array.`);
    return [group, items as unknown[]] as const;
  });
  const total = groups.reduce((sum, [, items]) => sum + items.length, 0);
  const limit = limitsOf(zone).batchRecords;
  if (total > limit) {
    throw invalidRequest(`A batch may hold at most ${limit} operations on this zone's plan; this one has ${total}.`);
  }
  const rng = { ...ctx.world.state.rng };
  const list: RecordList = { world: ctx.world, zone, records: [...zone.records] };
  const result: Record<(typeof GROUPS)[number], Record<string, unknown>[]> = {
    deletes: [],
    patches: [],
    puts: [],
    posts: [],
  };
  for (const [group, items] of groups) {
    for (const [index, item] of items.entries()) {
      const pointer = `/${group}/${index}`;
      try {
        result[group].push(recordJson(apply(list, group, item, ctx.path.replace(/\/batch$/, ''))));
      } catch (error) {
        Object.assign(ctx.world.state.rng, rng);
        throw error instanceof CloudflareError ? error.at(pointer) : error;
      }
    }
  }
  zone.records = list.records;
  return ok(result);
}

/** One batch operation; `recordsPath` is `/zones/{id}/dns_records`, for errors about record ids. */
function apply(list: RecordList, group: (typeof GROUPS)[number], item: unknown, recordsPath: string): DnsRecord {
  if (group === 'posts') return createRecord(list, item);
  const { id, ...fields } = objectBody(item);
  const path = `${recordsPath}/${String(id)}`;
  switch (group) {
    case 'deletes':
      return deleteRecord(list, id, path);
    case 'patches':
      return updateRecord(list, id, fields, 'patch', path);
    case 'puts':
      return updateRecord(list, id, fields, 'replace', path);
  }
}
