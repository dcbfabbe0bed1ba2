import { describe, expect, it } from 'vitest';
import { renderGithubAnnotations } from '../../../src/render/github.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { emptyPlan, SECRETS, scenarioPlan } from './fixtures.js';

describe('renderGithubAnnotations', () => {
  const plan = scenarioPlan();
  const text = renderGithubAnnotations(toPlanView(plan, { mode: 'drift' }));
  const lines = text.trimEnd().split('\n');

  it('points each drifted attribute at its app.yaml line', () => {
    expect(lines).toContain('::error file=app.yaml,line=11,col=18,title=Drift%3A heroku.app[staging]::maintenance is false live; app.yaml says true');
  });

  it('says a sensitive value differs without showing either value', () => {
    const view = toPlanView(plan, { mode: 'drift' });
    const all = renderGithubAnnotations({ ...view, changes: view.changes.filter((c) => c.address === 'heroku.config[staging]') });
    const secretLine = all.split('\n').find((l) => l.includes('SECRET_KEY'));
    expect(secretLine).toMatch(/^::error .*::SECRET_KEY differs from app\.yaml \(sensitive: values not shown\)$/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('reports unexpected unmanaged things as warnings, or errors when strict', () => {
    expect(lines.some((l) => l.startsWith('::warning ') && l.includes('Unmanaged'))).toBe(true);
    const view = { ...toPlanView(plan, { mode: 'drift' as const }), changes: [] };
    const strict = renderGithubAnnotations(view, { strict: true });
    expect(strict.split('\n').some((l) => l.startsWith('::error ') && l.includes('Unmanaged'))).toBe(true);
  });

  it('never annotates expected items or accepted drift: nothing to act on', () => {
    const quiet = renderGithubAnnotations({
      ...toPlanView(emptyPlan(), { mode: 'drift' }),
      expected: [{ address: 'heroku.config[staging]', attribute: 'DATABASE_URL', kind: 'addon-var', note: 'set by the add-on' }],
      accepted: [{ address: 'a[b]', reason: 'debugging' }],
    });
    expect(quiet).toBe('');
  });

  it('shows at most 10 annotations per level, the 10th counting the rest', () => {
    const many = toPlanView(emptyPlan(), { mode: 'drift' });
    const unmanaged = Array.from({ length: 25 }, (_, i) => ({ address: `heroku.addon[staging/a${i}]`, note: 'not declared' }));
    const out = renderGithubAnnotations({ ...many, unmanaged }).trimEnd().split('\n');
    expect(out).toHaveLength(10);
    expect(out.slice(0, 9).every((l) => l.startsWith('::warning title=Unmanaged'))).toBe(true);
    expect(out[9]).toBe('::warning title=daffeinated%3A 16 more::16 more warnings (GitHub shows 10 per step); the step summary lists every one');
    const errors = renderGithubAnnotations({ ...many, unmanaged }, { strict: true }).trimEnd().split('\n');
    expect(errors.filter((l) => l.startsWith('::error '))).toHaveLength(10);
  });

  it('escapes the workflow command syntax in properties and messages', () => {
    const escaped = renderGithubAnnotations({
      ...toPlanView(emptyPlan(), { mode: 'drift' }),
      diagnostics: [{ severity: 'warning', message: '50% off, see:\nnext line', file: 'c:d,e.yaml', line: 1, col: 2 }],
    });
    expect(escaped).toBe('::warning file=c%3Ad%2Ce.yaml,line=1,col=2,title=daffeinated::50%25 off, see:%0Anext line\n');
  });

  it('is empty when there is nothing to say', () => {
    expect(renderGithubAnnotations(toPlanView(emptyPlan(), { mode: 'drift' }))).toBe('');
  });
});
