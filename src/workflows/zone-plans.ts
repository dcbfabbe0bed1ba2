import { CLOUDFLARE_PLAN_NAMES, CLOUDFLARE_PLANS, type CloudflarePlanName } from '../facts/cloudflare-plans.js';
import type { CacheConfig, Config, ZoneConfig } from '../model/config.js';

/** Cloudflare plans, cheapest first. */
export const ZONE_PLANS = CLOUDFLARE_PLAN_NAMES;
export type ZonePlan = CloudflarePlanName;

/**
 * What each plan allows of what app.yaml can declare: the table the sandbox enforces and the
 * Cloudflare provider checks before writing (facts/cloudflare-plans.ts). Enterprise allows
 * everything here (contracts may allow more than the plain plan).
 */
const LIMITS: Readonly<Record<Exclude<ZonePlan, 'enterprise'>, Limits>> = {
  free: limitsOf('free'),
  pro: limitsOf('pro'),
  business: limitsOf('business'),
};

function limitsOf(plan: ZonePlan): Limits {
  const facts = CLOUDFLARE_PLANS[plan];
  return {
    managed: facts.managedRulesets,
    customRules: facts.customRules,
    rateLimitRules: facts.rateLimitRules,
    period: facts.rateLimitPeriod,
    timeout: facts.rateLimitTimeout,
    characteristics: facts.rateLimitCharacteristics,
    regex: facts.regex,
    blockThrottle: facts.blockThrottle,
  };
}

interface Limits {
  readonly managed: boolean;
  readonly customRules: number;
  readonly rateLimitRules: number;
  /** Longest rate limit period and mitigation timeout, in seconds. */
  readonly period: number;
  readonly timeout: number;
  /** Counting characteristics besides `cf.colo.id`, which every plan has. */
  readonly characteristics: readonly string[];
  /** Regular expressions (`matches`) in rule expressions. */
  readonly regex: boolean;
  /** A block rate limit with timeout 0 (throttling). */
  readonly blockThrottle: boolean;
}

/**
 * The cheapest plan that allows everything the zone's `waf` and `cache` declare, and what needs
 * more than Free, in words (empty on Free). The `log` action is Enterprise-only.
 */
export function planNeeded(zone: ZoneConfig): { readonly plan: ZonePlan; readonly because: readonly string[] } {
  const plan = ZONE_PLANS.find((candidate) => allows(candidate, zone)) ?? 'enterprise';
  return { plan, because: plan === 'free' ? [] : beyondFree(zone) };
}

function allows(plan: ZonePlan, zone: ZoneConfig): boolean {
  if (plan === 'enterprise') return true;
  if (cacheNeeds(zone.cache).some((need) => !need.allowed(plan))) return false;
  const waf = zone.waf;
  if (waf === undefined) return true;
  const limits = LIMITS[plan];
  const rules = [...waf.custom, ...waf.rateLimits];
  return (
    (limits.managed || waf.managed.length === 0) &&
    waf.custom.length <= limits.customRules &&
    waf.rateLimits.length <= limits.rateLimitRules &&
    waf.rateLimits.every(
      (rule) =>
        rule.period <= limits.period &&
        rule.timeout <= limits.timeout &&
        (limits.blockThrottle || rule.action !== 'block' || rule.timeout > 0) &&
        rule.characteristics.every((c) => c === 'cf.colo.id' || limits.characteristics.includes(c)),
    ) &&
    rules.every((rule) => rule.action !== 'log' && (limits.regex || !/\bmatches\b/.test(rule.expression)))
  );
}

