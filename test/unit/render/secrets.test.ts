import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/render/index.js';
import { SECRETS, scenarioPlan } from './fixtures.js';

describe('secrets', () => {
  const plan = scenarioPlan();

  it('are in the plan, so the test below means something', () => {
    const raw = JSON.stringify(plan);
    for (const secret of SECRETS) expect(raw).toContain(secret);
  });

  for (const format of ['human', 'json', 'markdown'] as const) {
    for (const mode of ['plan', 'drift', 'apply'] as const) {
      for (const color of [false, true]) {
        it(`never appear in ${format} output (${mode}, colour ${color ? 'on' : 'off'})`, () => {
          const out = renderPlan(plan, { format, mode, color, width: 40 });
          // Also with colour codes and whitespace removed, so a secret wrapped over lines is caught too.
          const squeezed = out.replace(/\u001b\[\d+m/g, '').replace(/\s+/g, '');
          for (const secret of SECRETS) {
            expect(out).not.toContain(secret);
            expect(squeezed).not.toContain(secret);
          }
          expect(out).toContain('(sensitive)');
        });
      }
    }
  }
});
