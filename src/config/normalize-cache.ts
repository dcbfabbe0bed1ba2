import type { CacheConfig, CacheParameter, CacheRule } from '../model/config.js';
import type { SourceLocation } from '../model/resource.js';
import type { RawCacheRule, RawZone } from './schema.js';
import type { Path } from './tree.js';

/** Action parameter keys of a cache rule, in the order they are sent (after `cache`). */
const PARAMETERS = [
  'edge_ttl',
  'browser_ttl',
  'cache_key',
  'serve_stale',
  'respect_strong_etags',
  'origin_error_page_passthru',
] as const;

/**
 * A zone's `cache` section: the settings as declared, the rules with `cache: true` filled in
 * when absent (every rule we write says whether it caches) and their parameters as written.
 */
export function cache(
  raw: NonNullable<RawZone['cache']>,
  path: Path,
  at: (path: Path) => SourceLocation,
  source: (key: string) => SourceLocation | undefined,
): CacheConfig {
  const sources: Record<string, SourceLocation> = {};
  for (const key of Object.keys(raw)) {
    const location = source(key);
    if (location !== undefined) sources[key] = location;
  }
  return {
    browserTtl: raw.browser_ttl,
    level: raw.level,
    alwaysOnline: raw.always_online,
    developmentMode: raw.development_mode,
    sortQueryString: raw.sort_query_string,
    rules: raw.rules?.map((rule, index) => cacheRule(rule, at([...path, 'rules', index]))),
    sources,
  };
}

function cacheRule(raw: RawCacheRule, source: SourceLocation): CacheRule {
  const parameters: Record<string, CacheParameter> = { cache: raw.cache ?? true };
  for (const key of PARAMETERS) {
    const value = raw[key];
    if (value !== undefined) parameters[key] = value as CacheParameter;
  }
  return {
    ref: raw.ref,
    description: raw.description,
    expression: raw.expression,
    enabled: raw.enabled ?? true,
    parameters,
    source,
  };
}
