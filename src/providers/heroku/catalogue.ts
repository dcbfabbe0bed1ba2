import type { LiveState } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { type PriceList, pricedAhead } from './cost.js';

/**
 * Add-on plans the plan would create or switch to that Heroku's catalogue does not have, as errors
 * at the plan's line in app.yaml: refused before any write instead of by `POST /apps/{app}/addons`
 * halfway through an apply (Heroku answers 422 `invalid_params` "Couldn't find either the add-on
 * service or the add-on plan"). It reads the same lists the cost estimate reads (`pricedAhead`),
 * so it adds no request. A list that cannot be read checks nothing: the apply still reports it.
 */
export async function unknownAddonPlans(
  prices: PriceList,
  desired: readonly Resource[],
  live: LiveState,
): Promise<Diagnostic[]> {
  const checked = pricedAhead(desired, live).filter((r) => r.kind === 'heroku.addon' && desired.includes(r));
  const found = await Promise.all(checked.map(async (addon) => ({ addon, plans: await prices.catalogue(addon) })));
  const diagnostics: Diagnostic[] = [];
  for (const { addon, plans } of found) {
    const plan = String(addon.attributes['plan']);
    if (plans === undefined || plans.includes(plan)) continue;
    const service = plan.slice(0, plan.indexOf(':'));
    diagnostics.push({
      severity: 'error',
      message: `${addon.address}: Heroku has no add-on plan ${plan}${plans.length === 0 ? ` (no add-on service ${service})` : ''}`,
      ...(addon.attributeSources?.['plan'] ?? addon.source ?? {}),
      hint:
        plans.length === 0
          ? 'check the service name against `heroku addons:services`'
          : `${service} offers ${[...plans].sort().join(', ')}`,
    });
  }
  return diagnostics;
}
