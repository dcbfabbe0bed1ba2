import type { CacheConfig, CacheRule } from '../../model/config.js';
import type { SourceLocation } from '../../model/resource.js';
import type { Value } from '../../model/value.js';

/** The entrypoint phase a zone's `cache.rules` write. */
export const CACHE_PHASE = 'http_request_cache_settings';

/** The zone settings of `cache`, as settings attributes (named as the zone setting ids), with the app.yaml key of each. */
const CACHE_SETTINGS: readonly { attribute: string; key: string; value(cache: CacheConfig): Value | undefined }[] = [
  { attribute: 'browser_cache_ttl', key: 'browser_ttl', value: (c) => c.browserTtl },
  { attribute: 'cache_level', key: 'level', value: (c) => c.level },
  { attribute: 'always_online', key: 'always_online', value: (c) => c.alwaysOnline },
  { attribute: 'development_mode', key: 'development_mode', value: (c) => c.developmentMode },
  { attribute: 'sort_query_string_for_cache', key: 'sort_query_string', value: (c) => c.sortQueryString },
];

/** The declared cache settings as settings attributes, and where each is declared. */
export function cacheSettings(cache: CacheConfig | undefined): {
  attributes: Record<string, Value>;
  sources: Record<string, SourceLocation>;
} {
  const attributes: Record<string, Value> = {};
  const sources: Record<string, SourceLocation> = {};
  for (const setting of CACHE_SETTINGS) {
    const value = cache === undefined ? undefined : setting.value(cache);
    if (value === undefined) continue;
    attributes[setting.attribute] = value;
    const location = cache?.sources?.[setting.key];
    if (location !== undefined) sources[setting.attribute] = location;
  }
  return { attributes, sources };
}

/** A cache rule as written to the phase (and as read back, normalised): `set_cache_settings` with its parameters. */
export function cacheRule(rule: CacheRule, prefix: string): Value {
  const { ref, description = '', expression, enabled, parameters } = rule;
  return {
    ref: `${prefix}${ref}`,
    description,
    action: 'set_cache_settings',
    expression,
    enabled,
    action_parameters: parameters,
  };
}
