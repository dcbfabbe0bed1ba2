import type { PlanLimits } from '../plans.js';

type Fields = Record<string, unknown>;
/** Reports a problem at a field below `/rules/<i>/action_parameters` (`''`: the object itself). */
type Report = (field: string, message: string) => void;

/**
 * `set_cache_settings` action parameters (the vendored OpenAPI `rulesets_SetCacheSettingsRule`,
 * developers.cloudflare.com/cache/how-to/cache-rules/settings) and what the zone's plan allows of
 * them (facts/cloudflare-plans.ts: the edge TTL minimum, Enterprise-only status-code TTLs, custom
 * cache keys, origin cache control, read timeout and extra cacheable ports). Cache Reserve is a
 * paid add-on no sandbox zone has. Keys the spec does not list are refused (the stricter reading:
 * newer ones, such as `vary`, are not emulated).
 */
const KEYS = [
  'additional_cacheable_ports',
  'browser_ttl',
  'cache',
  'cache_key',
  'cache_reserve',
  'edge_ttl',
  'origin_cache_control',
  'origin_error_page_passthru',
  'read_timeout',
  'respect_strong_etags',
  'serve_stale',
];
const MODES = ['respect_origin', 'bypass_by_default', 'override_origin'];
const KEY_FLAGS = ['ignore_query_strings_order', 'cache_deception_armor', 'cache_by_device_type'];
const ENTERPRISE = ['origin_cache_control', 'read_timeout', 'additional_cacheable_ports'];

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const NOT_ENTITLED = 'not entitled:';

export function checkCacheParameters(limits: PlanLimits, params: Fields | undefined, at: Report): void {
  if (params === undefined) {
    at('', 'a set_cache_settings rule needs action_parameters');
    return;
  }
  for (const key of Object.keys(params)) if (!KEYS.includes(key)) at(`/${key}`, `unknown field ${key}`);
  for (const key of ['cache', 'respect_strong_etags', 'origin_error_page_passthru', 'origin_cache_control']) {
    if (params[key] !== undefined && typeof params[key] !== 'boolean') at(`/${key}`, `${key} must be a boolean`);
  }
  for (const key of ENTERPRISE.filter((k) => params[k] !== undefined && !limits.enterpriseCaching)) {
    at(`/${key}`, `${NOT_ENTITLED} the use of ${key} requires an Enterprise plan`);
  }
  checkTtl(at, '/edge_ttl', params['edge_ttl'], limits.edgeTtlMinimum, true);
  checkTtl(at, '/browser_ttl', params['browser_ttl'], 1, false);
  const statusTtls = isObject(params['edge_ttl']) ? params['edge_ttl']['status_code_ttl'] : undefined;
  if (statusTtls !== undefined) {
    if (!Array.isArray(statusTtls)) at('/edge_ttl/status_code_ttl', 'status_code_ttl must be an array');
    else if (statusTtls.length > 0 && !limits.enterpriseCaching) {
      at('/edge_ttl/status_code_ttl', `${NOT_ENTITLED} the use of status_code_ttl requires an Enterprise plan`);
    } else for (const [i, item] of statusTtls.entries()) checkStatusTtl(at, `/edge_ttl/status_code_ttl/${i}`, item);
  }
  const key = params['cache_key'];
  if (key !== undefined) {
    if (!isObject(key)) at('/cache_key', 'cache_key must be an object');
    else {
      for (const [name, value] of Object.entries(key)) {
        if (KEY_FLAGS.includes(name)) {
          if (typeof value !== 'boolean') at(`/cache_key/${name}`, `${name} must be a boolean`);
        } else if (name === 'custom_key') {
          if (!isObject(value)) at('/cache_key/custom_key', 'custom_key must be an object');
          else if (!limits.enterpriseCaching)
            at('/cache_key/custom_key', `${NOT_ENTITLED} the use of custom_key requires an Enterprise plan`);
        } else at(`/cache_key/${name}`, `unknown field ${name}`);
      }
    }
  }
  const stale = params['serve_stale'];
  if (stale !== undefined && (!isObject(stale) || typeof stale['disable_stale_while_updating'] !== 'boolean')) {
    at('/serve_stale', 'serve_stale must be {disable_stale_while_updating: boolean}');
  }
  const reserve = params['cache_reserve'];
  if (isObject(reserve) && reserve['eligible'] === true) {
    at('/cache_reserve', `${NOT_ENTITLED} Cache Reserve needs its paid add-on, which this zone does not have`);
  }
}

/**
 * `{mode, default?}`: `default` (at least `minimum` seconds) exactly with `override_origin`;
 * `byPlan` when the minimum is the plan's (the edge TTL's) rather than every plan's.
 */
function checkTtl(at: Report, field: string, ttl: unknown, minimum: number, byPlan: boolean): void {
  if (ttl === undefined) return;
  if (!isObject(ttl) || !MODES.includes(String(ttl['mode']))) {
    at(`${field}/mode`, `mode must be one of ${MODES.join(', ')}`);
    return;
  }
  const value = ttl['default'];
  if (ttl['mode'] !== 'override_origin') {
    if (value !== undefined) at(`${field}/default`, 'default is only allowed with mode override_origin');
  } else if (!isInteger(value) || value < 0) {
    at(`${field}/default`, 'mode override_origin needs default, a number of seconds');
  } else if (value < minimum) {
    const message = byPlan
      ? `${NOT_ENTITLED} the use of value ${value} for default requires a higher plan (at least ${minimum})`
      : `default must be at least ${minimum}`;
    at(`${field}/default`, message);
  }
}

function checkStatusTtl(at: Report, field: string, item: unknown): void {
  const range = isObject(item) ? item['status_code_range'] : undefined;
  const code = isObject(item) ? item['status_code_value'] : undefined;
  if (!isObject(item) || !isInteger(item['value']) || item['value'] < -1) {
    at(`${field}/value`, 'value must be an integer of at least -1');
  } else if ((code === undefined) === (range === undefined)) {
    at(field, 'give exactly one of status_code_value and status_code_range');
  } else if (code !== undefined && (!isInteger(code) || code < 100 || code > 599)) {
    at(`${field}/status_code_value`, 'status_code_value must be a status code from 100 to 599');
  } else if (
    range !== undefined &&
    !(isObject(range) && isInteger(range['from']) && isInteger(range['to']) && range['from'] <= range['to'])
  ) {
    at(`${field}/status_code_range`, 'status_code_range needs from and to, from not above to');
  }
}
