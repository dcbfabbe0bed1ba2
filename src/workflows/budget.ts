import type { Plan } from '../engine/types.js';
import type { BudgetCheck } from '../model/cost.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { costNow } from './cost.js';
import type { Prepared } from './prepare.js';

/**
 * The budgets app.yaml declares that `plan` touches: each planned environment's own, and the
 * top-level one over all environments. `everything` is the desired state of every environment
 * (workflows/prepare `narrowed`), so that the top-level budget counts the environments not planned
 * at their cost now. No budget: no request. Otherwise what runs now is priced (`costNow`, one
 * Heroku read round; the price lists are the plan's, cached) and the plan's priced changes added.
 */
export async function checkBudgets(connection: Connection, everything: Prepared, plan: Plan): Promise<BudgetCheck[]> {
  const { config } = everything;
  const planned = plan.scopes.filter((s) => config.environments[s]?.budget !== undefined);
  if (config.budget === undefined && planned.length === 0) return [];
  const names = config.budget === undefined ? planned : Object.keys(config.environments);
  const scope = {
    ...everything,
    environments: names,
    desired: { ...everything.desired, resources: everything.desired.resources.filter((r) => names.includes(r.scope)) },
  };
  const now = await costNow(connection, scope);
  const scopeOf = (address: string) => /^[a-z]+\.[a-z_]+\[([^/\]]+)/.exec(address)?.[1];
  const delta = (environment: string | undefined) =>
    (plan.cost?.lines ?? [])
      .filter((l) => environment === undefined || scopeOf(l.address) === environment)
      .reduce((sum, l) => sum + l.afterCents - l.beforeCents, 0);
  const unpriced = (environment: string | undefined) =>
    (plan.cost?.unpriced ?? []).filter((u) => environment === undefined || scopeOf(u.address) === environment).length;
  const checks: BudgetCheck[] = planned.map((name) => {
    const nowCents = now.environments.find((e) => e.name === name)?.totalCents ?? 0;
    const budgetCents = config.environments[name]?.budget?.monthlyCents ?? 0;
    return { environment: name, budgetCents, nowCents, afterCents: nowCents + delta(name), unpriced: unpriced(name) };
  });
  if (config.budget !== undefined) {
    checks.push({
      environment: undefined,
      budgetCents: config.budget.monthlyCents,
      nowCents: now.totalCents,
      afterCents: now.totalCents + delta(undefined),
      unpriced: unpriced(undefined),
    });
  }
  return checks;
}

/** A budget the plan would take (further) over: over it afterwards, and costing more than now. */
export function exceeds(check: BudgetCheck): boolean {
  return check.afterCents > check.budgetCents && check.afterCents > check.nowCents;
}

/**
 * Refuses (exit 3) a plan that would exceed a budget, before anything is written, unless
 * `allowOver` (`apply --allow-over-budget`).
 */
export function assertWithinBudget(checks: readonly BudgetCheck[], allowOver: boolean): void {
  const over = checks.filter(exceeds);
  if (over.length === 0 || allowOver) return;
  const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
  const lines = over.map(
    (c) =>
      `  ${c.environment ?? 'all environments'}: ${dollars(c.afterCents)}/month after the plan (now ${dollars(c.nowCents)}), budget ${dollars(c.budgetCents)}`,
  );
  throw new DaffError(
    `Apply refused: the plan would exceed ${over.length === 1 ? 'a budget' : `${over.length} budgets`}; nothing was changed\n${lines.join('\n')}`,
    {
      hint: 'Change app.yaml to cost less, raise `budget.monthly`, or pass --allow-over-budget to apply anyway.',
      exitCode: ExitCode.Refused,
    },
  );
}
