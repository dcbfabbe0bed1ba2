import { describe, expect, it } from 'vitest';
import { appJsonSchema, checkShape } from '../../../src/config/schema.js';

describe('checkShape', () => {
  it('returns the input unchanged when valid (no transforms, no defaults)', () => {
    const input = { version: 1, name: 'shop', environments: { staging: { app: 'shop-staging', config: { A: 1 } } } };
    const result = checkShape(input);
    expect(result.issues).toEqual([]);
    expect(result.data).toEqual(input);
  });

  it('collects issues from every part of the document at once', () => {
    const result = checkShape({ version: 2, name: 'Shop', environments: { staging: { app: 'x', extra: 1 } } });
    expect(result.data).toBeUndefined();
    expect(result.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['custom', 'version'],
      ['invalid_format', 'name'],
      ['invalid_format', 'environments.staging.app'],
      ['unrecognized_keys', 'environments.staging'],
    ]);
  });

  it('requires at least one environment', () => {
    expect(checkShape({ version: 1, name: 'shop', environments: {} }).issues.map((i) => i.message)).toEqual([
      'declare at least one environment',
    ]);
  });
});

describe('appJsonSchema', () => {
  it('describes the language for editors', () => {
    const schema = appJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(schema.properties['version']).toEqual({
      type: 'number',
      const: 1,
      description: 'Config language version; always 1.',
    });
    expect(schema.properties['region']?.description).toContain('default `us`');
  });
});
