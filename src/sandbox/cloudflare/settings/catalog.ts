import type { PlanLimits, PlanName } from '../plans.js';

/**
 * The zone settings the sandbox knows, with the values a new Free zone starts with and the
 * values each accepts (the enums of Cloudflare's OpenAPI spec). `minPlan` is the cheapest plan on
 * which the setting is `editable` (`null`: never through the API); `listed: false` settings are
 * left out of `GET /zones/{id}/settings` and read one at a time (`ssl_automatic_mode`, newer than
 * the bulk listing). Settings the API has retired (minify, mobile_redirect) are not served.
 */
export interface SettingDef {
  readonly id: string;
  readonly initial: unknown;
  /** The new value for `value` given the current one, or `undefined` when `value` is not acceptable. */
  readonly accept: (value: unknown, current: unknown) => unknown;
  readonly minPlan: PlanName | null;
  readonly listed: boolean;
  /** Error code for an unacceptable value (1007, or 1008 for `ssl_automatic_mode`). */
  readonly invalidCode: number;
  /** Whether the zone's plan allows an acceptable value (absent: every value); refused as invalid. */
  readonly entitled?: (value: unknown, limits: PlanLimits) => boolean;
}

type Accept = SettingDef['accept'];

const oneOf =
  (...values: readonly unknown[]): Accept =>
  (value) =>
    values.includes(value) ? value : undefined;
const ON_OFF = oneOf('on', 'off');

/** An object setting: only `shape`'s keys, each accepted by its check; keys not sent keep their value. */
const object =
  (shape: Readonly<Record<string, (v: unknown) => boolean>>): Accept =>
  (value, current) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const entries = Object.entries(value);
    if (!entries.every(([key, v]) => shape[key]?.(v) === true)) return undefined;
    return { ...(current as Record<string, unknown>), ...Object.fromEntries(entries) };
  };
const bool = (v: unknown) => typeof v === 'boolean';
const integerIn = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const hsts: Accept = (value, current) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { strict_transport_security: sts, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  const base = (current as { strict_transport_security: Record<string, unknown> }).strict_transport_security;
  const merged = object({
    enabled: bool,
    max_age: integerIn(0, 31_536_000),
    include_subdomains: bool,
    preload: bool,
    nosniff: bool,
  })(sts ?? {}, base);
  return merged === undefined ? undefined : { strict_transport_security: merged };
};

const ciphers: Accept = (value) =>
  Array.isArray(value) &&
  value.every((c) => typeof c === 'string' && /^[A-Z0-9-]+$/.test(c)) &&
  new Set(value).size === value.length
    ? [...value]
    : undefined;

const setting = (
  id: string,
  initial: unknown,
  accept: Accept,
  minPlan: PlanName | null = 'free',
  extra: Partial<Pick<SettingDef, 'listed' | 'invalidCode' | 'entitled'>> = {},
): SettingDef => ({
  id,
  initial,
  accept,
  minPlan,
  listed: extra.listed ?? true,
  invalidCode: extra.invalidCode ?? 1007,
  ...(extra.entitled === undefined ? {} : { entitled: extra.entitled }),
});

