import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/value.js';
import { actionSymbol, groupBy, rowNotes, toPlanView } from '../../../src/render/view-model.js';
import {
  aCreate,
  aDelete,
  anUpdate,
  aPlan,
  aReplace,
  aResource,
  at,
  diff,
  emptyPlan,
  SECRETS,
  scenarioPlan,
} from './fixtures.js';

describe('toPlanView', () => {
  const view = toPlanView(scenarioPlan(), { mode: 'plan' });

  it('sorts changes by provider (heroku first), scope, action, then address', () => {
    expect(view.changes.map((c) => `${c.symbol} ${c.address}`)).toEqual([
      '- heroku.addon[production/cache]',
      '+ heroku.domain[staging/www.daffeinated.com]',
      '~ heroku.app[staging]',
      '~ heroku.config[staging]',
      '-/+ heroku.drain[staging/papertrail]',
      '+ cloudflare.dns[daffeinated.com/CNAME/www]',
      '~ cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]',
    ]);
  });

  it('sorts rows by attribute name and scopes, deferred, unmanaged', () => {
    const config = view.changes.find((c) => c.address === 'heroku.config[staging]');
    expect(config?.rows.map((r) => r.name)).toEqual([
      'CORS_ORIGINS',
      'FEATURES',
      'LOG_LEVEL',
      'OLD_VAR',
      'SECRET_KEY',
      'SESSION_SECRET',
    ]);
    expect(view.scopes).toEqual(['daffeinated.com', 'production', 'staging']);
    expect(view.unmanaged.map((u) => u.address)).toEqual([
      'heroku.addon[staging/papertrail-legacy]',
      'heroku.config[staging]',
    ]);
    expect(view.deferred).toEqual([
      { address: 'heroku.formation[staging/web]', reason: expect.stringContaining('first release') },
    ]);
  });

  it('redacts attributes marked by diff.sensitive and by Resource.sensitive, keeping whether they changed', () => {
    const rows = view.changes.find((c) => c.address === 'heroku.config[staging]')?.rows ?? [];
    for (const name of ['SECRET_KEY', 'SESSION_SECRET']) {
      expect(rows.find((r) => r.name === name)).toEqual({
        name,
        before: { kind: 'sensitive', text: '(sensitive)', json: '(sensitive)' },
        after: { kind: 'sensitive', text: '(sensitive)', json: '(sensitive)' },
        sensitive: true,
        changed: true,
        forcesReplacement: false,
        source: expect.objectContaining({ file: 'app.yaml' }),
      });
    }
  });

  it('treats an attribute named sensitive by the live side only as sensitive', () => {
    const live = aResource('heroku.config', 'staging', { TOKEN: 'live-token-value' }, { sensitive: ['TOKEN'] });
    const plan = aPlan([aDelete(live, [diff('TOKEN', 'live-token-value', undefined)])]);
    const row = toPlanView(plan, { mode: 'plan' }).changes[0]?.rows[0];
    expect(row).toMatchObject({ sensitive: true, changed: true, before: { kind: 'sensitive' } });
    expect(row?.after).toBeUndefined();
  });

  it('says an unchanged sensitive value is unchanged without holding it', () => {
    const r = aResource('heroku.config', 'staging', { K: 'same-secret' }, { sensitive: ['K'] });
    const row = toPlanView(aPlan([anUpdate(r, r, [diff('K', 'same-secret', 'same-secret')])]), { mode: 'plan' })
      .changes[0]?.rows[0];
    expect(row).toMatchObject({ sensitive: true, changed: false });
    expect(JSON.stringify(row)).not.toContain('same-secret');
  });

  it('holds no secret string anywhere', () => {
    const text = JSON.stringify(view);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('formats values: quoted strings, compact sorted objects, Unknown as (known after apply)', () => {
    const rows = view.changes.flatMap((c) => c.rows.map((r) => [`${c.address} ${r.name}`, r] as const));
    const row = (key: string) => rows.find(([k]) => k === key)?.[1];
    expect(row('heroku.app[staging] stack')?.after).toEqual({
      kind: 'literal',
      text: '"heroku-24"',
      json: 'heroku-24',
    });
    expect(row('heroku.app[staging] maintenance')?.before).toEqual({ kind: 'literal', text: 'false', json: false });
    expect(row('heroku.config[staging] FEATURES')?.after?.text).toBe('{"alpha": ["x", "y"], "beta": true}');
    expect(row('heroku.domain[staging/www.daffeinated.com] cname')?.after).toEqual({
      kind: 'unknown',
      text: '(known after apply)',
      json: { unknown: 'known after apply' },
    });
  });

  it('marks the attributes in `because` and keeps `because` sorted on replaces only', () => {
    const replace = view.changes.find((c) => c.action === 'replace');
    expect(replace?.because).toEqual(['url']);
    expect(replace?.rows.map((r) => [r.name, r.forcesReplacement, r.changed])).toEqual([
      ['name', false, false],
      ['url', true, true],
    ]);
    expect(view.changes.filter((c) => c.because !== undefined)).toHaveLength(1);
  });

  it('takes the change source from the desired side and row sources from the diffs', () => {
    const app = view.changes.find((c) => c.address === 'heroku.app[staging]');
    expect(app?.source).toEqual({ file: 'app.yaml', line: 10, col: 5, text: 'app.yaml:10:5' });
    expect(app?.rows[0]?.source?.text).toBe('app.yaml:11:18');
    expect(view.changes.find((c) => c.action === 'delete')?.source).toBeUndefined();
  });

  it('counts the summary from the changes and words it per mode', () => {
    expect(view.summary).toEqual({
      create: 2,
      update: 3,
      replace: 1,
      delete: 1,
      total: 7,
      text: 'Plan: 2 to create, 3 to update, 1 to replace, 1 to delete.',
    });
    expect(toPlanView(scenarioPlan(), { mode: 'drift' }).summary.text).toBe(
      'Drift: 2 to create, 3 to update, 1 to replace, 1 to delete.',
    );
    expect(toPlanView(scenarioPlan(), { mode: 'apply' }).kind).toBe('plan');
    expect(toPlanView(emptyPlan(), { mode: 'plan' }).summary.text).toBe('No changes. Live matches app.yaml.');
    expect(toPlanView(emptyPlan(), { mode: 'apply' }).summary.text).toBe('No changes. Live matches app.yaml.');
    expect(toPlanView(emptyPlan(), { mode: 'drift' }).summary).toMatchObject({ total: 0, text: 'No drift.' });
  });

  it('sorts diagnostics by location', () => {
    const plan = aPlan([], {
      diagnostics: [
        { severity: 'warning', message: 'b', file: 'app.yaml', line: 9, col: 1 },
        { severity: 'error', message: 'a', file: 'app.yaml', line: 2, col: 1 },
      ],
    });
    expect(toPlanView(plan, { mode: 'plan' }).diagnostics.map((d) => d.message)).toEqual(['a', 'b']);
  });

  it('does not mutate the plan', () => {
    const plan = scenarioPlan();
    const before = JSON.stringify(plan);
    toPlanView(plan, { mode: 'plan' });
    expect(JSON.stringify(plan)).toBe(before);
  });

  it('is deterministic whatever the input order', () => {
    const plan = scenarioPlan();
    const reversed = { ...plan, changes: [...plan.changes].reverse(), unmanaged: [...plan.unmanaged].reverse() };
    expect(toPlanView(reversed, { mode: 'plan' })).toEqual(view);
  });

  it('gives a replace without a desired source no source', () => {
    const r = aResource('heroku.drain', 'staging', { url: 'a' }, { name: 'd' });
    const change = aReplace(r, { ...r, attributes: { url: 'b' } }, [diff('url', 'a', 'b')], ['url']);
    expect(toPlanView(aPlan([change]), { mode: 'plan' }).changes[0]).not.toHaveProperty('source');
  });

  it('renders a nested Unknown inside a literal', () => {
    const value = { target: new Unknown('later') };
    const create = aCreate(aResource('heroku.app', 's', { v: value }, { source: at(1, 1) }), [
      diff('v', undefined, value),
    ]);
    expect(toPlanView(aPlan([create]), { mode: 'plan' }).changes[0]?.rows[0]?.after).toEqual({
      kind: 'literal',
      text: '{"target": (known after apply)}',
      json: { target: { unknown: 'known after apply' } },
    });
  });
});

describe('actionSymbol', () => {
  it('maps each action to its plan symbol', () => {
    expect((['create', 'update', 'replace', 'delete'] as const).map(actionSymbol)).toEqual(['+', '~', '-/+', '-']);
  });

  it('rejects a value outside the union', () => {
    expect(() => actionSymbol('destroy' as never)).toThrow(/unexpected action/);
  });
});

describe('rowNotes', () => {
  const base = { name: 'k', sensitive: false, changed: true, forcesReplacement: false } as const;
  const secret = { kind: 'sensitive', text: '(sensitive)', json: '(sensitive)' } as const;

  it('notes a changed sensitive value and a forcing attribute', () => {
    expect(rowNotes({ ...base, sensitive: true, before: secret, after: secret, forcesReplacement: true })).toEqual([
      'value changed',
      'forces replacement',
    ]);
  });

  it('adds nothing for an ordinary row or a sensitive value added', () => {
    expect(rowNotes(base)).toEqual([]);
    expect(rowNotes({ ...base, sensitive: true, after: secret })).toEqual([]);
  });
});

describe('groupBy', () => {
  it('groups consecutive items by key, keeping order', () => {
    expect(groupBy(['a1', 'a2', 'b1', 'a3'], (s) => s.charAt(0))).toEqual([
      { key: 'a', items: ['a1', 'a2'] },
      { key: 'b', items: ['b1'] },
      { key: 'a', items: ['a3'] },
    ]);
  });
});
