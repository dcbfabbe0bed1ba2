import type { Plan } from '../engine/types.js';
import type { BudgetCheck } from '../model/cost.js';
import { formatCents } from './cost.js';
import { code, escapeText } from './markdown.js';

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
 * (before) to desired (after), so growth is the negative of its change. Only changes still in the
 * plan count (drift that `drift.ignore` accepts does not).
 */
export function describeSpendGrowth(
  plan: Pick<Plan, 'changes' | 'cost'>,
  format: 'human' | 'markdown' = 'human',
): string {
  const drifted = new Set(plan.changes.map((c) => c.address));
  const lines = (plan.cost?.lines ?? []).filter((l) => drifted.has(l.address));
  const grownCents = lines.reduce((sum, l) => sum + l.beforeCents - l.afterCents, 0);
  if (grownCents <= 0) return '';
  const head = `Spend grew out of band: live costs ${formatCents(grownCents, true)}/month more than app.yaml declares`;
  const parts = lines
    .filter((l) => l.beforeCents > l.afterCents)
    .map((l) => ({
      address: l.address,
      text: `${l.before ?? 'nothing'} live, ${l.after ?? 'nothing'} declared (${formatCents(l.beforeCents - l.afterCents, true)}/month)`,
    }));
  if (format === 'markdown') {
    return `\n**${escapeText(head)}**\n\n${parts.map((p) => `- ${code(p.address)}: ${escapeText(p.text)}`).join('\n')}\n`;
  }
  return `\n${[head, ...parts.map((p) => `  ${p.address}: ${p.text}`)].join('\n')}\n`;
}