export const SETTINGS: readonly SettingDef[] = [
  setting('0rtt', 'off', ON_OFF),
  setting('advanced_ddos', 'on', ON_OFF, null),
  setting('always_online', 'off', ON_OFF),
  setting('always_use_https', 'off', ON_OFF),
  setting('automatic_https_rewrites', 'on', ON_OFF),
  setting(
    'automatic_platform_optimization',
    {
      enabled: false,
      cf: false,
      wordpress: false,
      wp_plugin: false,
      hostnames: [],
      cache_by_device_type: false,
    },
    object({
      enabled: bool,
      cf: bool,
      wordpress: bool,
      wp_plugin: bool,
      cache_by_device_type: bool,
      hostnames: (v) => Array.isArray(v) && v.every((h) => typeof h === 'string'),
    }),
  ),
  setting('brotli', 'on', ON_OFF),
  setting(
    'browser_cache_ttl',
    14400,
    oneOf(
      0,
      30,
      60,
      120,
      300,
      1200,
      1800,
      3600,
      7200,
      10800,
      14400,
      18000,
      28800,
      43200,
      57600,
      72000,
      86400,
      172800,
      259200,
      345600,
      432000,
      691200,
      1382400,
      2073600,
      2678400,
      5356800,
      16070400,
      31536000,
    ),
    'free',
    // Below 2 minutes only on Enterprise (facts `browserCacheTtlMinimum`; inferred from the plans table).
    { entitled: (value, limits) => value === 0 || Number(value) >= limits.browserCacheTtlMinimum },
  ),
  setting('browser_check', 'on', ON_OFF),
  setting('cache_level', 'aggressive', oneOf('aggressive', 'basic', 'simplified')),
  setting(
    'challenge_ttl',
    1800,
    oneOf(300, 900, 1800, 2700, 3600, 7200, 10800, 14400, 28800, 57600, 86400, 604800, 2592000, 31536000),
  ),
  setting('ciphers', [], ciphers, 'business'),
  setting('cname_flattening', 'flatten_at_root', oneOf('flatten_at_root', 'flatten_all'), 'pro'),
  setting('development_mode', 'off', ON_OFF),
  setting('early_hints', 'off', ON_OFF),
  setting(
    'edge_cache_ttl',
    7200,
    oneOf(
      30,
      60,
      300,
      1200,
      1800,
      3600,
      7200,
      10800,
      14400,
      18000,
      28800,
      43200,
      57600,
      72000,
      86400,
      172800,
      259200,
      345600,
      432000,
      518400,
      604800,
    ),
    'enterprise',
  ),
  setting('email_obfuscation', 'on', ON_OFF),
  setting('h2_prioritization', 'off', oneOf('on', 'off', 'custom'), 'pro'),
  setting('hotlink_protection', 'off', ON_OFF),
  setting('http2', 'on', ON_OFF, 'pro'),
  setting('http3', 'on', ON_OFF),
  setting('image_resizing', 'off', oneOf('on', 'off', 'open'), 'business'),
  setting('ip_geolocation', 'on', ON_OFF),
  setting('ipv6', 'on', ON_OFF),
  setting('max_upload', 100, oneOf(100, 200, 500), 'business'),
  setting('min_tls_version', '1.0', oneOf('1.0', '1.1', '1.2', '1.3')),
  setting('mirage', 'off', ON_OFF, 'pro'),
  setting('nel', { enabled: false }, object({ enabled: bool })),
  setting('opportunistic_encryption', 'on', ON_OFF),
  setting('opportunistic_onion', 'on', ON_OFF),
  setting('orange_to_orange', 'off', ON_OFF, 'enterprise'),
  setting('origin_error_page_pass_thru', 'off', ON_OFF, 'enterprise'),
  setting('polish', 'off', oneOf('off', 'lossless', 'lossy'), 'pro'),
  setting('prefetch_preload', 'off', ON_OFF, 'enterprise'),
  setting('proxy_read_timeout', 100, (v) => (integerIn(1, 6000)(v) ? v : undefined), 'enterprise'),
  setting('pseudo_ipv4', 'off', oneOf('off', 'add_header', 'overwrite_header')),
  setting('replace_insecure_js', 'on', ON_OFF),
  setting('response_buffering', 'off', ON_OFF, 'enterprise'),
  setting('rocket_loader', 'off', ON_OFF),
  setting(
    'security_header',
    {
      strict_transport_security: {
        enabled: false,
        max_age: 0,
        include_subdomains: false,
        preload: false,
        nosniff: false,
      },
    },
    hsts,
  ),
  setting('security_level', 'medium', oneOf('off', 'essentially_off', 'low', 'medium', 'high', 'under_attack')),
  setting('server_side_exclude', 'on', ON_OFF),
  setting('sort_query_string_for_cache', 'off', ON_OFF, 'enterprise'),
  setting('ssl', 'full', oneOf('off', 'flexible', 'full', 'strict')),
  setting('ssl_automatic_mode', 'auto', oneOf('auto', 'custom'), 'free', { listed: false, invalidCode: 1008 }),
  setting('tls_1_3', 'on', oneOf('on', 'off', 'zrt')),
  setting('tls_client_auth', 'off', ON_OFF),
  setting('true_client_ip_header', 'off', ON_OFF, 'enterprise'),
  setting('waf', 'off', ON_OFF, 'pro'),
  setting('webp', 'off', oneOf('off', 'on'), 'pro'),
  setting('websockets', 'on', oneOf('off', 'on')),
];

export function settingDef(id: string): SettingDef | undefined {
  return SETTINGS.find((s) => s.id === id);
}
