import { describe, expect, it } from 'vitest';
import { code, escapeCell, escapeText, renderMarkdown } from '../../../src/render/markdown.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { aCreate, aPlan, aResource, diff, emptyPlan, scenarioPlan } from './fixtures.js';

// The fixture renders as a drift report: the value columns are live and app.yaml.
const HEADER = '| Action | Address | Attribute | Live | app.yaml |\n| --- | --- | --- | --- | --- |';

describe('renderMarkdown', () => {
  const text = renderMarkdown(toPlanView(scenarioPlan(), { mode: 'drift' }));
  const lines = text.split('\n');

  it('starts with a title and the summary line', () => {
    expect(lines.slice(0, 3)).toEqual([
      '## daffeinated drift',
      '',
      '**Drift: 2 to create, 3 to update, 1 to replace, 1 to delete.**',
    ]);
  });

  it('has one table per provider, Heroku first', () => {
    expect(text).toContain(
      `### heroku\n\n${HEADER}\n| delete | \`heroku.addon[production/cache]\` | \`plan\` | \`"heroku-redis:mini"\` |  |\n`,
    );
    expect(text).toContain(`### cloudflare\n\n${HEADER}\n| create |`);
    expect(text.indexOf('### heroku')).toBeLessThan(text.indexOf('### cloudflare'));
    expect(text.split(HEADER)).toHaveLength(3);
  });

  it('names action and address on a change’s first row only', () => {
    expect(text).toContain(
      '| update | `heroku.app[staging]` | `maintenance` | `false` | `true` |\n|  |  | `stack` | `"heroku-22"` | `"heroku-24"` |\n',
    );
  });

  it('shows sensitive values, unknowns and replacement causes in words', () => {
    expect(text).toContain('|  |  | `SECRET_KEY` (value changed) | _(sensitive)_ | _(sensitive)_ |');
    expect(text).toContain('| `content` |  | _(known after apply)_ |');
    expect(text).toContain('| `url` (forces replacement) |');
  });

  it('escapes pipes inside cells so the table keeps five columns', () => {
    const rulesRow = lines.find((l) => l.includes('`rules[daffeinated:block].expression`')) ?? '';
    expect(rulesRow).toContain('sqlmap\\|nikto');
    expect(rulesRow.replaceAll('\\|', '').split('|')).toHaveLength(7);
  });

  it('lists deferred, unmanaged and diagnostics', () => {
    expect(text).toContain(
      '### Deferred\n\n- `heroku.formation[staging/web]`: process type "web" exists only after the first release; run \\`daffeinated deploy staging\\`\n',
    );
    expect(text).toContain(
      '### Unmanaged (not touched)\n\n- `heroku.addon[staging/papertrail-legacy]`: not declared in app.yaml; left alone (declare it under environments.staging.addons with name: papertrail-legacy to manage it, or set environments.staging.prune.addons: true to remove it)\n- `heroku.config[staging]` `LEGACY_FLAG`: not declared in app.yaml\n',
    );
    expect(text).toContain(
      '### Diagnostics\n\n- **warning** `app.yaml:22:15`: size "standard-1x" is deprecated (at `environments.staging.formation.worker.size`)<br>hint: use "standard-1X" or "basic"\n',
    );
  });

  it('renders an empty plan as title, summary and scopes', () => {
    expect(renderMarkdown(toPlanView(emptyPlan(), { mode: 'plan' }))).toBe(
      '## daffeinated plan\n\n**No changes. Live matches app.yaml.**\n\nScopes: `production`, `staging`\n',
    );
  });

  it('keeps a change without attribute rows as one row', () => {
    const change = aCreate(aResource('heroku.feature', 'staging', {}, { name: 'preboot' }), []);
    expect(renderMarkdown(toPlanView(aPlan([change]), { mode: 'plan' }))).toContain(
      '| create | `heroku.feature[staging/preboot]` |  |  |  |\n',
    );
  });

  it('escapes line breaks and markdown in notes and values', () => {
    const value = 'a|b\nc';
    const change = aCreate(aResource('heroku.config', 's', { K: value }), [diff('K', undefined, value)]);
    const plan = aPlan([change], { unmanaged: [{ address: 'heroku.addon[s/x]', note: 'line one\n*not bold* <b>' }] });
    const out = renderMarkdown(toPlanView(plan, { mode: 'plan' }));
    expect(out).toContain('| `K` |  | `"a\\|b\\nc"` |');
    expect(out).toContain('- `heroku.addon[s/x]`: line one<br>\\*not bold\\* \\<b\\>\n');
  });
});

describe('markdown helpers', () => {
  it('code() picks a fence longer than any backtick run inside', () => {
    expect(code('plain')).toBe('`plain`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('')).toBe('` `');
  });

  it('escapeCell() escapes pipes and line breaks', () => {
    expect(escapeCell('a|b\r\nc')).toBe('a\\|b<br>c');
  });

  it('escapeText() escapes markdown punctuation', () => {
    expect(escapeText('_x_ [y](z) `w` # ~~v~~ a&b')).toBe('\\_x\\_ \\[y\\](z) \\`w\\` \\# \\~\\~v\\~\\~ a\\&b');
  });
});
