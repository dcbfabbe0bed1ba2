/**
 * What each Cloudflare plan entitles a zone to: the one table daffeinated's plan-time checks
 * (providers/cloudflare/entitlements.ts) and the sandbox's enforcement (sandbox/cloudflare) both
 * read, so the two cannot drift apart. Plain data, importing nothing: facts/ is the only place
 * both sides may import (test/unit/architecture.test.ts).
 *
 * Sources (docs/SANDBOX.md names them per behaviour): cloudflare/cloudflare-docs
 * `src/content/plans/index.json` (custom rules, rate-limiting rules, managed rulesets, DNS
 * comments and tags), `src/content/partials/waf/rate-limiting-availability-by-plan.mdx` and
 * `src/content/docs/waf/rate-limiting-rules/parameters.mdx` (periods, timeouts, characteristics,
 * challenges, throttling with block), developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes (batch
 * sizes); for caching, the same `plans/index.json` (`cache.cache_rules`, `cache.edge_cache_ttl`,
 * `cache.browser_cache_ttl`, `cache.cache_key`, `cache.cache_status_code`, `cache.query_string_sort`)
 * and `src/content/docs/cache/how-to/cache-rules/settings.mdx` (Enterprise-only parameters). Enterprise figures are the plain Enterprise plan's; contracts (Advanced Rate Limiting)
 * may allow more, which daffeinated cannot see, so it holds to these.
 */
export const CLOUDFLARE_PLAN_NAMES = ['free', 'pro', 'business', 'enterprise'] as const;
export type CloudflarePlanName = (typeof CLOUDFLARE_PLAN_NAMES)[number];

/**
 * The values the API accepts for a rate-limiting rule's `period` and `mitigation_timeout` (plus 0
 * for the timeout), in seconds: a fixed list, of which each plan allows those up to its cap
 * ("Not all values are available on all plans"). An older docs version listed fewer values; the
 * current list is the one both sides hold to.
 */
export const RATE_LIMIT_VALUES: readonly number[] = [
  10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400,
];

/** Rate-limiting characteristics counted besides the mandatory `cf.colo.id`. */
export const RATE_LIMIT_REQUIRED_CHARACTERISTIC = 'cf.colo.id';

export interface CloudflarePlanLimits {
  /** The plan's rank, for "at least this plan" (0 = Free). */
  readonly rank: number;
  /** Operations per `POST …/dns_records/batch`. */
  readonly batchRecords: number;
  /** Rules in the `http_request_firewall_custom` phase. */
  readonly customRules: number;
  /** Rules in the `http_ratelimit` phase. */
  readonly rateLimitRules: number;
  /** Longest `ratelimit.period` and `ratelimit.mitigation_timeout`, in seconds (values from RATE_LIMIT_VALUES). */
  readonly rateLimitPeriod: number;
  readonly rateLimitTimeout: number;
  /** Counting characteristics allowed besides `cf.colo.id`. */
  readonly rateLimitCharacteristics: readonly string[];
  /** The `log` action; regular expressions (`matches`); a challenge with a non-zero mitigation timeout. */
  readonly logAction: boolean;
  readonly regex: boolean;
  readonly challengeTimeout: boolean;
  /**
   * A `block` action with `mitigation_timeout: 0`: throttling requests above the rate instead of
   * blocking for a duration ("Throttle requests above rate with block action": Enterprise only).
   */
  readonly blockThrottle: boolean;
  /** DNS records a zone may hold (a Free zone created before FREE_DNS_RECORDS_CUTOFF: see `dnsRecordLimit`). */
  readonly dnsRecords: number;
  /** Cloudflare Managed Ruleset and OWASP Core Ruleset (the Free Managed Ruleset is on every plan). */
  readonly managedRulesets: boolean;
  /** Longest DNS record comment, in characters; whether records may carry tags. */
  readonly dnsCommentLength: number;
  readonly dnsTags: boolean;
  /** Rules in the `http_request_cache_settings` phase. */
  readonly cacheRules: number;
  /** Shortest `edge_ttl.default` a cache rule may override the origin with, in seconds. */
  readonly edgeTtlMinimum: number;
  /**
   * Enterprise-only caching: a cache rule's status-code TTLs (`edge_ttl.status_code_ttl`: the plans
   * table says Enterprise-only, a 2024 docs change says every plan; the stricter reading), its
   * custom cache key (`cache_key.custom_key`: query string, headers, cookies, host, user), its
   * `origin_cache_control`, `read_timeout` and `additional_cacheable_ports`, and the zone setting
   * `sort_query_string_for_cache`.
   */
  readonly enterpriseCaching: boolean;
  /**
   * Shortest non-zero zone `browser_cache_ttl`, in seconds: the plans table gives 30 s on
   * Enterprise and 2 minutes elsewhere for page rules; the zone setting's values 30 and 60 are
   * taken to follow it (inferred, the stricter reading).
   */
  readonly browserCacheTtlMinimum: number;
}

