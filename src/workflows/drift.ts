import { applyDriftIgnores, pricedAsAccepted, withRepricedCost } from '../engine/ignore.js';
import { planIsEmpty } from '../engine/plan.js';
import type { Plan } from '../engine/types.js';
import type { Connection } from './connection.js';
import { estimateCost, planNow } from './plan.js';
import type { Prepared } from './prepare.js';

export interface Drift {
  /**
   * The read-only plan, less the drift app.yaml accepts (`drift.ignore`); its cost is that of the
   * drift left (accepted changes and attributes are not counted).
   */
  readonly plan: Plan;
  /** Changes remain, or (when strict) unmanaged things exist that are not expected. */
  readonly drifted: boolean;
}

/**
 * Plans the prepared environments read-only and drops the drift app.yaml accepts; `today` decides
 * which `drift.ignore` entries have expired. With `strict`, unmanaged things count as drift,
 * except expected ones (add-on vars, certificate statuses: `Unmanaged.expected`).
 */
export async function checkDrift(
  connection: Connection,
  prepared: Prepared,
  options: { readonly today: Date; readonly strict: boolean },
): Promise<Drift> {
  const accepted = applyDriftIgnores(await planNow(connection, prepared), prepared.config.drift.ignore, options.today);
  const repriced = pricedAsAccepted(accepted);
  const plan = withRepricedCost(accepted, repriced, repriced.length === 0 ? undefined : await estimateCost(connection, repriced));
  const unexpected = plan.unmanaged.some((u) => u.expected === undefined);
  return { plan, drifted: !planIsEmpty(plan) || (options.strict && unexpected) };
}
