import type { DnsRecord } from '../model.js';
import { booleanParam, compareValues, enumParam, matches, STRING_OPS, type StringOp } from '../query.js';
import { recordType } from './fields.js';

type Test = (record: DnsRecord) => boolean;

const ORDERS = ['type', 'name', 'content', 'ttl', 'proxied'] as const;

/**
 * `GET /zones/{zone_id}/dns_records` filtering and ordering (reference/cloudflare-api.md §1.2):
 * `type`; `name`, `content` and `comment` exact or with `.exact|.contains|.startswith|.endswith`
 * (case-insensitive); `comment.present` / `comment.absent`; `proxied`; `tag` (`name` or
 * `name:value`) with `tag.present|absent|exact|contains|startswith|endswith`, combined by
 * `tag_match`; `search` (free text over name, content, comment and tags). Filters combine by
 * `match` (all | any; the tag filters count as one). `order` (type | name | content | ttl |
 * proxied) and `direction`; ties fall back to type, name, content, id.
 */
export function selectRecords(records: readonly DnsRecord[], query: URLSearchParams): DnsRecord[] {
  const match = enumParam(query, 'match', ['all', 'any'] as const, 'all');
  const tagMatch = enumParam(query, 'tag_match', ['all', 'any'] as const, 'all');
  const order = enumParam(query, 'order', ORDERS, 'type');
  const direction = enumParam(query, 'direction', ['asc', 'desc'] as const, 'asc');

  const tests: Test[] = [];
  const type = query.get('type');
  if (type !== null && type !== '') {
    const wanted = recordType(type);
    tests.push((r) => r.type === wanted);
  }
  tests.push(...stringTests(query, 'name', (r) => r.name));
  tests.push(...stringTests(query, 'content', (r) => r.content));
  tests.push(...stringTests(query, 'comment', (r) => r.comment ?? undefined));
  if (query.has('comment.present')) tests.push((r) => r.comment !== null);
  if (query.has('comment.absent')) tests.push((r) => r.comment === null);
  const proxied = booleanParam(query, 'proxied');
  if (proxied !== undefined) tests.push((r) => r.proxied === proxied);
  const search = query.get('search');
  if (search !== null && search !== '') {
    tests.push((r) =>
      [r.name, r.content, r.comment ?? '', ...r.tags].some((text) => matches('contains', text, search)),
    );
  }
  const tagTests = tagFilters(query);
  if (tagTests.length > 0) {
    tests.push((r) => (tagMatch === 'all' ? tagTests.every((t) => t(r)) : tagTests.some((t) => t(r))));
  }

  const selected = records.filter((r) =>
    tests.length === 0 ? true : match === 'all' ? tests.every((t) => t(r)) : tests.some((t) => t(r)),
  );
  const sign = direction === 'desc' ? -1 : 1;
  return selected.sort(
    (a, b) =>
      sign * compareValues(a[order], b[order]) ||
      compareValues(a.type, b.type) ||
      compareValues(a.name, b.name) ||
      compareValues(a.content, b.content) ||
      compareValues(a.id, b.id),
  );
}

/** `field=value` (exact) and `field.op=value` for each operator present. */
function stringTests(query: URLSearchParams, field: string, value: (r: DnsRecord) => string | undefined): Test[] {
  const tests: Test[] = [];
  const ops: [StringOp, string | null][] = [
    ['exact', query.get(field)],
    ...STRING_OPS.map((op): [StringOp, string | null] => [op, query.get(`${field}.${op}`)]),
  ];
  for (const [op, wanted] of ops) {
    if (wanted === null || wanted === '') continue;
    tests.push((r) => {
      const actual = value(r);
      return actual !== undefined && matches(op, actual, wanted);
    });
  }
  return tests;
}

function tagFilters(query: URLSearchParams): Test[] {
  const tests: Test[] = [];
  const split = (tag: string) => {
    const colon = tag.indexOf(':');
    return colon < 0
      ? { name: tag.toLowerCase(), value: undefined }
      : { name: tag.slice(0, colon).toLowerCase(), value: tag.slice(colon + 1) };
  };
  const tagValue = (r: DnsRecord, name: string): string | undefined => {
    const tag = r.tags.map(split).find((t) => t.name === name);
    return tag === undefined ? undefined : (tag.value ?? '');
  };
  for (const [param, op] of [
    ['tag', 'exact'],
    ['tag.exact', 'exact'],
    ['tag.contains', 'contains'],
    ['tag.startswith', 'startswith'],
    ['tag.endswith', 'endswith'],
  ] as const) {
    for (const raw of query.getAll(param)) {
      const wanted = split(raw);
      tests.push((r) => {
        const actual = tagValue(r, wanted.name);
        if (actual === undefined) return false;
        // A bare name asks only that the record has a tag of that name.
        return wanted.value === undefined || matches(op, actual, wanted.value);
      });
    }
  }
  for (const name of query.getAll('tag.present')) tests.push((r) => tagValue(r, name.toLowerCase()) !== undefined);
  for (const name of query.getAll('tag.absent')) tests.push((r) => tagValue(r, name.toLowerCase()) === undefined);
  return tests;
}
