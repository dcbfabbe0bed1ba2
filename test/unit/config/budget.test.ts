import { describe, expect, it } from 'vitest';
import { MINIMAL, problems, valid } from './support.js';

describe('budget', () => {
  it('is read at the top level and per environment, in cents, with where it is declared', () => {
    const config = valid(
      `${MINIMAL}    budget: { monthly: 120.5 }\n  production:\n    app: shop-production\nbudget: { monthly: 250 }\n`,
    );
    expect(config.budget).toEqual({ monthlyCents: 25000, source: { file: 'app.yaml', line: 9, col: 1 } });
    expect(config.environments['staging']?.budget).toEqual({
      monthlyCents: 12050,
      source: { file: 'app.yaml', line: 6, col: 5 },
    });
    expect(config.environments['production']?.budget).toBeUndefined();
  });

  it('must be a positive amount, and is no key of defaults', () => {
    expect(problems(`${MINIMAL}    budget: { monthly: 0 }\n`)).toEqual([
      expect.stringMatching(/^app\.yaml:6:24: error: .* \(at environments\.staging\.budget\.monthly\)/),
    ]);
    expect(problems(`${MINIMAL}defaults:\n  budget: { monthly: 5 }\n`)).toEqual([
      expect.stringMatching(/^app\.yaml:7:3: error: unknown key "budget" \(at defaults\.budget\)/),
    ]);
  });
});
