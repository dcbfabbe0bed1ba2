import { describe, expect, it } from 'vitest';
import { allowedKeysAt } from '../../../src/config/keys.js';
import { ENVIRONMENT_KEYS } from '../../../src/config/schema.js';

describe('allowedKeysAt', () => {
  it('lists the keys of the map at a path, through records, lists and unions', () => {
    expect(allowedKeysAt([])).toEqual([
      'version',
      'name',
      'pipeline',
      'team',
      'region',
      'stack',
      'buildpacks',
      'features',
      'defaults',
      'environments',
      'cloudflare',
      'drift',
      'promote',
      'budget',
    ]);
    expect(allowedKeysAt(['promote'])).toEqual(['allow_missing_config']);
    expect(allowedKeysAt(['environments', 'staging'])).toEqual(['app', ...ENVIRONMENT_KEYS.filter((k) => k !== 'app')]);
    expect(allowedKeysAt(['defaults'])).not.toContain('app');
    expect(allowedKeysAt(['environments', 'x', 'formation', 'web'])).toEqual(['quantity', 'size']);
    expect(allowedKeysAt(['environments', 'x', 'config', 'KEY'])).toEqual([
      'value',
      'sensitive',
      'generate',
      'bytes',
      'from_env',
      'optional',
    ]);
    expect(allowedKeysAt(['cloudflare', 'zones', 'example.com', 'dns', 0])).toEqual([
      'name',
      'type',
      'content',
      'ttl',
      'proxied',
      'priority',
      'comment',
    ]);
    expect(allowedKeysAt(['cloudflare', 'zones', 'example.com', 'tls', 'hsts'])).toContain('include_subdomains');
  });

  it('is empty where there is no fixed-key map', () => {
    expect(allowedKeysAt(['environments'])).toEqual([]);
    expect(allowedKeysAt(['nope', 'deeper'])).toEqual([]);
    expect(allowedKeysAt(['name'])).toEqual([]);
    expect(allowedKeysAt(['environments', 'x', 'domains', 0])).toEqual([]);
    expect(allowedKeysAt(['environments', 'x', 'app', 0])).toEqual([]);
  });
});
