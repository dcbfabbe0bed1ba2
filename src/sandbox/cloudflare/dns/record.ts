import { limitsOf } from '../context.js';
import { invalidRequest } from '../errors.js';
import type { DnsRecord, ZoneRecord } from '../model.js';
import {
  comment,
  dnsError,
  HOSTNAME_TYPES,
  hostname,
  ipv4,
  ipv6,
  isPrivateAddress,
  PRIORITY_TYPES,
  PROXIABLE_TYPES,
  priority,
  recordName,
  recordSettings,
  recordType,
  tags,
  ttl,
} from './fields.js';

/** A record's content-bearing fields, before it gets an id and timestamps. */
export type RecordDraft = Pick<
  DnsRecord,
  'type' | 'name' | 'content' | 'data' | 'priority' | 'ttl' | 'proxied' | 'comment' | 'tags' | 'settings'
>;

type Body = Readonly<Record<string, unknown>>;

export function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('Request body must be a JSON object.');
  }
  return body as Body;
}

/**
 * Validates and normalises a record write the way the API does. `base` is the record a PATCH
 * changes (fields not sent are kept); without it (POST, PUT) fields not sent take their
 * defaults. Unknown fields are ignored (real clients send some, e.g. cfcli). The first problem
 * found is the error, as the API reports one.
 */
export function draftRecord(zone: ZoneRecord, input: unknown, base?: DnsRecord): RecordDraft {
  const body = objectBody(input);
  const has = (field: string) => body[field] !== undefined;
  const type = has('type') ? recordType(body['type']) : base !== undefined ? base.type : recordType(undefined);
  const name = has('name')
    ? recordName(body['name'], zone.name)
    : base !== undefined
      ? base.name
      : recordName(undefined, zone.name);
  // A PATCH that changes the type keeps no type-specific field of the old record.
  const kept = base !== undefined && type === base.type ? base : undefined;

  const structured = has('data') ? body['data'] : kept?.data;
  const rawContent = has('content') ? body['content'] : kept?.content;
  const content = contentFor(type, rawContent, structured);

  let prio: number | undefined;
  if (type === 'SRV') prio = priority((content.data as Record<string, unknown>)['priority']);
  else if (PRIORITY_TYPES.includes(type)) prio = priority(has('priority') ? body['priority'] : kept?.priority);

  const proxiedValue = has('proxied') ? body['proxied'] : (base?.proxied ?? false);
  if (typeof proxiedValue !== 'boolean') throw invalidRequest('proxied must be a boolean.');
  if (proxiedValue && !PROXIABLE_TYPES.includes(type)) throw dnsError(9004, 'This record type cannot be proxied.');
  if (proxiedValue && isPrivateAddress(type, content.content)) {
    throw dnsError(9003, `Target ${content.content} is not allowed for a proxied record.`);
  }
  const minimumTtl = zone.plan === 'enterprise' ? 30 : 60;
  const ttlValue = ttl(has('ttl') ? body['ttl'] : (base?.ttl ?? 1), minimumTtl);

  const settings = recordSettings(has('settings') ? body['settings'] : kept?.settings, type);
  // Proxied records are answered with Cloudflare's addresses anyway: the API drops the flag.
  if (proxiedValue) delete settings['flatten_cname'];

  return {
    type,
    name,
    ...content,
    ...(prio === undefined ? {} : { priority: prio }),
    // Proxied records always have automatic TTL; the API stores 1 whatever was sent.
    ttl: proxiedValue ? 1 : ttlValue,
    proxied: proxiedValue,
    comment: comment(has('comment') ? body['comment'] : (base?.comment ?? null), limitsOf(zone).dnsCommentLength),
    tags: tags(has('tags') ? body['tags'] : (base?.tags ?? []), limitsOf(zone).dnsTags),
    settings,
  };
}

/** `content` (and `data` for structured types) of a record of `type`. */
function contentFor(type: string, raw: unknown, data: unknown): { content: string; data?: Record<string, unknown> } {
  switch (type) {
    case 'A':
      return { content: ipv4(raw) };
    case 'AAAA':
      return { content: ipv6(raw) };
    case 'TXT':
      if (typeof raw !== 'string' || raw === '' || raw.length > 4096)
        throw dnsError(9007, 'Content for TXT record is invalid.');
      return { content: raw };
    case 'SRV': {
      const d = dataObject(type, data);
      const [weight, port] = [number16(type, d['weight']), number16(type, d['port'])];
      const target = hostname(d['target'], type);
      const prio = number16(type, d['priority']);
      return { content: `${weight} ${port} ${target}`, data: { priority: prio, weight, port, target } };
    }
    case 'CAA': {
      const d = dataObject(type, data);
      const flags = d['flags'] ?? 0;
      if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 255) throw invalidData(type);
      if (d['tag'] !== 'issue' && d['tag'] !== 'issuewild' && d['tag'] !== 'iodef') throw invalidData(type);
      if (typeof d['value'] !== 'string' || d['value'] === '') throw invalidData(type);
      return { content: `${flags} ${d['tag']} "${d['value']}"`, data: { flags, tag: d['tag'], value: d['value'] } };
    }
    default:
      if (HOSTNAME_TYPES.includes(type)) return { content: hostname(raw, type) };
      // Other structured types are kept as sent: `data` when given, its values as the content.
      if (data !== undefined) {
        const d = dataObject(type, data);
        return { content: Object.values(d).map(String).join(' '), data: { ...d } };
      }
      if (typeof raw !== 'string' || raw.trim() === '') throw dnsError(9007, `Content for ${type} record is invalid.`);
      return { content: raw.trim() };
  }
}

function dataObject(type: string, data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalidData(type);
  return data as Record<string, unknown>;
}

function number16(type: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) throw invalidData(type);
  return value;
}

function invalidData(type: string) {
  return dnsError(9009, `Data for ${type} record is invalid.`);
}

/** Whether Cloudflare could proxy this record (the response's `proxiable`). */
export function proxiable(record: Pick<DnsRecord, 'type' | 'content'>): boolean {
  return PROXIABLE_TYPES.includes(record.type) && !isPrivateAddress(record.type, record.content);
}

/** The record as the API answers it. `comment` is omitted when there is none (the spec types it as a string). */
export function recordJson(record: DnsRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    content: record.content,
    ...(record.data === undefined ? {} : { data: { ...record.data } }),
    ...(record.priority === undefined ? {} : { priority: record.priority }),
    proxiable: proxiable(record),
    proxied: record.proxied,
    ttl: record.ttl,
    settings: { ...record.settings },
    meta: {},
    ...(record.comment === null ? {} : { comment: record.comment }),
    tags: [...record.tags],
    created_on: record.createdOn,
    modified_on: record.modifiedOn,
    ...(record.commentModifiedOn === undefined ? {} : { comment_modified_on: record.commentModifiedOn }),
    ...(record.tagsModifiedOn === undefined ? {} : { tags_modified_on: record.tagsModifiedOn }),
  };
}
