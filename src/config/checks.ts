/**
 * Checks of single values and single entries that the schema applies (as refinements): kept free
 * of zod so they read, and test, as plain functions.
 */
import { PRIORITY_TYPES, PROXIABLE_TYPES } from './constants.js';
import { isHostname, recordContentProblem } from './hostname.js';

/** A problem inside one entry; `key` names the field it is about (the entry itself when absent). */
export interface Problem {
  readonly key?: string;
  readonly message: string;
  readonly hint?: string;
}

/** `syslog+tls://host:port` or `https://host/…`: the log drain URLs Heroku accepts. */
export function isLogDrainUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return url.hostname !== '';
    return url.protocol === 'syslog+tls:' && url.hostname !== '' && url.port !== '';
  } catch {
    return false;
  }
}

/**
 * A Cloudflare purge prefix: `host` or `host/path`, without scheme, query or fragment, at most 31
 * path separators (developers.cloudflare.com/cache/how-to/purge-cache/purge_by_prefix/).
 */
export function isPurgePrefix(value: string): boolean {
  if (/:\/\/|[?#\s]/.test(value) || (value.match(/\//g) ?? []).length > 31) return false;
  return isHostname(value.split('/')[0] ?? '');
}

/** `YYYY-MM-DD` naming a day that exists. */
export function isCalendarDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Cloudflare TTL: 1 (automatic) or 60–86400 seconds. */
export function isDnsTtl(value: number): boolean {
  return value === 1 || (value >= 60 && value <= 86_400);
}

/** Exactly one of value, generate, from_env; each companion key only with its owner. */
export function configVarProblems(v: {
  readonly value?: unknown;
  readonly sensitive?: unknown;
  readonly generate?: unknown;
  readonly bytes?: unknown;
  readonly from_env?: unknown;
  readonly optional?: unknown;
}): Problem[] {
  const kinds = (['value', 'generate', 'from_env'] as const).filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) {
    const message =
      kinds.length === 0
        ? 'a config var needs one of value, generate or from_env'
        : `give only one of ${kinds.join(', ')}`;
    return [{ message, hint: 'e.g. {value: "x"}, {generate: secret} or {from_env: VAR}' }];
  }
  const companions = [
    ['sensitive', 'value'],
    ['bytes', 'generate'],
    ['optional', 'from_env'],
  ] as const;
  return companions
    .filter(([key, owner]) => v[key] !== undefined && v[owner] === undefined)
    .map(([key, owner]) => ({ key, message: `"${key}" only applies together with ${owner}` }));
}

/** Cloudflare's rules for one record: priority where needed, proxying, TTL and content shape. */
export function dnsRecordProblems(r: {
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly ttl?: number | undefined;
  readonly proxied?: boolean | undefined;
  readonly priority?: number | undefined;
}): Problem[] {
  const problems: Problem[] = [];
  const takesPriority = PRIORITY_TYPES.includes(r.type);
  if (takesPriority && r.priority === undefined) {
    problems.push({ message: `${r.type} record "${r.name}" needs a priority`, hint: 'add e.g. `priority: 10`' });
  }
  if (!takesPriority && r.priority !== undefined) {
    problems.push({ key: 'priority', message: `priority does not apply to ${r.type} records` });
  }
  if (r.proxied === true && !PROXIABLE_TYPES.includes(r.type)) {
    problems.push({ key: 'proxied', message: `${r.type} records cannot be proxied (only A, AAAA and CNAME)` });
  }
  if (r.proxied === true && r.ttl !== undefined && r.ttl !== 1) {
    problems.push({
      key: 'ttl',
      message: 'proxied records always have an automatic TTL',
      hint: 'use ttl: 1 or remove ttl',
    });
  }
  const content = recordContentProblem(r.type, r.content);
  if (content !== undefined) problems.push({ key: 'content', message: `${r.type} record: ${content}` });
  return problems;
}
