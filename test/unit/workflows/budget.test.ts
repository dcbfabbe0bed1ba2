import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/engine/types.js';
import type { BudgetCheck } from '../../../src/model/cost.js';
import { describeBudget, describeSpendGrowth } from '../../../src/render/budget.js';
import { assertWithinBudget, exceeds } from '../../../src/workflows/budget.js';

const check = (
  nowCents: number,
  afterCents: number,
  budgetCents = 10_000,
  environment: string | null = 'production',
): BudgetCheck => ({
  environment: environment ?? undefined,
  budgetCents,
  nowCents,
  afterCents,
  unpriced: 0,
});

describe('budgets', () => {
  it('a plan exceeds a budget when it ends over it and costs more than now', () => {
    expect(exceeds(check(9_000, 10_500))).toBe(true);
    expect(exceeds(check(9_000, 10_000))).toBe(false);
    // Already over, and the plan lowers the cost: not refused.
    expect(exceeds(check(12_000, 11_000))).toBe(false);
    expect(exceeds(check(12_000, 12_000))).toBe(false);
  });

  it('refuses with exit 3 naming each budget taken over, unless allowed', () => {
    const over = [check(9_000, 10_500), check(20_000, 30_000, 25_000, null), check(1_000, 2_000)];
    expect(() => assertWithinBudget(over, true)).not.toThrow();
    try {
      assertWithinBudget(over, false);
      expect.unreachable();
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(3);
      expect((error as Error).message).toBe(
        'Apply refused: the plan would exceed 2 budgets; nothing was changed\n' +
          '  production: $105.00/month after the plan (now $90.00), budget $100.00\n' +
          '  all environments: $300.00/month after the plan (now $200.00), budget $250.00',
      );
    }
  });

  it('describes a budget within and over, with unpriced changes left out', () => {
    expect(describeBudget(check(9_000, 9_500))).toBe(
      'Budget of production: $95.00/month after this plan (now $90.00), within the $100.00 budget',
    );
    expect(describeBudget({ ...check(9_000, 10_500, 10_000, null), unpriced: 2 })).toBe(
      'Budget of all environments: $105.00/month after this plan (now $90.00), OVER the $100.00 budget by $5.00 (2 unpriced changes left out)',
    );
  });

  it('says how much spend grew out of band in a drift, and nothing when it did not grow', () => {
    const line = (address: string, before: string, beforeCents: number, after: string, afterCents: number) => ({
      address,
      before,
      after,
      beforeCents,
      afterCents,
    });
    const grown = {
      lines: [
        line('heroku.formation[staging/web]', '3 × standard-1x', 7_500, '1 × standard-1x', 2_500),
        line('heroku.addon[staging/db]', 'a', 0, 'b', 500),
      ],
      deltaCents: -4_500,
      unpriced: [],
    };
    const changes = grown.lines.map((l) => ({ address: l.address })) as unknown as Plan['changes'];
    expect(describeSpendGrowth({ changes, cost: grown })).toBe(
      '\nSpend grew out of band: live costs +$45.00/month more than app.yaml declares\n' +
        '  heroku.formation[staging/web]: 3 × standard-1x live, 1 × standard-1x declared (+$50.00/month)\n',
    );
    // Accepted drift (no longer a change) and a plan without cost say nothing.
    expect(describeSpendGrowth({ changes, cost: grown }, 'markdown')).toBe(
      '\n**Spend grew out of band: live costs +$45.00/month more than app.yaml declares**\n\n' +
        '- `heroku.formation[staging/web]`: 3 × standard-1x live, 1 × standard-1x declared (+$50.00/month)\n',
    );
    expect(describeSpendGrowth({ changes: changes.slice(1), cost: grown })).toBe('');
    expect(describeSpendGrowth({ changes })).toBe('');
  });
});
