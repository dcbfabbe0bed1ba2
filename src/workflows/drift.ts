import { applyDriftIgnores } from '../engine/ignore.js';
import { planIsEmpty } from '../engine/plan.js';
import type { Plan } from '../engine/types.js';
import type { Connection } from './connection.js';
import { planNow } from './plan.js';
import type { Prepared } from './prepare.js';

export interface Drift {
  /** The read-only plan, less the drift app.yaml accepts (`drift.ignore`). */
  readonly plan: Plan;
  /** Changes remain, or (when strict) unmanaged resources exist. */
  readonly drifted: boolean;
}

/**
 * Plans the prepared environments read-only and drops the drift app.yaml accepts; `today` decides
 * which `drift.ignore` entries have expired. With `strict`, unmanaged resources count as drift.
 */
export async function checkDrift(
  connection: Connection,
  prepared: Prepared,
  options: { readonly today: Date; readonly strict: boolean },
): Promise<Drift> {
  const plan = applyDriftIgnores(await planNow(connection, prepared), prepared.config.drift.ignore, options.today);
  return { plan, drifted: !planIsEmpty(plan) || (options.strict && plan.unmanaged.length > 0) };
}
