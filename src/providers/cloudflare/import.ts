import { isRecord } from '../../model/value.js';
import type { ApiRule } from './api-types.js';
import type { CloudflareClient } from './client.js';
import { fromApiRecord } from './convert.js';
import { MANAGED_RULESETS, PRIORITY_TYPES, PROXIABLE_TYPES, RULE_REF_PREFIX, WAF_PHASES } from './desired.js';
import { CACHE_PHASE } from './desired-cache.js';
import { importCache } from './import-cache.js';

/** The `cloudflare.zones.<zone>` section of app.yaml describing a live zone, plus notes for the user. */
export interface ImportedZone {
  readonly section: Record<string, unknown>;
  readonly notes: readonly string[];
}

const MARKER_SUFFIX = /(?:^|\s\|\s)managed by daffeinated \([^()\s]+\)$/;

/**
 * Reads a zone (records, settings, WAF and cache phases: one request per kind, concurrently) and writes it
 * as app.yaml declares one, so that planning right after shows no changes:
 * - every record becomes a `dns` entry, except CNAMEs at `skipNames` (the environment domains an
 *   accompanying `--app` import declares: those CNAMEs are automatic) and records daffeinated made
 *   for another environment (noted: that environment's plans manage them);
 * - TLS settings are declared, but `mode` only when Cloudflare's automatic SSL mode is off
 *   (declaring it pins the mode, which would itself be a change);
 * - only daffeinated's WAF rules (`daffeinated:` refs) are declared; rules made elsewhere stay
 *   unmanaged and untouched, as they would be anyway; likewise cache rules (`importCache`).
 */
export async function importZone(client: CloudflareClient, zone: string, owner: string, skipNames: ReadonlySet<string>): Promise<ImportedZone> {
  const { id } = await client.findZone(zone);
  const [records, settings, automatic, cachePhase, ...phases] = await Promise.all([
    client.listRecords(id),
    client.getSettings(id),
    client.getSetting(id, 'ssl_automatic_mode'),
    client.getPhase(id, CACHE_PHASE),
    ...WAF_PHASES.map((phase) => client.getPhase(id, phase)),
  ]);
  const notes: string[] = [];
  const live = records.map((record) => fromApiRecord(zone, record));
  // Records daffeinated made for another environment are that environment's (its plans manage them).
  const elsewhere = live.filter((record) => record.owner !== undefined && record.owner !== owner);
  for (const environment of [...new Set(elsewhere.map((r) => r.owner as string))].sort()) {
    const names = elsewhere.filter((r) => r.owner === environment).map((r) => `${r.type} ${r.name}`);
    notes.push(`${zone}: ${names.join(', ')} belong to environment ${environment}; import its app too to describe them`);
  }
  const dns = live
    .filter((record) => record.owner === undefined || record.owner === owner)
    .filter((record) => !(record.type === 'CNAME' && skipNames.has(record.name)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type) || a.content.localeCompare(b.content))
    .map((record) => {
      const a = record.attributes;
      const entry: Record<string, unknown> = { name: record.name, type: record.type, content: record.content };
      if (PROXIABLE_TYPES.includes(record.type) && a['proxied'] === true) entry['proxied'] = true;
      else if (a['ttl'] !== 1) entry['ttl'] = a['ttl'];
      if (PRIORITY_TYPES.includes(record.type)) entry['priority'] = a['priority'];
      const comment = String(a['comment'] ?? '').replace(MARKER_SUFFIX, '');
      if (comment !== '') entry['comment'] = comment;
      return entry;
    });
  const value = (key: string) => settings.find((s) => s.id === key)?.value;
  const tls: Record<string, unknown> = {};
  if (automatic?.value === 'custom') tls['mode'] = value('ssl');
  else notes.push(`${zone}: Cloudflare picks the SSL mode automatically; add tls.mode to pin one`);
  tls['min_version'] = value('min_tls_version');
  tls['always_use_https'] = value('always_use_https') === 'on';
  tls['automatic_https_rewrites'] = value('automatic_https_rewrites') === 'on';
  const header = value('security_header');
  const sts = isRecord(header) && isRecord(header['strict_transport_security']) ? header['strict_transport_security'] : undefined;
  if (sts !== undefined && sts['enabled'] === true) {
    tls['hsts'] = {
      max_age: sts['max_age'],
      include_subdomains: sts['include_subdomains'] === true,
      preload: sts['preload'] === true,
      nosniff: sts['nosniff'] === true,
    };
  }
  const [custom, rateLimited, managed] = phases.map((p) => (p?.rules ?? []) as readonly ApiRule[]);
  const ours = (rules: readonly ApiRule[] | undefined) => (rules ?? []).filter((r) => typeof r.ref === 'string' && r.ref.startsWith(RULE_REF_PREFIX));
  const foreign = phases.flatMap((p) => (p?.rules ?? []).filter((r) => !(typeof r.ref === 'string' && r.ref.startsWith(RULE_REF_PREFIX))));
  if (foreign.length > 0) notes.push(`${zone}: ${foreign.length} WAF rule(s) made elsewhere stay unmanaged (kept on every write)`);
  const waf = {
    managed: ours(managed).flatMap((rule) => {
      const entry = Object.entries(MANAGED_RULESETS).find(([, m]) => m.id === rule.action_parameters?.['id']);
      return entry === undefined ? [] : [entry[0]];
    }),
    custom: ours(custom).map((rule) => ({
      ref: (rule.ref as string).slice(RULE_REF_PREFIX.length),
      ...(rule.description ? { description: rule.description } : {}),
      action: rule.action,
      expression: rule.expression,
      ...(rule.enabled === false ? { enabled: false } : {}),
    })),
    rate_limits: ours(rateLimited).map((rule) => {
      const limit = rule.ratelimit ?? {};
      return {
        ref: (rule.ref as string).slice(RULE_REF_PREFIX.length),
        ...(rule.description ? { description: rule.description } : {}),
        expression: rule.expression,
        requests: limit['requests_per_period'],
        period: limit['period'],
        timeout: limit['mitigation_timeout'],
        action: rule.action,
        ...(Array.isArray(limit['characteristics']) ? { characteristics: [...(limit['characteristics'] as string[])].sort() } : {}),
        ...(rule.enabled === false ? { enabled: false } : {}),
      };
    }),
  };
  const hasWaf = waf.managed.length + waf.custom.length + waf.rate_limits.length > 0;
  const cacheRules = (cachePhase?.rules ?? []) as readonly ApiRule[];
  const cache = importCache(settings, cacheRules);
  const foreignCache = cacheRules.filter((r) => !(typeof r.ref === 'string' && r.ref.startsWith(RULE_REF_PREFIX))).length;
  if (foreignCache > 0) notes.push(`${zone}: ${foreignCache} cache rule(s) made elsewhere stay unmanaged (kept on every write)`);
  return {
    section: { owner, tls, ...(dns.length > 0 ? { dns } : {}), ...(hasWaf ? { waf } : {}), ...(cache === undefined ? {} : { cache }) },
    notes,
  };
}
