import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/render/json.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { emptyPlan, scenarioPlan } from './fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const parse = (mode: 'plan' | 'drift' | 'apply' = 'plan') =>
  JSON.parse(renderJson(toPlanView(scenarioPlan(), { mode }))) as { [key: string]: Json };

function unsortedKeys(value: Json, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => unsortedKeys(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const here = keys.join() === [...keys].sort().join() ? [] : [path];
  return [...here, ...keys.flatMap((k) => unsortedKeys(value[k] as Json, `${path}.${k}`))];
}

describe('renderJson', () => {
  const doc = parse();
  const changes = doc['changes'] as { [key: string]: Json }[];
  const change = (address: string) => changes.find((c) => c['address'] === address) as { [key: string]: Json };
  const attribute = (address: string, name: string) =>
    (change(address)['attributes'] as { [key: string]: Json }[]).find((a) => a['name'] === name);

  it('has the documented top level', () => {
    expect(Object.keys(doc)).toEqual([
      'accepted',
      'changes',
      'deferred',
      'diagnostics',
      'expected',
      'formatVersion',
      'kind',
      'scopes',
      'summary',
      'unmanaged',
    ]);
    expect(doc['formatVersion']).toBe(2);
    expect(doc['kind']).toBe('plan');
    expect(doc['summary']).toEqual({ create: 2, delete: 1, replace: 1, update: 3 });
    expect(doc['scopes']).toEqual(['daffeinated.com', 'production', 'staging']);
  });

  it('sorts keys at every level', () => {
    expect(unsortedKeys(doc)).toEqual([]);
  });

  it('describes each change with address, action, provider, kind, scope and attributes', () => {
    expect(change('heroku.app[staging]')).toEqual({
      action: 'update',
      address: 'heroku.app[staging]',
      attributes: [
        {
          after: true,
          before: false,
          name: 'maintenance',
          sensitive: false,
          source: { col: 18, file: 'app.yaml', line: 11 },
        },
        {
          after: 'heroku-24',
          before: 'heroku-22',
          name: 'stack',
          sensitive: false,
          source: { col: 12, file: 'app.yaml', line: 12 },
        },
      ],
      kind: 'heroku.app',
      provider: 'heroku',
      scope: 'staging',
      source: { col: 5, file: 'app.yaml', line: 10 },
    });
  });

  it('omits the side an attribute does not exist on', () => {
    expect(attribute('heroku.config[staging]', 'OLD_VAR')).toEqual({ before: '1', name: 'OLD_VAR', sensitive: false });
  });

  it('replaces sensitive values with "(sensitive)" and a changed marker', () => {
    expect(attribute('heroku.config[staging]', 'SECRET_KEY')).toEqual({
      after: '(sensitive)',
      before: '(sensitive)',
      changed: true,
      name: 'SECRET_KEY',
      sensitive: true,
      source: { col: 19, file: 'app.yaml', line: 16 },
    });
  });

  it('writes Unknown as {"unknown": "known after apply"}', () => {
    expect(attribute('cloudflare.dns[daffeinated.com/CNAME/www]', 'content')?.['after']).toEqual({
      unknown: 'known after apply',
    });
  });

  it('gives a replace its `because`, and other changes none', () => {
    expect(change('heroku.drain[staging/papertrail]')['because']).toEqual(['url']);
    expect(changes.filter((c) => 'because' in c)).toHaveLength(1);
  });

  it('carries deferred, unmanaged and diagnostics', () => {
    expect(doc['deferred']).toEqual([
      { address: 'heroku.formation[staging/web]', reason: expect.stringContaining('first release') },
    ]);
    expect(doc['unmanaged']).toEqual([
      { address: 'heroku.addon[staging/papertrail-legacy]', note: expect.any(String) },
      { address: 'heroku.config[staging]', attribute: 'LEGACY_FLAG', note: 'not declared in app.yaml' },
    ]);
    expect(doc['diagnostics']).toEqual([
      {
        col: 15,
        file: 'app.yaml',
        hint: 'use "standard-1X" or "basic"',
        line: 22,
        message: 'size "standard-1x" is deprecated',
        path: 'environments.staging.formation.worker.size',
        severity: 'warning',
      },
    ]);
  });

  it('has one shape for plan and drift: the same attribute keys', () => {
    const keys = (doc: Record<string, unknown>) =>
      new Set((doc['changes'] as { attributes: Record<string, unknown>[] }[]).flatMap((c) => c.attributes.flatMap((a) => Object.keys(a))));
    expect([...keys(parse('drift'))].sort()).toEqual([...keys(parse('plan'))].sort());
    expect(keys(parse('drift')).has('before')).toBe(true);
  });

  it('says drift in drift mode and plan in apply mode', () => {
    expect(parse('drift')['kind']).toBe('drift');
    expect(parse('apply')['kind']).toBe('plan');
  });

  it('renders an empty plan with empty lists and zero counts', () => {
    expect(JSON.parse(renderJson(toPlanView(emptyPlan(), { mode: 'plan' })))).toEqual({
      accepted: [],
      changes: [],
      deferred: [],
      diagnostics: [],
      expected: [],
      formatVersion: 2,
      kind: 'plan',
      scopes: ['production', 'staging'],
      summary: { create: 0, delete: 0, replace: 0, update: 0 },
      unmanaged: [],
    });
  });

  it('is indented and ends with a newline', () => {
    const text = renderJson(toPlanView(emptyPlan(), { mode: 'plan' }));
    expect(text.startsWith('{\n  "accepted": [],\n  "changes": [],\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('omits the optional fields of a diagnostic that has none', () => {
    const view = toPlanView(
      { ...emptyPlan(), diagnostics: [{ severity: 'error', message: 'boom' }] },
      { mode: 'plan' },
    );
    expect(JSON.parse(renderJson(view))['diagnostics']).toEqual([{ message: 'boom', severity: 'error' }]);
  });
});
