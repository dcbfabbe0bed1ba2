import type { CloudflarePlanLimits } from '../../facts/cloudflare-plans.js';
import { isRecord, type Value } from '../../model/value.js';

/** `set_cache_settings` parameters only Enterprise zones may use (cache-rules/settings.mdx: "Enterprise-only"). */
const ENTERPRISE_PARAMETERS = ['origin_cache_control', 'read_timeout', 'additional_cacheable_ports'];

/** Zone settings whose values the plan limits beyond what `editable` says; judged at plan time. */
export const PLAN_CHECKED_SETTINGS: ReadonlySet<string> = new Set(['browser_cache_ttl', 'sort_query_string_for_cache']);

/**
 * Why the plan refuses a cache rule's parameters; empty when it does not. The facts are in
 * facts/cloudflare-plans.ts (edge TTL minimum, Enterprise-only features).
 */
export function cacheRuleProblems(limits: CloudflarePlanLimits, parameters: Value | undefined): string[] {
  if (!isRecord(parameters)) return [];
  const problems: string[] = [];
  const edge = parameters['edge_ttl'];
  if (isRecord(edge)) {
    const ttl = edge['default'];
    if (edge['mode'] === 'override_origin' && typeof ttl === 'number' && ttl < limits.edgeTtlMinimum) {
      problems.push(`an edge TTL of ${ttl} s is under the plan's minimum of ${limits.edgeTtlMinimum} s`);
    }
    if (Array.isArray(edge['status_code_ttl']) && edge['status_code_ttl'].length > 0 && !limits.enterpriseCaching) {
      problems.push('edge TTLs by status code (status_code_ttl) need an Enterprise plan');
    }
  }
  const key = parameters['cache_key'];
  if (isRecord(key) && key['custom_key'] !== undefined && !limits.enterpriseCaching) {
    problems.push('a custom cache key (custom_key) needs an Enterprise plan');
  }
  const enterprise = ENTERPRISE_PARAMETERS.filter((name) => parameters[name] !== undefined);
  if (enterprise.length > 0 && !limits.enterpriseCaching)
    problems.push(`${enterprise.join(', ')} need an Enterprise plan`);
  return problems;
}

/** Why the plan refuses a declared zone cache setting; undefined when it does not. */
export function cacheSettingProblem(
  limits: CloudflarePlanLimits,
  attribute: string,
  value: Value | undefined,
): string | undefined {
  if (attribute === 'sort_query_string_for_cache' && value === true && !limits.enterpriseCaching) {
    return 'sorting query strings for the cache (sort_query_string) needs an Enterprise plan';
  }
  if (
    attribute === 'browser_cache_ttl' &&
    typeof value === 'number' &&
    value !== 0 &&
    value < limits.browserCacheTtlMinimum
  ) {
    return `a browser cache TTL of ${value} s is under the plan's minimum of ${limits.browserCacheTtlMinimum} s`;
  }
  return undefined;
}
