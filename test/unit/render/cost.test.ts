import { describe, expect, it } from 'vitest';
import type { CostEstimate } from '../../../src/engine/types.js';
import { formatCents, toCostView } from '../../../src/render/cost.js';
import { renderHuman } from '../../../src/render/human.js';
import { renderJson } from '../../../src/render/json.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { aPlan } from './fixtures.js';

const cost: CostEstimate = {
  lines: [
    {
      address: 'heroku.addon[production/database]',
      before: 'heroku-postgresql:essential-0',
      after: 'heroku-postgresql:standard-0',
      beforeCents: 500,
      afterCents: 5000,
    },
    { address: 'heroku.formation[production/web]', before: '2 × standard-2x', beforeCents: 10_000, afterCents: 0 },
  ],
  deltaCents: -5500,
  unpriced: [
    { address: 'heroku.addon[production/search]', reason: 'Heroku gives no monthly price for bonsai:sandbox' },
  ],
};
const view = toPlanView(aPlan([], { cost }), { mode: 'plan' });

describe('cost rendering', () => {
  it('formats cents as dollars, signed when asked', () => {
    expect([formatCents(0), formatCents(1234), formatCents(-5), formatCents(700, true), formatCents(0, true)]).toEqual([
      '$0.00',
      '$12.34',
      '-$0.05',
      '+$7.00',
      '$0.00',
    ]);
  });

  it('describes each line with both sides and the difference', () => {
    expect(toCostView(cost).lines.map((l) => l.text)).toEqual([
      'heroku-postgresql:essential-0 $5.00 → heroku-postgresql:standard-0 $50.00 (+$45.00)',
      '2 × standard-2x $100.00 → $0.00 (-$100.00)',
    ]);
  });

  it('shows a Cost section in human output, with unpriced changes and the monthly total', () => {
    const text = renderHuman(view, { width: 200 });
    expect(text).toContain(
      [
        "Cost (monthly, from Heroku's price list):",
        '  heroku.addon[production/database]: heroku-postgresql:essential-0 $5.00 → heroku-postgresql:standard-0 $50.00 (+$45.00)',
        '  heroku.formation[production/web]: 2 × standard-2x $100.00 → $0.00 (-$100.00)',
        '  heroku.addon[production/search]: not priced: Heroku gives no monthly price for bonsai:sandbox',
        '  Total: -$55.00/month',
      ].join('\n'),
    );
  });

  it('adds `cost` to JSON in cents, and nothing when there is no estimate', () => {
    const json = JSON.parse(renderJson(view)) as { cost: unknown };
    expect(json.cost).toEqual({
      deltaCents: -5500,
      lines: [
        { address: 'heroku.addon[production/database]', beforeCents: 500, afterCents: 5000 },
        { address: 'heroku.formation[production/web]', beforeCents: 10_000, afterCents: 0 },
      ],
      unpriced: [
        { address: 'heroku.addon[production/search]', reason: 'Heroku gives no monthly price for bonsai:sandbox' },
      ],
    });
    expect(JSON.parse(renderJson(toPlanView(aPlan([]), { mode: 'plan' })))).not.toHaveProperty('cost');
  });

  it('lists the cost in markdown', () => {
    const text = renderMarkdown(view);
    expect(text).toContain(
      '### Cost (monthly)\n\n- `heroku.addon[production/database]`: heroku-postgresql:essential-0 $5.00 → heroku-postgresql:standard-0 $50.00 (+$45.00)',
    );
    expect(text).toContain('- **Total: -$55.00/month**');
  });
});
