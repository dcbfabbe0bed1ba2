import { createHash } from 'node:crypto';

/**
 * Cloudflare plans and what each entitles a zone to (reference/cloudflare-api.md §1.2, §1.4 "Plan
 * limits", from Cloudflare's docs). Only limits the reference states are enforced; everything else
 * a plan changes on the real platform is out of the sandbox's scope.
 */
export const PLAN_NAMES = ['free', 'pro', 'business', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export interface PlanLimits {
  /**
   * Operations per `POST …/dns_records/batch` (developers.cloudflare.com/dns/manage-dns-records/how-to/batch-record-changes:
   * Free 200; Pro, Business and Enterprise 3,500).
   */
  readonly batchRecords: number;
  /** Rules in the `http_request_firewall_custom` entrypoint. */
  readonly customRules: number;
  /** Rules in the `http_ratelimit` entrypoint. */
  readonly rateLimitRules: number;
  /** Longest `ratelimit.period` and `ratelimit.mitigation_timeout`, in seconds. */
  readonly rateLimitPeriod: number;
  readonly rateLimitTimeout: number;
  /** Counting characteristics allowed besides `cf.colo.id`; `undefined` = any. */
  readonly rateLimitCharacteristics: readonly string[] | undefined;
  /** The `log` action, regular expressions (`matches`) in custom rules, challenges with a timeout. */
  readonly logAction: boolean;
  readonly regex: boolean;
  readonly challengeTimeout: boolean;
  /** Rank for settings that need at least some plan (0 = Free). */
  readonly rank: number;
}

export const PLAN_LIMITS: Readonly<Record<PlanName, PlanLimits>> = {
  free: limits(200, 5, 1, 10, 10, ['ip.src'], false, false, false, 0),
  pro: limits(3500, 20, 2, 60, 3600, ['ip.src'], false, false, false, 1),
  business: limits(3500, 100, 5, 600, 86400, ['ip.src', 'cf.unique_visitor_id'], false, true, false, 2),
  enterprise: limits(3500, 1000, 100, 3600, 86400, undefined, true, true, true, 3),
};

function limits(
  batchRecords: number,
  customRules: number,
  rateLimitRules: number,
  rateLimitPeriod: number,
  rateLimitTimeout: number,
  rateLimitCharacteristics: readonly string[] | undefined,
  logAction: boolean,
  regex: boolean,
  challengeTimeout: boolean,
  rank: number,
): PlanLimits {
  return {
    batchRecords,
    customRules,
    rateLimitRules,
    rateLimitPeriod,
    rateLimitTimeout,
    rateLimitCharacteristics,
    logAction,
    regex,
    challengeTimeout,
    rank,
  };
}

const TITLES: Readonly<Record<PlanName, { name: string; price: number }>> = {
  free: { name: 'Free Website', price: 0 },
  pro: { name: 'Pro Website', price: 25 },
  business: { name: 'Business Website', price: 250 },
  enterprise: { name: 'Enterprise Website', price: 0 },
};

/**
 * The zone's `plan` object. The Free plan's id is Cloudflare's well-known
 * `0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee`; the other ids are stable hashes of the plan name (the real
 * ones are not in the reference).
 */
export function planJson(plan: PlanName): Record<string, unknown> {
  const id = plan === 'free' ? '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee' : stableHex(`plan:${plan}`);
  return {
    id,
    name: TITLES[plan].name,
    price: TITLES[plan].price,
    currency: 'USD',
    frequency: plan === 'free' || plan === 'enterprise' ? '' : 'monthly',
    is_subscribed: plan !== 'free',
    can_subscribe: plan !== 'enterprise',
    legacy_id: plan,
    legacy_discount: false,
    externally_managed: false,
  };
}

export function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** 32 hex characters derived from a name: ids that are the same in every sandbox. */
export function stableHex(name: string): string {
  return createHash('sha256').update(`daffeinated-sandbox:${name}`).digest('hex').slice(0, 32);
}
