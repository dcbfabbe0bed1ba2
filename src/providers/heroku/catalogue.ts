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

/** Postgres plans of the Essential tier (and its retired mini/basic predecessors). */
function essential(plan: string): boolean {
  return /^heroku-postgresql:(essential|mini|basic)(-|$)/.test(plan);
}

/**
 * Postgres plan changes as what Heroku makes of them (Dev Center "Changing the Plan or
 * Infrastructure of a Heroku Postgres Database"): `addons:upgrade` (the add-on PATCH) changes an
 * Essential plan to another Essential plan in place, and any other tier's plan to another of those
 * tiers slowly — a replacement is prepared for up to several hours, then the database is down for
 * under a minute at the changeover (a warning). Crossing the Essential boundary needs `pg:copy`
 * into a new database, so it is refused with the procedure, never planned as an update.
 */
export function postgresPlanChanges(desired: readonly Resource[], live: LiveState): Diagnostic[] {
  const liveByAddress = new Map(live.resources.map((r) => [r.address, r]));
  const diagnostics: Diagnostic[] = [];
  for (const addon of desired) {
    const plan = addon.attributes['plan'];
    const current = liveByAddress.get(addon.address);
    const was = current?.attributes['plan'];
    if (addon.kind !== 'heroku.addon' || typeof plan !== 'string' || typeof was !== 'string') continue;
    if (plan === was || !plan.startsWith('heroku-postgresql:') || !was.startsWith('heroku-postgresql:')) continue;
    const where = addon.attributeSources?.['plan'] ?? addon.source ?? {};
    if (essential(plan) === essential(was)) {
      if (essential(plan)) continue;
      diagnostics.push({
        severity: 'warning',
        message: `${addon.address}: changing ${was} to ${plan} takes Heroku up to several hours to prepare, then the database is unavailable for under a minute at the changeover`,
        ...where,
        hint: 'apply when a short outage is acceptable; followers are repointed, the major version is kept',
      });
      continue;
    }
    diagnostics.push({
      severity: 'error',
      message: `${addon.address}: Heroku cannot change ${was} to ${plan} in place; moving into or out of the Essential tier needs a copy into a new database`,
      ...where,
      hint: `keep the plan here, then: heroku addons:create ${plan} --app <app>; heroku maintenance:on --app <app>; heroku pg:copy DATABASE_URL <NEW_ATTACHMENT>_URL --app <app>; heroku pg:promote <NEW_ATTACHMENT>_URL --app <app>; heroku maintenance:off --app <app>; then destroy the old add-on and declare the new one's plan here`,
    });
  }
  return diagnostics;
}
