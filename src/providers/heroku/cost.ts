import type { Change, CostEstimate, CostLine, LiveState } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import { containsUnknown, valuesEqual } from '../../model/value.js';
import { ProviderError } from '../../runtime/errors.js';
import type { ApiAddon, ApiAddonPlan, ApiDynoSize } from './api-types.js';
import type { HerokuClient } from './client.js';
import { ECO_NOTE, FALLBACK_DYNO_CENTS } from './dyno-prices.js';

/** Monthly cents by name; null when the API gives no monthly price. A string: why there is no list. */
type Prices = Map<string, number | null> | string;

/**
 * The kinds whose changes are priced — formations (dyno sizes) and add-ons (plans) — with the
 * attributes that decide what one costs. A desired one that is a plain value and differs from the
 * live one is a difference the engine's diff always finds (it compares every declared attribute
 * by value), so a change, and a priced one, is certain.
 */
const PRICED_ATTRIBUTES: Readonly<Partial<Record<Resource['kind'], readonly string[]>>> = {
  'heroku.formation': ['size', 'quantity'],
  'heroku.addon': ['service', 'plan'],
};

/**
 * Prices from Heroku's own catalogue, read lazily and at most once per run: `GET /dyno-sizes`
 * (every size's monthly `cost`) when a formation changes, `GET /addon-services/{service}/plans`
 * (every plan's monthly `price`) per service an add-on change involves — all concurrently. A
 * price list that cannot be read makes its changes unpriced; it never fails the plan. The lists
 * are cached as promises that never reject, so one started early (`prefetch`) and never awaited
 * cannot surface as an unhandled rejection, and an estimate that awaits it reads the same outcome
 * (prices, or why there are none) it would have read itself.
 */
export class PriceList {
  private sizes: Promise<Prices> | undefined;
  private readonly plans = new Map<string, Promise<Prices>>();
  /** Monthly `billed_price` cents of live add-ons, by `id plan` (the plan it is billed for). */
  private readonly billed = new Map<string, number>();

  constructor(private readonly client: HerokuClient) {}

  /**
   * Remembers what live add-ons are billed (`billed_price`, Platform API schema `add-on`): a live
   * add-on is then priced at that, not at its plan's list price (a contract or a discount may
   * differ). Monthly prices only; others fall back to the list.
   */
  noteBilled(addons: readonly ApiAddon[]): void {
    for (const addon of addons) {
      const price = addon.billed_price;
      if (price != null && price.unit === 'month') this.billed.set(`${addon.id} ${addon.plan.name}`, price.cents);
    }
  }

  /**
   * Starts reading the price lists of `resources` (sides of changes `estimateHerokuCost` will
   * price, see `pricedAhead`) without waiting for them; each list is still read at most once.
   */
  prefetch(resources: readonly Resource[]): void {
    for (const resource of resources) this.listOf(resource);
  }

  /**
   * Monthly cents of one unit of what `resource` is priced by: one dyno of its size (any case),
   * or its `service:plan` — for a live add-on on the plan it is billed for, its `billed_price`. null: no monthly price; undefined: not in the list; a string: why the
   * list could not be read.
   */
  async unitCents(resource: Resource): Promise<number | null | undefined | string> {
    const billed = resource.kind === 'heroku.addon' && resource.liveId !== undefined ? this.billed.get(`${resource.liveId} ${priceName(resource)}`) : undefined;
    if (billed !== undefined) return billed;
    const prices = await this.listOf(resource);
    return typeof prices === 'string' ? prices : prices.get(priceName(resource));
  }

  /**
   * The names in the catalogue `resource` is priced from (its service's plans, `service:plan`;
   * none when Heroku knows no such service); undefined when the list could not be read.
   */
  async catalogue(resource: Resource): Promise<readonly string[] | undefined> {
    const prices = await this.listOf(resource);
    return typeof prices === 'string' ? undefined : [...prices.keys()];
  }

  /** The price list `resource` is priced from, started on first use. */
  private listOf(resource: Resource): Promise<Prices> {
    if (resource.kind === 'heroku.formation') {
      this.sizes ??= fetchPrices(
        () => this.client.get<ApiDynoSize[]>('/dyno-sizes'),
        (s) => {
          const name = s.name.toLowerCase();
          const fallback = FALLBACK_DYNO_CENTS.get(name);
          if (name === 'eco' || (s.cost === null && fallback !== undefined))
            return [name, { cents: fallback ?? 0, unit: 'month' }];
          return [name, s.cost];
        },
      );
      return this.sizes;
    }
    const plan = priceName(resource);
    const service = plan.slice(0, plan.indexOf(':'));
    let prices = this.plans.get(service);
    if (prices === undefined) {
      const path = `/addon-services/${encodeURIComponent(service)}/plans`;
      prices = fetchPrices(
        () => this.client.get<ApiAddonPlan[]>(path),
        (p) => [p.name, p.price],
      );
      this.plans.set(service, prices);
    }
    return prices;
  }
}

