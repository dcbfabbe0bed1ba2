import type { Config, DnsRecordConfig, EnvironmentConfig, WafCustomRule, WafRateLimitRule, ZoneConfig } from '../../model/config.js';
import { type Address, makeAddress, type Resource, type SourceLocation } from '../../model/resource.js';
import { Unknown, type Value } from '../../model/value.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { CACHE_PHASE, cacheRule, cacheSettings } from './desired-cache.js';
import { canonicalContent, dnsAddress, ownershipComment, relativeName } from './dns-names.js';

/** Rules whose `ref` starts with this are daffeinated's; every other rule in a phase is left alone. */
export const RULE_REF_PREFIX = 'daffeinated:';
/** The entrypoint phases a zone's `waf` section writes, in the order they are listed in plans. */
export const WAF_PHASES = ['http_request_firewall_custom', 'http_ratelimit', 'http_request_firewall_managed'] as const;
export type WafPhase = (typeof WAF_PHASES)[number];
/** Every entrypoint phase daffeinated writes: the WAF's, then the cache rules'. */
export const RULESET_PHASES = [...WAF_PHASES, CACHE_PHASE] as const;
export type RulesetPhase = (typeof RULESET_PHASES)[number];
/** Managed rulesets by their app.yaml names (ids from reference/cloudflare-api.md §1.4). */
export const MANAGED_RULESETS = {
  cloudflare: { id: 'efb7b8c949ac4650a09736fc376e9aee', description: 'Cloudflare Managed Ruleset' },
  owasp: { id: '4814384a9e5d4991b9815dcfc25d2f1f', description: 'Cloudflare OWASP Core Ruleset' },
} as const;
/** Record types that can be proxied (only they carry `proxied`), and those that carry `priority`. */
export const PROXIABLE_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME'];
export const PRIORITY_TYPES: readonly string[] = ['MX', 'SRV'];

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
 * WAF and cache phases and the zone's extra `dns` records — belong to the zone's `owner` and are
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

/**
 * Only what `tls` and `cache` declare; with `mode`, `ssl_automatic_mode: custom` too (Automatic
 * SSL/TLS may otherwise raise `ssl`).
 */
function addSettings(out: CloudflareDesired, zone: ZoneConfig): void {
  const tls = zone.tls;
  const attributes: Record<string, Value> = {};
  const attributeSources: Record<string, SourceLocation> = {};
  if (tls !== undefined) {
    if (tls.mode !== undefined) Object.assign(attributes, { ssl: tls.mode, ssl_automatic_mode: 'custom' });
    if (tls.minVersion !== undefined) attributes['min_tls_version'] = tls.minVersion;
    if (tls.alwaysUseHttps !== undefined) attributes['always_use_https'] = tls.alwaysUseHttps;
    if (tls.automaticHttpsRewrites !== undefined) attributes['automatic_https_rewrites'] = tls.automaticHttpsRewrites;
    if (tls.hsts !== undefined) {
      const { enabled, maxAge, includeSubdomains, preload, nosniff } = tls.hsts;
      attributes['hsts'] = { enabled, max_age: maxAge, include_subdomains: includeSubdomains, preload, nosniff };
    }
    for (const name of Object.keys(attributes)) {
      const location = tls.sources?.[TLS_KEYS[name] as string];
      if (location !== undefined) attributeSources[name] = location;
    }
  }
  const cache = cacheSettings(zone.cache);
  Object.assign(attributes, cache.attributes);
  Object.assign(attributeSources, cache.sources);
  if (Object.keys(attributes).length === 0) return;
  const address = makeAddress('cloudflare.settings', zone.name);
  const source = zone.source === undefined ? {} : { source: zone.source };
  const kind = 'cloudflare.settings';
  out.resources.push({ address, provider: 'cloudflare', kind, scope: zone.owner, attributes, sensitive: [], ...source, attributeSources });
}

/**
 * With `waf` declared all three WAF phases are managed, with `cache.rules` declared the cache
 * phase: a managed phase with nothing declared holds none of our rules.
 */
function addRulesets(out: CloudflareDesired, zone: ZoneConfig): void {
  const rules: Partial<Record<RulesetPhase, Value[]>> = {};
  // Where each rule is declared, keyed `rules/<ref>` (not an attribute: for plan-time checks).
  const declared: [string, SourceLocation | undefined][] = [];
  const waf = zone.waf;
  if (waf !== undefined) {
    rules.http_request_firewall_custom = waf.custom.map(customRule);
    rules.http_ratelimit = waf.rateLimits.map(rateLimitRule);
    rules.http_request_firewall_managed = waf.managed.map((name) => {
      const { id, description } = MANAGED_RULESETS[name];
      const ref = `${RULE_REF_PREFIX}managed-${name}`;
      return { ref, description, action: 'execute', expression: 'true', enabled: true, action_parameters: { id } };
    });
    declared.push(
      ...waf.custom.map((r): [string, SourceLocation | undefined] => [r.ref, r.source]),
      ...waf.rateLimits.map((r): [string, SourceLocation | undefined] => [r.ref, r.source]),
      ...waf.managed.map((name): [string, SourceLocation | undefined] => [`managed-${name}`, waf.managedSource]),
    );
  }
  const cacheRules = zone.cache?.rules;
  if (cacheRules !== undefined) {
    rules[CACHE_PHASE] = cacheRules.map((rule) => cacheRule(rule, RULE_REF_PREFIX));
    declared.push(...cacheRules.map((r): [string, SourceLocation | undefined] => [r.ref, r.source]));
  }
  const attributeSources: Record<string, SourceLocation> = {};
  for (const [ref, location] of declared) if (location !== undefined) attributeSources[ruleSourceKey(`${RULE_REF_PREFIX}${ref}`)] = location;
  for (const phase of RULESET_PHASES) {
    const phaseRules = rules[phase];
    if (phaseRules === undefined) continue;
    const address = makeAddress('cloudflare.ruleset', zone.name, phase);
    const source = zone.source === undefined ? {} : { source: zone.source };
    const attributes = { rules: phaseRules };
    out.resources.push({ address, provider: 'cloudflare', kind: 'cloudflare.ruleset', scope: zone.owner, attributes, sensitive: [], ...source, attributeSources });
  }
}

/** The `attributeSources` key of a WAF rule's app.yaml location, by its full ref. */
export function ruleSourceKey(ref: string): string {
  return `rules/${ref}`;
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
