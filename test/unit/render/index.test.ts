import { describe, expect, it } from 'vitest';
import { renderHuman, renderJson, renderMarkdown, renderPlan, toPlanView } from '../../../src/render/index.js';
import { scenarioPlan } from './fixtures.js';

describe('renderPlan', () => {
  const plan = scenarioPlan();

  it('builds the view and dispatches on format', () => {
    const view = toPlanView(plan, { mode: 'drift' });
    expect(renderPlan(plan, { format: 'human', mode: 'drift', width: 70 })).toBe(renderHuman(view, { width: 70 }));
    expect(renderPlan(plan, { format: 'json', mode: 'drift' })).toBe(renderJson(view));
    expect(renderPlan(plan, { format: 'markdown', mode: 'drift' })).toBe(renderMarkdown(view));
  });

  it('colours human output only', () => {
    expect(renderPlan(plan, { format: 'human', mode: 'plan', color: true })).toContain('\u001b[');
    expect(renderPlan(plan, { format: 'json', mode: 'plan', color: true })).not.toContain('\u001b[');
    expect(renderPlan(plan, { format: 'markdown', mode: 'plan', color: true })).not.toContain('\u001b[');
  });

  it('rejects an unknown format', () => {
    expect(() => renderPlan(plan, { format: 'yaml' as never, mode: 'plan' })).toThrow(/unexpected format/);
  });
});
