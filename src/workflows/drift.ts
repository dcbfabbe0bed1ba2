import { applyDriftIgnores } from '../engine/ignore.js';
import { planIsEmpty } from '../engine/plan.js';
import type { Plan } from '../engine/types.js';
import type { Connection } from './connection.js';
import { planNow } from './plan.js';
import type { Prepared } from './prepare.js';

export interface Drift {
  /** The read-only plan, less the drift app.yaml accepts (`drift.ignore`). */
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
  const plan = applyDriftIgnores(await planNow(connection, prepared), prepared.config.drift.ignore, options.today);
  const unexpected = plan.unmanaged.some((u) => u.expected === undefined);
  return { plan, drifted: !planIsEmpty(plan) || (options.strict && unexpected) };
}