/** What the zone's `cache` asks of the plan, each with the words for it. */
function cacheNeeds(cache: CacheConfig | undefined): { what: string; allowed(plan: ZonePlan): boolean }[] {
  if (cache === undefined) return [];
  const facts = (plan: ZonePlan) => CLOUDFLARE_PLANS[plan];
  const rules = cache.rules ?? [];
  const parameter = (key: string, inner: string) =>
    rules.some((rule) => {
      const value = rule.parameters[key];
      return typeof value === 'object' && value !== null && !Array.isArray(value) && inner in value;
    });
  const edgeTtls = rules.flatMap((rule) => {
    const ttl = rule.parameters['edge_ttl'] as { readonly mode?: unknown; readonly default?: unknown } | undefined;
    return ttl?.mode === 'override_origin' && typeof ttl.default === 'number' ? [ttl.default] : [];
  });
  const shortest = Math.min(...edgeTtls);
  const browser = cache.browserTtl ?? 0;
  return [
    { what: `${rules.length} cache rules`, allowed: (p: ZonePlan) => rules.length <= facts(p).cacheRules },
    { what: `an edge TTL of ${shortest} s`, allowed: (p: ZonePlan) => shortest >= facts(p).edgeTtlMinimum },
    {
      what: 'edge TTLs by status code',
      allowed: (p: ZonePlan) => !parameter('edge_ttl', 'status_code_ttl') || facts(p).enterpriseCaching,
    },
    {
      what: 'a custom cache key',
      allowed: (p: ZonePlan) => !parameter('cache_key', 'custom_key') || facts(p).enterpriseCaching,
    },
    {
      what: 'sorted query strings',
      allowed: (p: ZonePlan) => cache.sortQueryString !== true || facts(p).enterpriseCaching,
    },
    {
      what: `a browser TTL of ${browser} s`,
      allowed: (p: ZonePlan) => browser === 0 || browser >= facts(p).browserCacheTtlMinimum,
    },
  ];
}

function beyondFree(zone: ZoneConfig): string[] {
  const cache = cacheNeeds(zone.cache)
    .filter((need) => !need.allowed('free'))
    .map((need) => need.what);
  const waf = zone.waf;
  if (waf === undefined) return cache;
  const free = LIMITS.free;
  const because: string[] = [...cache];
  if (waf.managed.length > 0) because.push(`managed rulesets (${waf.managed.join(', ')})`);
  if (waf.custom.length > free.customRules) because.push(`${waf.custom.length} custom rules`);
  if (waf.rateLimits.length > free.rateLimitRules) because.push(`${waf.rateLimits.length} rate limits`);
  const periods = [...new Set(waf.rateLimits.map((rule) => rule.period).filter((period) => period > free.period))];
  if (periods.length > 0) because.push(`rate limit periods of ${periods.map((p) => `${p} s`).join(', ')}`);
  if (waf.rateLimits.some((rule) => rule.timeout > free.timeout)) because.push('rate limit timeouts over 10 s');
  if (
    waf.rateLimits.some((rule) =>
      rule.characteristics.some((c) => c !== 'cf.colo.id' && !free.characteristics.includes(c)),
    )
  ) {
    because.push('rate limits counted by more than the IP address');
  }
  if ([...waf.custom, ...waf.rateLimits].some((rule) => /\bmatches\b/.test(rule.expression)))
    because.push('regular expressions');
  if ([...waf.custom, ...waf.rateLimits].some((rule) => rule.action === 'log')) because.push('the log action');
  if (waf.rateLimits.some((rule) => rule.action === 'block' && rule.timeout === 0)) because.push('throttling with block (timeout 0)');
  return because;
}

/**
 * For each zone of `config` whose WAF needs more than Cloudflare's Free plan and is not among
 * `seededOnPlan` (zone names a sandbox was told a plan for): how to seed it on that plan, as the
 * sandbox seeds zones on Free unless `--zone NAME:PLAN` names one.
 */
export function paidZoneHints(config: Config, seededOnPlan: ReadonlySet<string>): string[] {
  return Object.values(config.cloudflare.zones).flatMap((zone) => {
    const { plan, because } = planNeeded(zone);
    if (plan === 'free' || seededOnPlan.has(zone.name)) return [];
    return [
      `hint: app.yaml's zone ${zone.name} uses ${because.join(', ')}, which need Cloudflare's ${plan} plan; a zone is seeded on the free plan unless you name one: daffeinated sandbox --zone ${zone.name}:${plan}`,
    ];
  });
}
