import type { Io } from '../runtime/io.js';
import { narrowed, type Prepared } from '../workflows/prepare.js';

/**
 * The desired state of every environment in `prepared`'s app.yaml, for budgets: the top-level one
 * counts environments not planned at their cost now. Built without failing on their unset
 * `from_env` variables (only their formations and add-ons are priced).
 */
export function everyEnvironment(prepared: Prepared, io: Io): Prepared {
  return narrowed(prepared, Object.keys(prepared.config.environments).sort(), io.env);
}
