import type { Diagnostic } from '../runtime/diagnostics.js';
import type { Config, DnsRecordConfig, EnvironmentConfig, WafCustomRule, WafRateLimitRule, ZoneConfig } from './config.js';
import { type Address, makeAddress, type Resource, type SourceLocation } from './resource.js';
import { Unknown, type Value } from './value.js';

/** Rules whose `ref` starts with this are daffeinated's; every other rule in a phase is left alone. */
export const RULE_REF_PREFIX = 'daffeinated:';
/** The entrypoint phases a zone's `waf` section writes, in the order they are listed in plans. */
export const WAF_PHASES = ['http_request_firewall_custom', 'http_ratelimit', 'http_request_firewall_managed'] as const;
export type WafPhase = (typeof WAF_PHASES)[number];
/** Managed rulesets by their app.yaml names (ids from reference/cloudflare-api.md §1.4). */
export const MANAGED_RULESETS = {
  cloudflare: { id: 'efb7b8c949ac4650a09736fc376e9aee', description: 'Cloudflare Managed Ruleset' },
  owasp: { id: '4814384a9e5d4991b9815dcfc25d2f1f', description: 'Cloudflare OWASP Core Ruleset' },
} as const;
/** Record types that can be proxied (only they carry `proxied`), and those that carry `priority`. */
export const PROXIABLE_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME'];
export const PRIORITY_TYPES: readonly string[] = ['MX', 'SRV'];

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

/** The Cloudflare resources of some environments, the prune keys that let undeclared records of ours go, and problems. */
export interface CloudflareDesired {
  readonly resources: Resource[];
  /** `cloudflare.dns@<environment>` per targeted environment (see engine `prunesKey`). */
  readonly prune: string[];
  readonly diagnostics: Diagnostic[];
}

interface RecordDraft {
  readonly zone: string;
  readonly scope: string;
  readonly type: string;
  readonly name: string;
  readonly attributes: { readonly [name: string]: Value };
  readonly dependsOn?: readonly Address[];
  readonly source: SourceLocation | undefined;
  readonly path: string; // YAML path, for diagnostics
}

/**
 * The desired Cloudflare resources of `environments` (pure). Zone-wide things — settings, the
 * three WAF phases and the zone's extra `dns` records — belong to the zone's `owner` and are
 * built only when the owner is targeted. Each environment domain inside a declared zone (the most
 * specific one) gets a CNAME to its Heroku DNS target, scoped to that environment. Every DNS
 * record's scope is its environment and its comment carries the ownership marker; the prune keys
 * let the engine delete live records marked for a targeted environment that app.yaml no longer
 * declares (records without the marker are never in those scopes: see the provider's read).
 */
export function desiredCloudflare(config: Config, environments: readonly string[]): CloudflareDesired {
  const out: CloudflareDesired = { resources: [], prune: [], diagnostics: [] };
  const zones = Object.values(config.cloudflare.zones).sort((a, b) => b.name.length - a.name.length || (a.name < b.name ? -1 : 1));
  if (zones.length === 0) return out;
  const targeted = [...new Set(environments)].filter((name) => Object.hasOwn(config.environments, name)).sort();
  const drafts: RecordDraft[] = [];
  for (const zone of zones.filter((z) => targeted.includes(z.owner))) {
    addSettings(out, zone);
    addRulesets(out, zone);
    for (const [i, record] of zone.dns.entries()) drafts.push(extraRecord(zone, record, `cloudflare.zones.${zone.name}.dns[${i}]`));
  }
  for (const name of targeted) {
    const environment = config.environments[name] as EnvironmentConfig;
    for (const domain of environment.domains.map((d) => d.toLowerCase())) {
      // Longest first, so the most specific zone containing the domain wins.
      const zone = zones.find((z) => domain === z.name || domain.endsWith(`.${z.name}`));
      if (zone !== undefined) drafts.push(environmentCname(environment, zone, domain));
    }
    out.prune.push(`cloudflare.dns@${name}`);
  }
  addRecords(out, drafts);
  return out;
}

