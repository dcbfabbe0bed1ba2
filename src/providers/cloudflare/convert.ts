import { isRecord, isUnknown, type Value } from '../../model/value.js';
import { InternalError } from '../../runtime/errors.js';
import type { ApiRecord, ApiRecordFields, ApiRule, ApiSetting } from './api-types.js';
import { PRIORITY_TYPES, PROXIABLE_TYPES, RULE_REF_PREFIX } from './desired.js';
import { canonicalContent, commentOwner, relativeName } from './dns-names.js';

/** A live DNS record in app.yaml terms: the attributes desired records carry, plus id and owner. */
export interface LiveRecord {
  readonly id: string;
  readonly type: string;
  /** Relative to the zone, `@` for the apex. */
  readonly name: string;
  /** Canonical (see `canonicalContent`). */
  readonly content: string;
  /** The environment of the ownership marker in the comment; undefined for records daffeinated did not make. */
  readonly owner: string | undefined;
  readonly attributes: { readonly [name: string]: Value };
}

/**
 * Reads a record the way app.yaml writes one, undoing what the API normalises so a converged
 * record compares equal: full name → relative, content canonical (structured `data` preferred
 * for SRV and CAA), `ttl: 1` when proxied, `proxied` only for proxiable types, `priority` only
 * for MX and SRV, an absent comment as "".
 */
export function fromApiRecord(zone: string, record: ApiRecord): LiveRecord {
  const type = record.type.toUpperCase();
  const name = relativeName(record.name, zone);
  const content = canonicalContent(type, structuredContent(type, record) ?? record.content ?? '');
  const attributes: Record<string, Value> = { type, name, content };
  const proxied = PROXIABLE_TYPES.includes(type) && record.proxied === true;
  if (PROXIABLE_TYPES.includes(type)) attributes['proxied'] = proxied;
  attributes['ttl'] = proxied ? 1 : (record.ttl ?? 1);
  if (PRIORITY_TYPES.includes(type)) attributes['priority'] = record.priority ?? numberIn(record.data, 'priority') ?? 0;
  attributes['comment'] = record.comment ?? '';
  return { id: record.id, type, name, content, owner: commentOwner(record.comment), attributes };
}

function structuredContent(type: string, record: ApiRecord): string | undefined {
  const data = record.data;
  if (data === undefined) return undefined;
  if (type === 'SRV' && data['target'] !== undefined) return `${data['weight'] ?? 0} ${data['port'] ?? 0} ${data['target']}`;
  if (type === 'CAA' && data['tag'] !== undefined) return `${data['flags'] ?? 0} ${data['tag']} ${data['value'] ?? ''}`;
  return undefined;
}

function numberIn(data: ApiRecord['data'], key: string): number | undefined {
  const value = data?.[key];
  return typeof value === 'number' ? value : undefined;
}

/** The full name Cloudflare expects for a relative record name. */
export function fullName(name: string, zone: string): string {
  return name === '@' ? zone : `${name}.${zone}`;
}

/**
 * Request fields for the record attributes in `names` (every attribute for a create). `content`
 * must already be resolved; SRV and CAA are sent as structured `data`, which the API requires.
 */
export function recordFields(zone: string, attributes: { readonly [name: string]: Value }, names: readonly string[]): ApiRecordFields {
  const type = stringAttribute(attributes, 'type');
  const fields: ApiRecordFields = {};
  for (const name of names) {
    const value = attributes[name];
    switch (name) {
      case 'type':
        fields.type = type;
        break;
      case 'name':
        fields.name = fullName(stringAttribute(attributes, 'name'), zone);
        break;
      case 'content':
        Object.assign(fields, contentFields(type, stringAttribute(attributes, 'content'), attributes['priority']));
        break;
      case 'ttl':
      case 'priority':
        if (typeof value === 'number') fields[name] = value;
        break;
      case 'proxied':
        if (typeof value === 'boolean') fields.proxied = value;
        break;
      case 'comment':
        if (typeof value === 'string') fields.comment = value;
        break;
      default:
        throw new InternalError(`a DNS record has no attribute ${name}`);
    }
  }
  return fields;
}

function contentFields(type: string, content: string, priority: Value | undefined): Pick<ApiRecordFields, 'content' | 'data'> {
  const parts = content.split(' ');
  if (type === 'SRV' && parts.length === 3) {
    const [weight, port, target] = parts as [string, string, string];
    return { data: { priority: typeof priority === 'number' ? priority : 0, weight: Number(weight), port: Number(port), target } };
  }
  const caa = /^(\d+) (\S+) (.*)$/.exec(content);
  if (type === 'CAA' && caa !== null) return { data: { flags: Number(caa[1]), tag: caa[2] as string, value: caa[3] as string } };
  return { content };
}

function stringAttribute(attributes: { readonly [name: string]: Value }, name: string): string {
  const value = attributes[name];
  if (typeof value !== 'string') throw new InternalError(`DNS record attribute ${name} is ${isUnknown(value) ? 'still unknown' : 'missing'}`);
  return value;
}

