import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../../../src/config/merge.js';
import { formatPath } from '../../../src/config/tree.js';

const never = () => false;

describe('mergeLayers', () => {
  it('merges maps recursively, lists and scalars replace, later layers win', () => {
    const merged = mergeLayers(
      [
        {
          value: { region: 'us', formation: { web: { quantity: 1, size: 'basic' } }, domains: ['a.example'] },
          path: [],
        },
        {
          value: { formation: { web: { quantity: 2 }, worker: { quantity: 1 } }, domains: ['b.example'] },
          path: ['env'],
        },
      ],
      never,
    );
    expect(merged.value).toEqual({
      region: 'us',
      formation: { web: { quantity: 2, size: 'basic' }, worker: { quantity: 1 } },
      domains: ['b.example'],
    });
  });

  it('replaces whole at atomic paths, and when the kinds differ', () => {
    const merged = mergeLayers(
      [
        {
          value: { config: { SECRET: { generate: 'secret' } }, healthcheck: { path: '/h' }, list: { a: 1 } },
          path: ['defaults'],
        },
        { value: { config: { SECRET: { value: 'x' } }, healthcheck: null, list: [1] }, path: ['env'] },
      ],
      (relative) => relative.length === 2 && relative[0] === 'config',
    );
    expect(merged.value).toEqual({ config: { SECRET: { value: 'x' } }, healthcheck: null, list: [1] });
  });

  it('ignores layers that are not maps', () => {
    const merged = mergeLayers(
      [
        { value: 'nonsense', path: ['a'] },
        { value: undefined, path: ['b'] },
        { value: { k: 1 }, path: ['c'] },
      ],
      never,
    );
    expect(merged.value).toEqual({ k: 1 });
  });

  it('records, for every node, the layer node that supplied it', () => {
    const merged = mergeLayers(
      [
        { value: { region: 'us' }, path: [] },
        { value: { formation: { web: { quantity: 1, size: 'basic' } }, domains: ['a.example'] }, path: ['defaults'] },
        { value: { formation: { web: { quantity: 2 } } }, path: ['environments', 'prod'] },
      ],
      never,
    );
    const origins = Object.fromEntries(merged.origins.map((o) => [formatPath(o.relative), formatPath(o.absolute)]));
    expect(origins).toEqual({
      region: 'region',
      formation: 'environments.prod.formation',
      'formation.web': 'environments.prod.formation.web',
      'formation.web.quantity': 'environments.prod.formation.web.quantity',
      'formation.web.size': 'defaults.formation.web.size',
      domains: 'defaults.domains',
      'domains[0]': 'defaults.domains[0]',
    });
  });

  it('does not let merging touch prototypes', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = mergeLayers(
      [
        { value: { a: 1 }, path: [] },
        { value: evil, path: ['x'] },
      ],
      never,
    );
    expect(Object.keys(merged.value)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