function extraRecord(zone: ZoneConfig, record: DnsRecordConfig, path: string): RecordDraft {
  const name = relativeName(record.name, zone.name);
  const attributes: Record<string, Value> = { type: record.type, name, content: canonicalContent(record.type, record.content) };
  const proxied = PROXIABLE_TYPES.includes(record.type) && record.proxied === true;
  if (PROXIABLE_TYPES.includes(record.type)) attributes['proxied'] = proxied;
  attributes['ttl'] = proxied ? 1 : record.ttl;
  if (PRIORITY_TYPES.includes(record.type)) attributes['priority'] = record.priority ?? 0;
  attributes['comment'] = ownershipComment(zone.owner, record.comment);
  return { zone: zone.name, scope: zone.owner, type: record.type, name, attributes, source: record.source ?? zone.source, path };
}

function environmentCname(environment: EnvironmentConfig, zone: ZoneConfig, domain: string): RecordDraft {
  const herokuDomain = makeAddress('heroku.domain', environment.name, domain);
  const name = relativeName(domain, zone.name);
  const content = new Unknown('known after apply', { ref: { address: herokuDomain, attribute: 'cname' } });
  const comment = ownershipComment(environment.name);
  return {
    zone: zone.name,
    scope: environment.name,
    type: 'CNAME',
    name,
    attributes: { type: 'CNAME', name, content, proxied: zone.proxied, ttl: 1, comment },
    dependsOn: [herokuDomain],
    source: environment.sources['domains'],
    path: `environments.${environment.name}.domains`,
  };
}

/** Turns drafts into resources; records sharing zone, type and name are told apart by content. */
function addRecords(out: CloudflareDesired, drafts: readonly RecordDraft[]): void {
  const keys = drafts.map((d) => `${d.zone}/${d.type}/${d.name}`);
  const sizes = new Map<string, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  const seen = new Set<Address>();
  for (const [index, draft] of drafts.entries()) {
    const content = draft.attributes['content'];
    const shared = sizes.get(keys[index] as string) !== 1 && draft.type !== 'CNAME' && typeof content === 'string';
    const address = dnsAddress(draft.zone, draft.type, draft.name, shared ? content : undefined);
    if (seen.has(address)) {
      const hint = 'declare each record once (a domain belongs to one environment)';
      out.diagnostics.push(problem(draft, `${draft.type} record ${fqdn(draft)} is declared more than once`, hint));
      continue;
    }
    seen.add(address);
    const { scope, attributes, dependsOn, source } = draft;
    const extra = { ...(dependsOn ? { dependsOn } : {}), ...(source ? { source } : {}) };
    out.resources.push({ address, provider: 'cloudflare', kind: 'cloudflare.dns', scope, attributes, sensitive: [], ...extra });
  }
  // The first A or AAAA draft of each zone and name: the one a CNAME of that name is reported against.
  const addresses = new Map<string, RecordDraft>();
  for (const draft of drafts) {
    const at = `${draft.zone}/${draft.name}`;
    if ((draft.type === 'A' || draft.type === 'AAAA') && !addresses.has(at)) addresses.set(at, draft);
  }
  for (const cname of drafts.filter((d) => d.type === 'CNAME')) {
    const clash = addresses.get(`${cname.zone}/${cname.name}`);
    if (clash === undefined) continue;
    const hint = 'Cloudflare refuses a CNAME next to an A or AAAA record of the same name: keep one';
    out.diagnostics.push(problem(clash, `${fqdn(cname)} cannot have both a CNAME (${cname.path}) and an ${clash.type} record`, hint));
  }
}

const fqdn = (draft: RecordDraft): string => (draft.name === '@' ? draft.zone : `${draft.name}.${draft.zone}`);

const problem = (draft: RecordDraft, message: string, hint: string): Diagnostic => ({ severity: 'error', message, path: draft.path, ...(draft.source ?? {}), hint });

