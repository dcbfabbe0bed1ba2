import { createHash } from 'node:crypto';

import { CLOUDFLARE_PLAN_NAMES, CLOUDFLARE_PLANS, type CloudflarePlanLimits, type CloudflarePlanName } from '../../facts/cloudflare-plans.js';

/**
 * Cloudflare plans and what each entitles a zone to: the table in facts/cloudflare-plans.ts, the
 * same one daffeinated's plan-time checks read (sources there and in docs/SANDBOX.md).
 */
export const PLAN_NAMES = CLOUDFLARE_PLAN_NAMES;
export type PlanName = CloudflarePlanName;
export type PlanLimits = CloudflarePlanLimits;
export const PLAN_LIMITS: Readonly<Record<PlanName, PlanLimits>> = CLOUDFLARE_PLANS;

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
