import type { CostEstimate } from '../engine/types.js';
import type { BudgetCheck } from '../model/cost.js';
import { formatCents } from './cost.js';

/**
 * One line per budget: `Budget of production: $120.00/month after this plan (now $95.00), within $250.00`,
 * or `… OVER $100.00 by $20.00`; unpriced changes are said to be left out.
 */
export function describeBudget(check: BudgetCheck): string {
  const who = check.environment === undefined ? 'all environments' : check.environment;
  const verdict =
    check.afterCents > check.budgetCents
      ? `OVER the ${formatCents(check.budgetCents)} budget by ${formatCents(check.afterCents - check.budgetCents)}`
      : `within the ${formatCents(check.budgetCents)} budget`;
  const unpriced =
    check.unpriced > 0 ? ` (${check.unpriced} unpriced change${check.unpriced === 1 ? '' : 's'} left out)` : '';
  return `Budget of ${who}: ${formatCents(check.afterCents)}/month after this plan (now ${formatCents(check.nowCents)}), ${verdict}${unpriced}`;
}

/** The budget lines as a block ending in a newline; empty when there are none. */
export function renderBudgets(checks: readonly BudgetCheck[]): string {
  return checks.length === 0 ? '' : `${checks.map(describeBudget).join('\n')}\n`;
}

/**
 * For `drift`: spend that grew out of band — live formations and add-ons that cost more than
 * app.yaml declares (someone scaled up in the dashboard) — with the monthly difference, and each
 * resource's part; empty when live costs no more than declared. A drift plan's cost runs from live
 * (before) to desired (after), so growth is the negative of its change.
 */
export function describeSpendGrowth(cost: CostEstimate | undefined): string {
  if (cost === undefined || cost.deltaCents >= 0) return '';
  const grown = cost.lines.filter((l) => l.beforeCents > l.afterCents);
  const parts = grown.map(
    (l) =>
      `  ${l.address}: ${l.before ?? 'nothing'} live, ${l.after ?? 'nothing'} declared (${formatCents(l.beforeCents - l.afterCents, true)}/month)`,
  );
  return `${[`Spend grew out of band: live costs ${formatCents(-cost.deltaCents, true)}/month more than app.yaml declares`, ...parts].join('\n')}\n`;
}
