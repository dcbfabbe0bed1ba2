import type { ApiRule, ApiSetting } from './api-types.js';
import { RULE_REF_PREFIX } from './desired.js';

/** Zone cache settings as a new zone has them: import declares only those changed from these. */
const DEFAULTS: readonly { id: string; key: string; initial: unknown; value(v: unknown): unknown }[] = [
  { id: 'browser_cache_ttl', key: 'browser_ttl', initial: 14400, value: (v) => v },
  { id: 'cache_level', key: 'level', initial: 'aggressive', value: (v) => v },
  { id: 'always_online', key: 'always_online', initial: 'off', value: (v) => v === 'on' },
  { id: 'sort_query_string_for_cache', key: 'sort_query_string', initial: 'off', value: (v) => v === 'on' },
];

/**
 * The `cache` section describing a live zone: the cache settings that differ from a new zone's
 * (development mode is left out: Cloudflare turns it off by itself) and daffeinated's cache rules
 * (`daffeinated:` refs), their action parameters as the API holds them. Undefined when there is
 * nothing to declare.
 */
export function importCache(
  settings: readonly ApiSetting[],
  rules: readonly ApiRule[],
): Record<string, unknown> | undefined {
  const section: Record<string, unknown> = {};
  for (const setting of DEFAULTS) {
    const live = settings.find((s) => s.id === setting.id)?.value;
    if (live !== undefined && live !== setting.initial) section[setting.key] = setting.value(live);
  }
  const ours = rules.filter((r) => typeof r.ref === 'string' && r.ref.startsWith(RULE_REF_PREFIX));
  if (ours.length > 0) {
    section['rules'] = ours.map((rule) => {
      const { cache = true, ...parameters } = rule.action_parameters ?? {};
      return {
        ref: (rule.ref as string).slice(RULE_REF_PREFIX.length),
        ...(rule.description ? { description: rule.description } : {}),
        expression: rule.expression,
        ...(rule.enabled === false ? { enabled: false } : {}),
        ...(cache === true ? {} : { cache }),
        ...parameters,
      };
    });
  }
  return Object.keys(section).length === 0 ? undefined : section;
}
