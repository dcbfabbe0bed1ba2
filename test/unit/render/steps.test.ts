import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/render/index.js';
import { scenarioPlan } from './fixtures.js';

// Changes applied in several steps (the TLS sequence) are listed with what their provider says the
// steps do, in every format; a plan without any has no such section or key.
describe('a plan with changes applied in steps', () => {
  const note = 'written DNS-only first, turned proxied once heroku.domain[staging/www.example.com] has its certificate';
  const plan = { ...scenarioPlan(), steps: [{ address: 'cloudflare.dns[example.com/CNAME/www]', note }] };

  it('lists them under "Applied in steps" (human, markdown) and `steps` (JSON)', () => {
    expect(renderPlan(plan, { format: 'human', mode: 'plan', width: 200 })).toContain(`Applied in steps:\n  cloudflare.dns[example.com/CNAME/www]: ${note}\n`);
    expect(renderPlan(plan, { format: 'markdown', mode: 'plan' })).toContain('### Applied in steps');
    const json = JSON.parse(renderPlan(plan, { format: 'json', mode: 'plan' })) as { steps?: unknown };
    expect(json.steps).toEqual([{ address: 'cloudflare.dns[example.com/CNAME/www]', note }]);
  });

  it('has no such section without them', () => {
    expect(renderPlan(scenarioPlan(), { format: 'human', mode: 'plan' })).not.toContain('Applied in steps');
    expect(JSON.parse(renderPlan(scenarioPlan(), { format: 'json', mode: 'plan' }))).not.toHaveProperty('steps');
  });
});
