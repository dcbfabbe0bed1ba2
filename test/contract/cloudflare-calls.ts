import type { SandboxHandle } from '../../src/sandbox/index.js';
import { createRecord, zoneId } from '../helpers/cloudflare.js';

/** The calls the Cloudflare contract test makes, and the world they need. */
export interface Call {
  readonly method: string;
  /** The router's pattern (`/zones/:zone_id`), which names the spec operation. */
  readonly pattern: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
}

/** Ids the calls refer to: filled by `contractWorld`, `ruleset` by the entrypoint calls, `rule` by adding one. */
export interface ContractIds {
  zone: string;
  record: string;
  doomed: string;
  ruleset: string;
  rule: string;
}

/** A zone holding a record of each shape the schema distinguishes (A, TXT, MX, SRV, CAA, AAAA, CNAME). */
export async function contractWorld(sandbox: () => SandboxHandle, ids: ContractIds): Promise<void> {
  ids.zone = zoneId(sandbox(), 'contract.example');
  ids.record = (await createRecord(sandbox(), ids.zone, { type: 'A', name: 'www', content: '192.0.2.1' }))[
    'id'
  ] as string;
  ids.doomed = (await createRecord(sandbox(), ids.zone, { type: 'TXT', name: 'old', content: 'bye' }))['id'] as string;
  for (const record of [
    { type: 'MX', name: '@', content: 'mx1.mail.example', priority: 10, comment: 'mail', tags: ['team:ops'] },
    { type: 'SRV', name: '_sip._tcp', data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.net' } },
    { type: 'CAA', name: '@', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
    { type: 'AAAA', name: 'v6', content: '2001:db8::1', proxied: true },
    { type: 'CNAME', name: 'app', content: 'app.herokudns.com', proxied: false, settings: { flatten_cname: true } },
  ]) {
    await createRecord(sandbox(), ids.zone, record);
  }
}

/** One successful call per served route (some routes more than once, to cover more schema branches). */
export function successCalls(ids: ContractIds): Call[] {
  const z = () => `/zones/${ids.zone}`;
  const records = `${z()}/dns_records`;
  const rule = { ref: 'daffeinated:block-wp', action: 'block', expression: '(http.request.uri.path contains "/wp")' };
  return [
    { method: 'GET', pattern: '/zones', path: '/zones?name=contract.example&status=active', status: 200 },
    { method: 'GET', pattern: '/zones/:zone_id', path: z(), status: 200 },
    { method: 'GET', pattern: '/zones/:zone_id/dns_records', path: `${records}?per_page=3&page=2`, status: 200 },
    {
      method: 'POST',
      pattern: '/zones/:zone_id/dns_records',
      path: records,
      body: { type: 'CNAME', name: 'api', content: 'api.herokudns.com', proxied: true, ttl: 1, comment: 'c' },
      status: 200,
    },
    {
      method: 'GET',
      pattern: '/zones/:zone_id/dns_records/:dns_record_id',
      path: `${records}/${ids.record}`,
      status: 200,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/dns_records/:dns_record_id',
      path: `${records}/${ids.record}`,
      body: { type: 'A', name: 'www.contract.example', content: '192.0.2.2', ttl: 300, proxied: false },
      status: 200,
    },
    {
      method: 'PATCH',
      pattern: '/zones/:zone_id/dns_records/:dns_record_id',
      path: `${records}/${ids.record}`,
      body: { proxied: true, tags: ['env:prod'] },
      status: 200,
    },
    {
      method: 'DELETE',
      pattern: '/zones/:zone_id/dns_records/:dns_record_id',
      path: `${records}/${ids.doomed}`,
      status: 200,
    },
    {
      method: 'POST',
      pattern: '/zones/:zone_id/dns_records/batch',
      path: `${records}/batch`,
      body: {
        patches: [{ id: ids.record, comment: 'patched' }],
        posts: [{ type: 'TXT', name: '@', content: 'v=spf1 -all', ttl: 3600 }],
      },
      status: 200,
    },
    { method: 'GET', pattern: '/zones/:zone_id/settings', path: `${z()}/settings`, status: 200 },
    {
      method: 'PATCH',
      pattern: '/zones/:zone_id/settings',
      path: `${z()}/settings`,
      body: {
        items: [
          { id: 'ssl', value: 'strict' },
          { id: 'always_use_https', value: 'on' },
          { id: 'security_header', value: { strict_transport_security: { enabled: true, max_age: 31536000 } } },
        ],
      },
      status: 200,
    },
    { method: 'GET', pattern: '/zones/:zone_id/settings/:setting_id', path: `${z()}/settings/ssl`, status: 200 },
    {
      method: 'PATCH',
      pattern: '/zones/:zone_id/settings/:setting_id',
      path: `${z()}/settings/min_tls_version`,
      body: { value: '1.2' },
      status: 200,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_request_firewall_custom/entrypoint`,
      body: {
        rules: [
          rule,
          {
            ref: 'skip-ok',
            action: 'skip',
            expression: '(ip.src eq 192.0.2.7)',
            action_parameters: { ruleset: 'current' },
          },
        ],
      },
      status: 200,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_ratelimit/entrypoint`,
      body: {
        rules: [
          {
            ref: 'daffeinated:login',
            action: 'block',
            expression: '(http.request.uri.path eq "/login")',
            ratelimit: {
              characteristics: ['cf.colo.id', 'ip.src'],
              period: 10,
              requests_per_period: 5,
              mitigation_timeout: 10,
            },
          },
        ],
      },
      status: 200,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_request_firewall_managed/entrypoint`,
      body: {
        rules: [
          {
            ref: 'daffeinated:managed-owasp',
            action: 'execute',
            expression: 'true',
            action_parameters: {
              id: '4814384a9e5d4991b9815dcfc25d2f1f',
              overrides: { categories: [{ category: 'paranoia-level-2', enabled: false }] },
            },
          },
        ],
      },
      status: 200,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_request_cache_settings/entrypoint`,
      body: {
        rules: [
          {
            ref: 'daffeinated:static-assets',
            action: 'set_cache_settings',
            expression: 'starts_with(http.request.uri.path, "/assets/")',
            action_parameters: {
              cache: true,
              edge_ttl: { mode: 'override_origin', default: 2592000 },
              browser_ttl: { mode: 'override_origin', default: 31536000 },
              cache_key: { cache_deception_armor: true },
            },
          },
          {
            ref: 'daffeinated:no-cache-api',
            action: 'set_cache_settings',
            expression: 'true',
            action_parameters: { cache: false },
          },
        ],
      },
      status: 200,
    },
    {
      method: 'GET',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_request_firewall_custom/entrypoint`,
      status: 200,
    },
    { method: 'GET', pattern: '/zones/:zone_id/rulesets', path: `${z()}/rulesets`, status: 200 },
    {
      method: 'GET',
      pattern: '/zones/:zone_id/rulesets/:ruleset_id',
      path: `${z()}/rulesets/${ids.ruleset}`,
      status: 200,
    },
    {
      method: 'POST',
      pattern: '/zones/:zone_id/rulesets/:ruleset_id/rules',
      path: `${z()}/rulesets/${ids.ruleset}/rules`,
      body: { ref: 'per-rule', action: 'block', expression: '(http.request.uri.path eq "/xmlrpc.php")', position: { index: 1 } },
      status: 200,
    },
    {
      method: 'PATCH',
      pattern: '/zones/:zone_id/rulesets/:ruleset_id/rules/:rule_id',
      path: `${z()}/rulesets/${ids.ruleset}/rules/${ids.rule}`,
      body: { description: 'edited one rule', enabled: false },
      status: 200,
    },
    {
      method: 'DELETE',
      pattern: '/zones/:zone_id/rulesets/:ruleset_id/rules/:rule_id',
      path: `${z()}/rulesets/${ids.ruleset}/rules/${ids.rule}`,
      status: 200,
    },
    ...[
      { hosts: ['www.contract.example', 'contract.example'] },
      { prefixes: ['www.contract.example/assets'] },
      { tags: ['release-42'] },
      { files: ['https://www.contract.example/app.css', { url: 'https://www.contract.example/', headers: { 'CF-IPCountry': 'US' } }] },
      { purge_everything: true },
    ].map((body) => ({ method: 'POST', pattern: '/zones/:zone_id/purge_cache', path: `${z()}/purge_cache`, body, status: 200 })),
  ];
}

/** Error answers, checked against the operations' 4XX schemas. */
export function failureCalls(ids: ContractIds): Call[] {
  const z = () => `/zones/${ids.zone}`;
  const records = `${z()}/dns_records`;
  return [
    { method: 'GET', pattern: '/zones/:zone_id', path: `/zones/${'0'.repeat(32)}`, status: 404 },
    {
      method: 'GET',
      pattern: '/zones/:zone_id/dns_records/:dns_record_id',
      path: `${records}/${'f'.repeat(32)}`,
      status: 404,
    },
    {
      method: 'POST',
      pattern: '/zones/:zone_id/dns_records',
      path: records,
      body: { type: 'CNAME', name: 'www', content: 'elsewhere.example' },
      status: 400,
    },
    {
      method: 'PATCH',
      pattern: '/zones/:zone_id/settings/:setting_id',
      path: `${z()}/settings/ssl`,
      body: { value: 'superstrict' },
      status: 400,
    },
    {
      method: 'GET',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_ratelimit/entrypoint`,
      status: 404,
    },
    {
      method: 'PUT',
      pattern: '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint',
      path: `${z()}/rulesets/phases/http_request_firewall_managed/entrypoint`,
      body: { rules: [{ action: 'execute', expression: 'true', action_parameters: { id: 'f'.repeat(32) } }] },
      status: 400,
    },
    { method: 'POST', pattern: '/zones/:zone_id/purge_cache', path: `${z()}/purge_cache`, body: { purge_everything: false }, status: 400 },
    {
      method: 'POST',
      pattern: '/zones/:zone_id/purge_cache',
      path: `${z()}/purge_cache`,
      body: { hosts: Array.from({ length: 31 }, (_, i) => `h${i}.contract.example`) },
      status: 400,
    },
  ];
}