/** The name `resource` has in its price list: the lower-cased dyno size, or the add-on's `service:plan`. */
function priceName(resource: Resource): string {
  return resource.kind === 'heroku.formation'
    ? String(resource.attributes['size']).toLowerCase()
    : String(resource.attributes['plan']);
}

/**
 * Never rejects: a list that cannot be read (even a request that throws at once) is the reason
 * why; a 404 (no such add-on service) is an empty list, so none of its plans exists.
 */
async function fetchPrices<T>(
  list: () => Promise<T[]>,
  entry: (item: T) => [string, { readonly cents: number; readonly unit: string } | null],
): Promise<Prices> {
  try {
    const items = await list();
    return new Map(items.map(entry).map(([name, price]) => [name, price?.unit === 'month' ? price.cents : null]));
  } catch (error) {
    if (error instanceof ProviderError && error.status === 404) return new Map();
    return error instanceof Error ? error.message : String(error);
  }
}

/** The sides of a priced change that `estimateHerokuCost` looks up: the live one unless created, the desired one unless deleted. */
function pricedSides(change: Change): { before: Resource | undefined; after: Resource | undefined } {
  return {
    before: change.action === 'create' ? undefined : change.before,
    after: change.action === 'delete' ? undefined : change.after,
  };
}

/**
 * The resources whose price lists an estimate of the plan built from `desired` and `live` will
 * certainly read, as `pricedSides` of changes the engine will certainly find: a desired
 * formation or add-on with no live one at its address (a create: its desired side), or whose
 * priced attributes (`PRICED_ATTRIBUTES`) differ from the live one's (an update or a replace:
 * both sides). Only what is certain, so an early read never adds a request:
 * - nothing when the live state has an error (the plan stops before it is priced);
 * - no deferred resource (not diffed), and no priced attribute that is Unknown (the plan may fill
 *   it from another provider's live state, and then compare or price something else);
 * - no change found only in other attributes (`as`, `name`, `options`), and no deletion (whether
 *   an undeclared live one is pruned is decided by the plan, not visible here): those are priced
 *   when the estimate reads them itself, one round later.
 */
export function pricedAhead(desired: readonly Resource[], live: LiveState): Resource[] {
  if (live.diagnostics.some((d) => d.severity === 'error')) return [];
  const deferred = new Set(live.deferred.map((d) => d.address));
  const liveByAddress = new Map(live.resources.map((r) => [r.address, r]));
  const sides: Resource[] = [];
  for (const resource of desired) {
    const attributes = PRICED_ATTRIBUTES[resource.kind];
    if (attributes === undefined || deferred.has(resource.address)) continue;
    const wanted = attributes.map((name) => resource.attributes[name]);
    if (wanted.some((value) => value !== undefined && containsUnknown(value))) continue;
    const current = liveByAddress.get(resource.address);
    if (current === undefined) sides.push(resource);
    else if (
      wanted.some((value, i) => value !== undefined && !valuesEqual(value, current.attributes[attributes[i] as string]))
    )
      sides.push(current, resource);
  }
  return sides;
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
  const priced = changes.filter((c) => PRICED_ATTRIBUTES[c.kind] !== undefined);
  if (priced.length === 0) return undefined;
  const sides = await Promise.all(
    priced.map(async (change) => {
      const { before, after } = pricedSides(change);
      // Both sides at once: a replace across services reads its two lists in one round.
      const [was, will] = await Promise.all([
        before === undefined ? undefined : side(prices, before),
        after === undefined ? undefined : side(prices, after),
      ]);
      return { change, before: was, after: will };
    }),
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
    const each = await prices.unitCents(resource);
    const label = `${quantity} × ${size}${size.toLowerCase() === 'eco' ? ` (${ECO_NOTE})` : ''}`;
    return { label, cents: typeof each === 'number' ? each * quantity : why(each, size) };
  }
  const plan = String(a['plan']);
  const cents = await prices.unitCents(resource);
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

/**
 * What `live` costs a month now: each live formation and add-on priced as if it were created (its
 * line has nothing before it), with the same price lists and fallbacks as a plan's estimate.
 */
export async function herokuCostNow(prices: PriceList, live: readonly Resource[]): Promise<CostEstimate> {
  const created: Change[] = live
    .filter((r) => PRICED_ATTRIBUTES[r.kind] !== undefined)
    .map((r) => ({ action: 'create', address: r.address, provider: r.provider, kind: r.kind, scope: r.scope, diffs: [], after: r }));
  return (await estimateHerokuCost(prices, created)) ?? { lines: [], deltaCents: 0, unpriced: [] };
}