/** How each settings attribute (app.yaml terms) maps to a zone setting; ordered as sent (mode pin first). */
const SETTINGS: readonly { attribute: string; id: string; toApi(value: Value): unknown; fromApi(value: unknown): Value }[] = [
  { attribute: 'ssl_automatic_mode', id: 'ssl_automatic_mode', toApi: (v) => v, fromApi: asValue },
  { attribute: 'ssl', id: 'ssl', toApi: (v) => v, fromApi: asValue },
  { attribute: 'min_tls_version', id: 'min_tls_version', toApi: (v) => v, fromApi: asValue },
  { attribute: 'always_use_https', id: 'always_use_https', toApi: onOff, fromApi: isOn },
  { attribute: 'automatic_https_rewrites', id: 'automatic_https_rewrites', toApi: onOff, fromApi: isOn },
  { attribute: 'hsts', id: 'security_header', toApi: (v) => ({ strict_transport_security: asPlain(v) }), fromApi: hstsFromApi },
  { attribute: 'browser_cache_ttl', id: 'browser_cache_ttl', toApi: (v) => v, fromApi: asValue },
  { attribute: 'cache_level', id: 'cache_level', toApi: (v) => v, fromApi: asValue },
  ...['always_online', 'development_mode', 'sort_query_string_for_cache'].map((id) => ({ attribute: id, id, toApi: onOff, fromApi: isOn })),
];

function onOff(value: Value): string {
  return value ? 'on' : 'off';
}

function isOn(value: unknown): Value {
  return value === 'on';
}

/** The zone setting id behind a settings attribute. */
export function settingId(attribute: string): string {
  const mapping = SETTINGS.find((s) => s.attribute === attribute);
  if (mapping === undefined) throw new InternalError(`zone settings have no attribute ${attribute}`);
  return mapping.id;
}

/** The attributes in `declared` as the live settings hold them; a setting the API did not return is absent. */
export function settingsFromApi(settings: readonly ApiSetting[], declared: readonly string[]): Record<string, Value> {
  const attributes: Record<string, Value> = {};
  for (const attribute of declared) {
    const setting = settings.find((s) => s.id === settingId(attribute));
    const mapping = SETTINGS.find((s) => s.attribute === attribute);
    if (setting !== undefined && mapping !== undefined) attributes[attribute] = mapping.fromApi(setting.value);
  }
  return attributes;
}

/**
 * Settings the bulk PATCH does not know (it answers 1006 "Unrecognized zone setting name" and
 * changes nothing): each is written through `PATCH /zones/{id}/settings/{setting}` instead.
 */
export const SINGLE_ENDPOINT_SETTINGS: ReadonlySet<string> = new Set(['ssl_automatic_mode']);

/**
 * PATCH items for the given attributes, in order (`ssl_automatic_mode` first, so the pin holds
 * before `ssl` changes); callers send SINGLE_ENDPOINT_SETTINGS on their own.
 */
export function settingsToApi(attributes: { readonly [name: string]: Value }, names: readonly string[]): { id: string; value: unknown }[] {
  return SETTINGS.filter((s) => names.includes(s.attribute) && attributes[s.attribute] !== undefined).map((s) => ({
    id: s.id,
    value: s.toApi(attributes[s.attribute] as Value),
  }));
}

function hstsFromApi(value: unknown): Value {
  const sts = isRecord(value) && isRecord(value['strict_transport_security']) ? value['strict_transport_security'] : {};
  return {
    enabled: sts['enabled'] === true,
    max_age: typeof sts['max_age'] === 'number' ? sts['max_age'] : 0,
    include_subdomains: sts['include_subdomains'] === true,
    preload: sts['preload'] === true,
    nosniff: sts['nosniff'] === true,
  };
}

/** Whether a live rule is daffeinated's. */
export function isOurRule(rule: ApiRule): boolean {
  return typeof rule.ref === 'string' && rule.ref.startsWith(RULE_REF_PREFIX);
}

/**
 * A rule of ours as desired rules are written: read-only fields (id, version, last_updated,
 * categories) dropped, defaults filled (description "", enabled true), defaults Cloudflare adds
 * removed (logging on, execute `version: latest`, empty counting expression, requests_to_origin
 * false), rate-limit characteristics sorted. Anything else set out of band stays and shows as drift.
 */
export function normalizeRule(rule: ApiRule): Value {
  const { id: _id, version: _v, last_updated: _l, categories: _c, logging, action_parameters, ratelimit, ...rest } = rule;
  const out: Record<string, Value> = { ...(asValue(rest) as Record<string, Value>), description: rule.description ?? '', enabled: rule.enabled ?? true };
  if (logging !== undefined && logging.enabled !== true) out['logging'] = asValue(logging);
  if (action_parameters !== undefined) {
    const { version, ...parameters } = action_parameters;
    const kept = version === 'latest' ? parameters : action_parameters;
    if (Object.keys(kept).length > 0) out['action_parameters'] = asValue(kept);
  }
  if (ratelimit !== undefined) {
    const { counting_expression, requests_to_origin, characteristics, ...limits } = ratelimit;
    out['ratelimit'] = asValue({
      ...(Array.isArray(characteristics) ? { characteristics: [...(characteristics as string[])].sort() } : {}),
      ...limits,
      ...(counting_expression ? { counting_expression } : {}),
      ...(requests_to_origin === true ? { requests_to_origin } : {}),
    });
  }
  return out;
}

/** A foreign rule as written back in a PUT: everything but the read-only fields (its id keeps it the same rule). */
export function writableRule(rule: ApiRule): ApiRule {
  const { version: _v, last_updated: _l, categories: _c, ...rest } = rule;
  return rest;
}

/** JSON from the API as a Value (undefined properties dropped). */
export function asValue(json: unknown): Value {
  if (json === null || typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean') return json;
  if (Array.isArray(json)) return json.map(asValue);
  if (typeof json === 'object') {
    return Object.fromEntries(Object.entries(json).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asValue(v)]));
  }
  return null;
}

/** A resolved Value as plain JSON for a request body; an Unknown here is a bug in the caller. */
export function asPlain(value: Value): unknown {
  if (isUnknown(value)) throw new InternalError(`cannot send an unknown value (${value.reason})`);
  if (Array.isArray(value)) return value.map(asPlain);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asPlain(v)]));
  return value;
}
