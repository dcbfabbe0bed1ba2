import { describe, expect, it } from 'vitest';
import { renderHuman, renderJson, renderMarkdown, toPlanView } from '../../src/render/index.js';
import { emptyPlan, scenarioPlan } from '../unit/render/fixtures.js';

// Fixed width, explicit colour, no clock: these files change only when the rendering does.
// Update with `npx vitest run test/golden -u` and review the diff.
const WIDTH = 100;
const scenarios = { plan: scenarioPlan, empty: emptyPlan };

describe.each(Object.entries(scenarios))('golden rendering: %s', (name, build) => {
  const view = toPlanView(build(), { mode: 'plan' });

  it('human, colour off', async () => {
    await expect(renderHuman(view, { color: false, width: WIDTH })).toMatchFileSnapshot(`outputs/${name}.human.txt`);
  });

  it('human, colour on', async () => {
    await expect(renderHuman(view, { color: true, width: WIDTH })).toMatchFileSnapshot(
      `outputs/${name}.human-color.txt`,
    );
  });

  it('json', async () => {
    await expect(renderJson(view)).toMatchFileSnapshot(`outputs/${name}.json`);
  });

  it('markdown', async () => {
    await expect(renderMarkdown(view)).toMatchFileSnapshot(`outputs/${name}.md`);
  });
});

describe('golden rendering: drift', () => {
  it('human, colour off', async () => {
    const view = toPlanView(scenarioPlan(), { mode: 'drift', scopeOrder: ['staging', 'production', 'daffeinated.com'] });
    await expect(renderHuman(view, { color: false, width: WIDTH })).toMatchFileSnapshot('outputs/drift.human.txt');
  });
});