const IP = ['ip.src'];
const IP_OR_NAT = ['ip.src', 'cf.unique_visitor_id'];

export const CLOUDFLARE_PLANS: Readonly<Record<CloudflarePlanName, CloudflarePlanLimits>> = {
  free: {
    rank: 0,
    batchRecords: 200,
    customRules: 5,
    rateLimitRules: 1,
    rateLimitPeriod: 10,
    rateLimitTimeout: 10,
    rateLimitCharacteristics: IP,
    logAction: false,
    regex: false,
    challengeTimeout: false,
    managedRulesets: false,
    dnsCommentLength: 100,
    dnsTags: false,
    blockThrottle: false,
    dnsRecords: 200,
    cacheRules: 10,
    edgeTtlMinimum: 7200,
    enterpriseCaching: false,
    browserCacheTtlMinimum: 120,
  },
  pro: {
    rank: 1,
    batchRecords: 3500,
    customRules: 20,
    rateLimitRules: 2,
    rateLimitPeriod: 60,
    rateLimitTimeout: 3600,
    rateLimitCharacteristics: IP,
    logAction: false,
    regex: false,
    challengeTimeout: false,
    managedRulesets: true,
    dnsCommentLength: 500,
    dnsTags: true,
    blockThrottle: false,
    dnsRecords: 3500,
    cacheRules: 25,
    edgeTtlMinimum: 3600,
    enterpriseCaching: false,
    browserCacheTtlMinimum: 120,
  },
  business: {
    rank: 2,
    batchRecords: 3500,
    customRules: 100,
    rateLimitRules: 5,
    rateLimitPeriod: 600,
    rateLimitTimeout: 86400,
    rateLimitCharacteristics: IP_OR_NAT,
    logAction: false,
    regex: true,
    challengeTimeout: false,
    managedRulesets: true,
    dnsCommentLength: 500,
    dnsTags: true,
    blockThrottle: false,
    dnsRecords: 3500,
    cacheRules: 50,
    edgeTtlMinimum: 1,
    enterpriseCaching: false,
    browserCacheTtlMinimum: 120,
  },
  enterprise: {
    rank: 3,
    batchRecords: 3500,
    customRules: 1000,
    rateLimitRules: 5,
    rateLimitPeriod: 65535,
    rateLimitTimeout: 86400,
    rateLimitCharacteristics: IP_OR_NAT,
    logAction: true,
    regex: true,
    challengeTimeout: true,
    managedRulesets: true,
    dnsCommentLength: 500,
    dnsTags: true,
    blockThrottle: true,
    dnsRecords: 3500,
    cacheRules: 300,
    edgeTtlMinimum: 1,
    enterpriseCaching: true,
    browserCacheTtlMinimum: 30,
  },
};

/**
 * Free zones created before this day keep the old limit of 1,000 DNS records; those created on or
 * after it get 200 (cloudflare-docs `src/content/plans/index.json`, DNS records per zone). The
 * boundary day itself counts as after, and a zone whose creation time is unknown as new: the
 * stricter readings.
 */
export const FREE_DNS_RECORDS_CUTOFF = '2024-09-01T00:00:00Z';
export const FREE_LEGACY_DNS_RECORDS = 1000;

/** How many DNS records a zone on `plan`, created at `createdOn` (ISO time), may hold. */
export function dnsRecordLimit(plan: CloudflarePlanName, createdOn: string | undefined): number {
  const created = createdOn === undefined ? Number.NaN : Date.parse(createdOn);
  if (plan === 'free' && created < Date.parse(FREE_DNS_RECORDS_CUTOFF)) return FREE_LEGACY_DNS_RECORDS;
  return CLOUDFLARE_PLANS[plan].dnsRecords;
}

/** The plan named by a zone's `plan.legacy_id`; undefined when missing or not one of the four. */
export function cloudflarePlanName(legacyId: string | undefined): CloudflarePlanName | undefined {
  return (CLOUDFLARE_PLAN_NAMES as readonly string[]).includes(legacyId ?? '')
    ? (legacyId as CloudflarePlanName)
    : undefined;
}
