import type { CostEstimate } from '../engine/types.js';
import type { CostReport, EnvironmentCost } from '../model/cost.js';
import type { Connection } from './connection.js';
import type { Prepared } from './prepare.js';
import { pipelineOrder } from './status.js';

const PRICED_KINDS: readonly string[] = ['heroku.app', 'heroku.formation', 'heroku.addon'];

/**
 * The monthly cost of what runs now in the prepared environments: Heroku's live formations and
 * add-ons (one read round: the plan's reads of each app, less those only other kinds need), priced
 * by the Heroku provider (dyno sizes from `GET /dyno-sizes`, fallbacks in
 * providers/heroku/dyno-prices.ts; add-ons at their `billed_price`, else their plan's list price),
 * and each declared zone's Cloudflare plan, counted with the environment that owns the zone, from
 * the zone's own `plan` (the zone lookup). Read-only.
 */
export async function costNow(connection: Connection, prepared: Prepared): Promise<CostReport> {
  const heroku = connection.providers.get('heroku');
  const cloudflare = connection.providers.get('cloudflare');
  const herokuCost = async (): Promise<CostEstimate | undefined> => {
    if (heroku?.costNow === undefined) return undefined;
    // Only what is priced: the optional reads (buildpacks, features, pipeline) are left out.
    const desired = prepared.desired.resources.filter((r) => PRICED_KINDS.includes(r.kind));
    const live = await heroku.read({ scopes: prepared.environments, desired });
    return heroku.costNow(live.resources);
  };
  const [herokuEstimate, zoneEstimate] = await Promise.all([herokuCost(), cloudflare?.costNow?.([])]);
  const owners = new Map(
    Object.values(prepared.config.cloudflare.zones).map((z) => [`cloudflare.zone[${z.name}]`, z.owner]),
  );
  const scopeOf = (address: string) => owners.get(address) ?? /^[a-z]+\.[a-z_]+\[([^/\]]+)/.exec(address)?.[1];
  const all = [herokuEstimate, zoneEstimate].filter((e): e is CostEstimate => e !== undefined);
  const environments = pipelineOrder(prepared.config, prepared.environments).map((environment): EnvironmentCost => {
    const mine = <T extends { address: string }>(items: readonly T[]) =>
      items.filter((i) => scopeOf(i.address) === environment.name);
    const lines = mine(all.flatMap((e) => e.lines))
      .map((l) => ({ address: l.address, what: l.after ?? '', cents: l.afterCents }))
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const unpriced = mine(all.flatMap((e) => e.unpriced)).map((u) => ({ address: u.address, reason: u.reason }));
    return {
      name: environment.name,
      app: environment.app,
      lines,
      unpriced,
      totalCents: lines.reduce((sum, l) => sum + l.cents, 0),
    };
  });
  return { environments, totalCents: environments.reduce((sum, e) => sum + e.totalCents, 0) };
}
