import nock from 'nock';
import type { Config, ZoneConfig } from '../../../src/model/config.js';
import { CloudflareClient, type HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import type { ApplyContext } from '../../../src/providers/provider.js';
import type { Value } from '../../../src/model/value.js';
import { environmentConfig } from '../../helpers/config.js';

export const ORIGIN = 'https://api.cloudflare.test';
export const API = '/client/v4';
export const ZONE = 'daffeinated.com';
export const ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';

/** A Cloudflare v4 success envelope. */
export function ok(result: unknown, extra: Record<string, unknown> = {}) {
  return { success: true, errors: [], messages: [], result, ...extra };
}

/** A Cloudflare v4 failure envelope. */
export function failure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

/** A 32-hex id derived from a short name, so tests read well and ids look like Cloudflare's. */
export function hexId(name: string): string {
  return Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
}

/** A DNS record as the API lists it (full name, response-only fields present). */
export function apiRecord(fields: { id: string; type: string; name: string; content: string } & Record<string, unknown>) {
  return { proxiable: true, proxied: false, ttl: 1, comment: null, tags: [], created_on: '2026-01-01T00:00:00Z', modified_on: '2026-01-01T00:00:00Z', ...fields, id: hexId(fields.id) };
}

export function newClient(log: HttpLogEntry[] = [], sleeps: number[] = [], hooks: { onRetry?: (message: string) => void; now?: () => Date } = {}): CloudflareClient {
  return new CloudflareClient({
    ...hooks,
    baseUrl: `${ORIGIN}${API}`,
    apiToken: 'cf-test-token',
    dnsPageSize: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onHttp: (entry) => log.push(entry),
  });
}

/** Answers the zone lookup once. */
export function mockZone(name = ZONE, id = ZONE_ID): nock.Scope {
  return nock(ORIGIN).get(`${API}/zones`).query({ name, per_page: '50' }).reply(200, ok([{ id, name, status: 'active' }], { result_info: { page: 1, per_page: 50, count: 1, total_count: 1, total_pages: 1 } }));
}

/** Answers one DNS listing page holding every record. */
export function mockRecords(records: readonly unknown[], zoneId = ZONE_ID): nock.Scope {
  const info = { page: 1, per_page: 100, count: records.length, total_count: records.length, total_pages: 1 };
  return nock(ORIGIN).get(`${API}/zones/${zoneId}/dns_records`).query({ page: '1', per_page: '100' }).reply(200, ok(records, { result_info: info }));
}

export const reporter = { info: () => {}, warn: () => {}, progress: () => {} };

export function context(outputs: Record<string, Record<string, Value>> = {}, warnings: string[] = []): ApplyContext {
  return {
    reporter: { ...reporter, warn: (message: string) => warnings.push(message) },
    outputs: new Map(Object.entries(outputs)),
  };
}

const at = (line: number) => ({ file: 'app.yaml', line, col: 3 });

/** The DESIGN.md example zone: production owns it; staging has one domain in it. */
export function zoneConfig(overrides: Partial<ZoneConfig> = {}): ZoneConfig {
  return {
    name: ZONE,
    owner: 'production',
    proxied: true,
    tls: {
      mode: 'strict',
      minVersion: '1.2',
      alwaysUseHttps: true,
      automaticHttpsRewrites: undefined,
      hsts: { enabled: true, maxAge: 31536000, includeSubdomains: true, preload: false, nosniff: false },
    },
    dns: [
      { name: '@', type: 'MX', content: 'mx1.mail.example', ttl: 1, proxied: undefined, priority: 10, comment: undefined, source: at(40) },
      { name: '@', type: 'TXT', content: 'v=spf1 include:_spf.mail.example ~all', ttl: 1, proxied: undefined, priority: undefined, comment: undefined, source: at(41) },
    ],
    waf: {
      managed: ['cloudflare'],
      custom: [{ ref: 'block-wp', description: 'WordPress probes', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', enabled: true, source: at(50) }],
      rateLimits: [
        {
          ref: 'login',
          description: 'Login',
          expression: '(http.request.uri.path eq "/login")',
          requests: 10,
          period: 60,
          timeout: 600,
          action: 'block',
          characteristics: ['ip.src', 'cf.colo.id'],
          enabled: true,
          source: at(55),
        },
      ],
    },
    source: at(30),
    ...overrides,
  };
}

export function appConfig(zone: ZoneConfig = zoneConfig()): Config {
  return {
    file: 'app.yaml',
    version: 1,
    name: 'daffeinated',
    pipeline: undefined,
    environments: {
      staging: environmentConfig('staging', ['staging.daffeinated.com']),
      production: environmentConfig('production', ['daffeinated.com', 'www.daffeinated.com']),
    },
    cloudflare: { zones: { [zone.name]: zone } },
    drift: { ignore: [] },
    sources: {},
  };
}
