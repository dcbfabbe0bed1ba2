import type { CostEstimate, CostLine } from '../../engine/types.js';
import type { ApiZone } from './api-types.js';
import type { CloudflareClient } from './client.js';

/**
 * The monthly price of each zone's plan as the zone lookup reports it (`plan.price` in
 * `plan.currency` per `plan.frequency`): monthly as is, yearly divided by 12. Free is $0. A plan
 * with no price in US dollars per month or year (Enterprise: by contract) is unpriced, said so.
 * One request per zone (the lookup the DNS read makes anyway, cached by the client).
 */
export async function zonePlanCosts(client: CloudflareClient, zones: readonly string[]): Promise<CostEstimate> {
  const found = await Promise.all(zones.map(async (zone) => ({ zone, plan: (await client.findZone(zone)).plan })));
  const lines: CostLine[] = [];
  const unpriced: { address: string; reason: string }[] = [];
  for (const { zone, plan } of found) {
    const address = `cloudflare.zone[${zone}]`;
    const cents = monthlyCents(plan);
    if (typeof cents === 'string') unpriced.push({ address, reason: cents });
    else lines.push({ address, after: `${plan?.legacy_id ?? 'unknown'} plan`, beforeCents: 0, afterCents: cents });
  }
  const byAddress = <T extends { address: string }>(a: T, b: T) =>
    a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
  lines.sort(byAddress);
  unpriced.sort(byAddress);
  return { lines, deltaCents: lines.reduce((sum, l) => sum + l.afterCents, 0), unpriced };
}

/** Cents a month, or why there is no such price. */
function monthlyCents(plan: ApiZone['plan']): number | string {
  if (plan?.legacy_id === 'free') return 0;
  const price = plan?.price;
  const name = plan?.legacy_id ?? 'unknown';
  if (price === undefined || (plan?.currency ?? 'USD') !== 'USD') return `the ${name} plan has no price in US dollars`;
  if (plan?.frequency === 'monthly') return Math.round(price * 100);
  if (plan?.frequency === 'yearly' || plan?.frequency === 'annual') return Math.round((price * 100) / 12);
  return `the ${name} plan is billed ${plan?.frequency ? plan.frequency : 'by contract'}, not per month or year`;
}
