import type { Change, CostEstimate, CostLine } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import type { ApiAddonPlan, ApiDynoSize } from './api-types.js';
import type { HerokuClient } from './client.js';

/** Monthly cents by name; null when the API gives no monthly price. A string: why there is no list. */
type Prices = Map<string, number | null> | string;

/**
 * Prices from Heroku's own catalogue, read lazily and at most once per run: `GET /dyno-sizes`
 * (every size's monthly `cost`) when a formation changes, `GET /addon-services/{service}/plans`
 * (every plan's monthly `price`) per service an add-on change involves — all concurrently. A
 * price list that cannot be read makes its changes unpriced; it never fails the plan.
 */
export class PriceList {
  private sizes: Promise<Prices> | undefined;
  private readonly plans = new Map<string, Promise<Prices>>();

  constructor(private readonly client: HerokuClient) {}

  /** Monthly cents of one dyno of `size` (any case). */
  sizeCents(size: string): Promise<number | null | undefined | string> {
    this.sizes ??= fetchPrices(this.client.get<ApiDynoSize[]>('/dyno-sizes'), (s) => [s.name.toLowerCase(), s.cost]);
    return this.sizes.then((prices) => (typeof prices === 'string' ? prices : prices.get(size.toLowerCase())));
  }

  /** Monthly cents of `service:plan`. */
  planCents(plan: string): Promise<number | null | undefined | string> {
    const service = plan.slice(0, plan.indexOf(':'));
    let prices = this.plans.get(service);
    if (prices === undefined) {
      const path = `/addon-services/${encodeURIComponent(service)}/plans`;
      prices = fetchPrices(this.client.get<ApiAddonPlan[]>(path), (p) => [p.name, p.price]);
      this.plans.set(service, prices);
    }
    return prices.then((map) => (typeof map === 'string' ? map : map.get(plan)));
  }
}

async function fetchPrices<T>(
  list: Promise<T[]>,
  entry: (item: T) => [string, { readonly cents: number; readonly unit: string } | null],
): Promise<Prices> {
  try {
    const items = await list;
    return new Map(items.map(entry).map(([name, price]) => [name, price?.unit === 'month' ? price.cents : null]));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface Side {
  readonly label: string;
  /** A number when priced; otherwise why not. */
  readonly cents: number | string;
}

/**
 * The monthly cost change of the formation and add-on changes among `changes`; undefined when
 * there are none. A side that does not exist costs 0; a side whose price the API does not give
 * makes the change `unpriced` (listed, not guessed).
 */
export async function estimateHerokuCost(
  prices: PriceList,
  changes: readonly Change[],
): Promise<CostEstimate | undefined> {
  const priced = changes.filter((c) => c.kind === 'heroku.formation' || c.kind === 'heroku.addon');
  if (priced.length === 0) return undefined;
  const sides = await Promise.all(
    priced.map(async (change) => ({
      change,
      before: change.action === 'create' ? undefined : await side(prices, change.before),
      after: change.action === 'delete' ? undefined : await side(prices, change.after),
    })),
  );
  const lines: CostLine[] = [];
  const unpriced: { address: Address; reason: string }[] = [];
  for (const { change, before, after } of sides) {
    const missing = [before, after].find((s) => s !== undefined && typeof s.cents === 'string');
    if (missing !== undefined) {
      unpriced.push({ address: change.address, reason: String(missing.cents) });
      continue;
    }
    lines.push({
      address: change.address,
      ...(before === undefined ? {} : { before: before.label }),
      ...(after === undefined ? {} : { after: after.label }),
      beforeCents: Number(before?.cents ?? 0),
      afterCents: Number(after?.cents ?? 0),
    });
  }
  lines.sort((a, b) => byAddress(a.address, b.address));
  unpriced.sort((a, b) => byAddress(a.address, b.address));
  const deltaCents = lines.reduce((sum, line) => sum + line.afterCents - line.beforeCents, 0);
  return { lines, deltaCents, unpriced };
}

async function side(prices: PriceList, resource: Resource): Promise<Side> {
  const a = resource.attributes;
  if (resource.kind === 'heroku.formation') {
    const quantity = typeof a['quantity'] === 'number' ? a['quantity'] : 0;
    const size = String(a['size']);
    const each = await prices.sizeCents(size);
    return { label: `${quantity} × ${size}`, cents: typeof each === 'number' ? each * quantity : why(each, size) };
  }
  const plan = String(a['plan']);
  const cents = await prices.planCents(plan);
  return { label: plan, cents: typeof cents === 'number' ? cents : why(cents, plan) };
}

function why(price: null | undefined | string, what: string): string {
  if (typeof price === 'string') return `the price list for ${what} could not be read (${price})`;
  return `Heroku gives no monthly price for ${what}`;
}

/** Code-unit order, as the engine sorts addresses. */
function byAddress(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
