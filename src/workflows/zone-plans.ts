import type { Config, ZoneConfig } from '../model/config.js';

/** Cloudflare plans, cheapest first. */
export const ZONE_PLANS = ['free', 'pro', 'business', 'enterprise'] as const;
export type ZonePlan = (typeof ZONE_PLANS)[number];

/**
 * What each plan allows of what app.yaml can declare (Cloudflare's docs: custom rules and rate
 * limiting rules "Availability", managed rulesets on Pro and above). Enterprise allows everything.
 */
const LIMITS: Readonly<Record<Exclude<ZonePlan, 'enterprise'>, Limits>> = {
  free: {
    managed: false,
    customRules: 5,
    rateLimitRules: 1,
    period: 10,
    timeout: 10,
    characteristics: ['ip.src'],
    regex: false,
  },
  pro: {
    managed: true,
    customRules: 20,
    rateLimitRules: 2,
    period: 60,
    timeout: 3600,
    characteristics: ['ip.src'],
    regex: false,
  },
  business: {
    managed: true,
    customRules: 100,
    rateLimitRules: 5,
    period: 600,
    timeout: 86400,
    characteristics: ['ip.src', 'cf.unique_visitor_id'],
    regex: true,
  },
};

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
}

/**
 * The cheapest plan that allows everything the zone's `waf` declares, and what needs more than
 * Free, in words (empty on Free). The `log` action is Enterprise-only.
 */
export function planNeeded(zone: ZoneConfig): { readonly plan: ZonePlan; readonly because: readonly string[] } {
  const plan = ZONE_PLANS.find((candidate) => allows(candidate, zone)) ?? 'enterprise';
  return { plan, because: plan === 'free' ? [] : beyondFree(zone) };
}

function allows(plan: ZonePlan, zone: ZoneConfig): boolean {
  if (plan === 'enterprise') return true;
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
        rule.characteristics.every((c) => c === 'cf.colo.id' || limits.characteristics.includes(c)),
    ) &&
    rules.every((rule) => rule.action !== 'log' && (limits.regex || !/\bmatches\b/.test(rule.expression)))
  );
}

function beyondFree(zone: ZoneConfig): string[] {
  const waf = zone.waf;
  if (waf === undefined) return [];
  const free = LIMITS.free;
  const because: string[] = [];
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
