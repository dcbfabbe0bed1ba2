import { describe, expect, it } from 'vitest';
import { renderHuman } from '../../../src/render/human.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { aCreate, aPlan, aResource, at, diff, emptyPlan, scenarioPlan } from './fixtures.js';

const ESC = '\u001b[';
const human = (mode: 'plan' | 'drift' | 'apply' = 'plan', options = {}) =>
  renderHuman(toPlanView(scenarioPlan(), { mode }), options);

describe('renderHuman', () => {
  const text = human();
  const lines = text.split('\n');

  it('groups by provider then scope, Heroku first', () => {
    expect(lines.filter((l) => l.includes(' · '))).toEqual([
      'heroku · production',
      'heroku · staging',
      'cloudflare · daffeinated.com',
    ]);
  });

  it('writes one line per change with its symbol, address and source', () => {
    expect(lines).toContain('  - heroku.addon[production/cache]');
    expect(lines).toContain('  + heroku.domain[staging/www.daffeinated.com]  # app.yaml:40:9');
    expect(lines).toContain('  ~ heroku.app[staging]  # app.yaml:10:5');
    expect(lines).toContain('  -/+ heroku.drain[staging/papertrail]  # app.yaml:30:7');
  });

  it('aligns attribute rows: `+ a = v` on create, `- a = v` on delete, `a: before → after` on update', () => {
    expect(text).toContain('      + cname    = (known after apply)\n      + hostname = "www.daffeinated.com"\n');
    expect(text).toContain('      - plan    = "heroku-redis:mini"\n      - service = "heroku-redis"\n');
    expect(text).toContain('      maintenance: false → true\n      stack:       "heroku-22" → "heroku-24"\n');
  });

  it('shows sensitive values as (sensitive) and says they changed', () => {
    expect(lines).toContain('      SECRET_KEY:     (sensitive) → (sensitive)  # value changed');
  });

  it('marks the attributes forcing a replacement', () => {
    const url = lines.findIndex((l) => l.startsWith('      url:'));
    expect(`${lines[url]}\n${lines[url + 1]}`).toMatch(/# forces replacement$/);
  });

  it('lists deferred and unmanaged resources, diagnostics, then the summary last', () => {
    expect(text).toContain('\nDeferred:\n  heroku.formation[staging/web]:\n    process type "web"');
    expect(text).toContain(
      '\nUnmanaged (not touched):\n  heroku.addon[staging/papertrail-legacy]:\n    not declared in app.yaml; left alone (declare it under environments.staging.addons with name:\n    papertrail-legacy to manage it, or set environments.staging.prune.addons: true to remove it)\n  heroku.config[staging] LEGACY_FLAG: not declared in app.yaml\n',
    );
    expect(text).toContain('app.yaml:22:15: warning: size "standard-1x" is deprecated');
    expect(text.endsWith('\n\nPlan: 2 to create, 3 to update, 1 to replace, 1 to delete.\n')).toBe(true);
  });

  it('summarises expected items in one line, listing them only when verbose', () => {
    const view = toPlanView(scenarioPlan(), { mode: 'drift' });
    const expected = [
      { address: 'heroku.config[staging]', attribute: 'DATABASE_URL', kind: 'addon-var' as const, note: 'set by the add-on pg-1' },
      { address: 'heroku.config[staging]', attribute: 'REDIS_URL', kind: 'addon-var' as const, note: 'set by the add-on redis-1' },
      { address: 'heroku.domain[staging/x.example]', attribute: 'acm_status', kind: 'certificate' as const, note: 'certificate ok' },
    ];
    const quiet = renderHuman({ ...view, expected });
    expect(quiet).toContain('\n2 add-on variables, 1 certificate: as expected (--verbose lists them)\n');
    expect(quiet).toContain('\n1 deferred until a later step, e.g. a release (--verbose lists them)\n');
    expect(quiet).not.toContain('DATABASE_URL');
    const verbose = renderHuman({ ...view, expected }, { verbose: true });
    expect(verbose).toContain('Expected (2 add-on variables, 1 certificate: as expected):\n  heroku.config[staging] DATABASE_URL: set by the add-on pg-1\n');
    expect(verbose).toContain('\nDeferred:\n  heroku.formation[staging/web]:');
  });

  it('words the summary as drift in drift mode and as a plan in apply mode', () => {
    expect(human('drift')).toMatch(/\nDrift: 2 to create, 3 to update, 1 to replace, 1 to delete\.\n$/);
    expect(human('apply')).toBe(text);
  });

  it('says there is nothing to do for an empty plan', () => {
    expect(renderHuman(toPlanView(emptyPlan(), { mode: 'plan' }))).toBe('No changes. Live matches app.yaml.\n');
    expect(renderHuman(toPlanView(emptyPlan(), { mode: 'drift' }))).toBe('No drift.\n');
  });

  it('uses no escape codes without colour', () => {
    expect(text).not.toContain(ESC);
  });

  it('colours actions with colour on: green create, yellow update, magenta replace, red delete, dim unchanged', () => {
    const coloured = human('plan', { color: true });
    expect(coloured).toContain(`${ESC}32m+${ESC}39m`);
    expect(coloured).toContain(`${ESC}33m~${ESC}39m`);
    expect(coloured).toContain(`${ESC}35m-/+${ESC}39m`);
    expect(coloured).toContain(`${ESC}31m-${ESC}39m`);
    expect(coloured).toContain(`${ESC}2m      name: "papertrail" → "papertrail"${ESC}22m`);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(text);
  });

  it('keeps every line within the width except unbreakable address lines and diagnostics', () => {
    for (const width of [60, 80, 100]) {
      for (const line of human('plan', { width }).split('\n')) {
        if (line.length > width && !line.includes(': warning: '))
          expect(line).toMatch(/^ {2}(\S+ )?[a-z]+\.[a-z_]+\[[^\]]*\]:?$/);
      }
    }
  });

  it('wraps a long value at its column and puts `→ after` under the value', () => {
    expect(text).toContain(
      '      + CORS_ORIGINS   = "https://daffeinated.com,https://www.daffeinated.com,\n                         https://staging.daffeinated.com,https://admin.daffeinated.com"\n',
    );
    const rules = lines.findIndex((l) => l.startsWith('      rules[daffeinated:block].expression:'));
    expect(lines.slice(rules + 1).find((l) => l.includes('→'))).toMatch(/^ +→ "\(http/);
  });

  it('never wraps an address, moving its source location to the next line instead', () => {
    const name = 'x'.repeat(120);
    const change = aCreate(aResource('heroku.domain', 'staging', { hostname: name }, { name, source: at(3, 4) }), [
      diff('hostname', undefined, name),
    ]);
    const out = renderHuman(toPlanView(aPlan([change]), { mode: 'plan' }), { width: 80 }).split('\n');
    expect(out[1]).toBe(`  + heroku.domain[staging/${name}]`);
    expect(out[2]).toBe('      # app.yaml:3:4');
    expect(out[3]).toMatch(/^ {6}\+ hostname = "x+$/);
    expect(out[3]).toHaveLength(80);
  });

  it('shows a row without values by its name alone', () => {
    const change = aCreate(aResource('heroku.feature', 'staging', {}, { name: 'preboot' }), [
      diff('enabled', undefined, undefined),
    ]);
    expect(renderHuman(toPlanView(aPlan([change]), { mode: 'plan' }))).toContain('\n      enabled:\n');
  });
});
