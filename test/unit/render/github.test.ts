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
    const secretLine = lines.find((l) => l.includes('SECRET_KEY'));
    expect(secretLine).toMatch(/^::error .*::SECRET_KEY differs from app\.yaml \(sensitive: values not shown\)$/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('reports unmanaged resources as warnings, or errors when strict', () => {
    expect(lines.some((l) => l.startsWith('::warning ') && l.includes('Unmanaged'))).toBe(true);
    const strict = renderGithubAnnotations(toPlanView(plan, { mode: 'drift' }), { strict: true });
    expect(strict.split('\n').some((l) => l.startsWith('::error ') && l.includes('Unmanaged'))).toBe(true);
  });

  it('escapes the workflow command syntax in properties and messages', () => {
    const escaped = renderGithubAnnotations({
      ...toPlanView(emptyPlan(), { mode: 'drift' }),
      accepted: [{ address: 'a[b]', reason: '50% off, see:\nnext line', source: { file: 'c:d,e.yaml', line: 1, col: 2, text: '' } }],
    });
    expect(escaped).toBe('::notice file=c%3Ad%2Ce.yaml,line=1,col=2,title=Accepted drift%3A a[b]::50%25 off, see:%0Anext line\n');
  });

  it('is empty when there is nothing to say', () => {
    expect(renderGithubAnnotations(toPlanView(emptyPlan(), { mode: 'drift' }))).toBe('');
  });
});