/** app.yaml key under `tls` of each settings attribute, for source locations. */
const TLS_KEYS: Readonly<Record<string, string>> = {
  ssl: 'mode',
  ssl_automatic_mode: 'mode',
  min_tls_version: 'min_version',
  always_use_https: 'always_use_https',
  automatic_https_rewrites: 'automatic_https_rewrites',
  hsts: 'hsts',
};

/** Only what `tls` declares; with `mode`, `ssl_automatic_mode: custom` too (Automatic SSL/TLS may otherwise raise `ssl`). */
function addSettings(out: CloudflareDesired, zone: ZoneConfig): void {
  const tls = zone.tls;
  if (tls === undefined) return;
  const attributes: Record<string, Value> = {};
  if (tls.mode !== undefined) Object.assign(attributes, { ssl: tls.mode, ssl_automatic_mode: 'custom' });
  if (tls.minVersion !== undefined) attributes['min_tls_version'] = tls.minVersion;
  if (tls.alwaysUseHttps !== undefined) attributes['always_use_https'] = tls.alwaysUseHttps;
  if (tls.automaticHttpsRewrites !== undefined) attributes['automatic_https_rewrites'] = tls.automaticHttpsRewrites;
  if (tls.hsts !== undefined) {
    const { enabled, maxAge, includeSubdomains, preload, nosniff } = tls.hsts;
    attributes['hsts'] = { enabled, max_age: maxAge, include_subdomains: includeSubdomains, preload, nosniff };
  }
  if (Object.keys(attributes).length === 0) return;
  const attributeSources: Record<string, SourceLocation> = {};
  for (const name of Object.keys(attributes)) {
    const location = tls.sources?.[TLS_KEYS[name] as string];
    if (location !== undefined) attributeSources[name] = location;
  }
  const address = makeAddress('cloudflare.settings', zone.name);
  const source = zone.source === undefined ? {} : { source: zone.source };
  const kind = 'cloudflare.settings';
  out.resources.push({ address, provider: 'cloudflare', kind, scope: zone.owner, attributes, sensitive: [], ...source, attributeSources });
}

/** With `waf` declared all three phases are managed: a phase with nothing declared holds none of our rules. */
function addRulesets(out: CloudflareDesired, zone: ZoneConfig): void {
  const waf = zone.waf;
  if (waf === undefined) return;
  const rules: Record<WafPhase, Value[]> = {
    http_request_firewall_custom: waf.custom.map(customRule),
    http_ratelimit: waf.rateLimits.map(rateLimitRule),
    http_request_firewall_managed: waf.managed.map((name) => {
      const { id, description } = MANAGED_RULESETS[name];
      const ref = `${RULE_REF_PREFIX}managed-${name}`;
      return { ref, description, action: 'execute', expression: 'true', enabled: true, action_parameters: { id } };
    }),
  };
  for (const phase of WAF_PHASES) {
    const address = makeAddress('cloudflare.ruleset', zone.name, phase);
    const source = zone.source === undefined ? {} : { source: zone.source };
    const attributes = { rules: rules[phase] };
    out.resources.push({ address, provider: 'cloudflare', kind: 'cloudflare.ruleset', scope: zone.owner, attributes, sensitive: [], ...source });
  }
}

function customRule(declared: WafCustomRule): Value {
  const { ref, description = '', action, expression, enabled } = declared;
  // `skip` must say what it skips: here the remaining custom rules of the phase.
  const rule: Record<string, Value> = { ref: `${RULE_REF_PREFIX}${ref}`, description, action, expression, enabled };
  if (action === 'skip') rule['action_parameters'] = { ruleset: 'current' };
  return rule;
}

function rateLimitRule(rule: WafRateLimitRule): Value {
  const { ref, description = '', action, expression, enabled } = rule;
  const ratelimit = {
    characteristics: [...rule.characteristics].sort(),
    period: rule.period,
    requests_per_period: rule.requests,
    mitigation_timeout: rule.timeout,
  };
  return { ref: `${RULE_REF_PREFIX}${ref}`, description, action, expression, enabled, ratelimit };
}
