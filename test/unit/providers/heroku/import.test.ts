import { describe, expect, it } from 'vitest';
import { appYaml } from '../../../../src/commands/import.js';
import { parseConfig, stringifyYaml } from '../../../../src/config/index.js';
import type { Resource } from '../../../../src/model/resource.js';
import { type ImportedApp, importDrains, looksSecret } from '../../../../src/providers/heroku/import.js';

const imported: ImportedApp = {
  environment: 'production',
  app: 'shop',
  team: 'acme',
  region: 'eu',
  stack: 'heroku-24',
  maintenance: true,
  acm: false,
  stage: 'production',
  pipeline: 'shop-pipe',
  buildpacks: [],
  features: [],
  formation: {},
  addons: { database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE', name: 'pg-1' } },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal value that looks like app.yaml interpolation.
  config: { PRICE_TEXT: { value: 'costs ${AMOUNT}' }, API_TOKEN: { fromEnv: 'API_TOKEN' } },
  domains: [],
  logDrains: [{ variable: 'LOG_DRAIN_1' }, { url: 'syslog+tls://logs.example.net:514' }],
  variables: ['API_TOKEN', 'LOG_DRAIN_1'],
  notes: [],
};

describe('import', () => {
  it('treats credentials in URLs and long random tokens as secrets, ordinary values not', () => {
    expect(looksSecret('postgres://user:pw@db.example:5432/x')).toBe(true);
    expect(looksSecret('a9F3kL0pQ7rS2tU5vW8xY1zB4cD6eG')).toBe(true);
    expect(looksSecret('production')).toBe(false);
    expect(looksSecret('https://example.com/path')).toBe(false);
    expect(looksSecret('this is a long sentence with 2 words')).toBe(false);
  });

  it('treats a URL with any user info, a secret-named or token query parameter, or a token in its path as secret', () => {
    expect(looksSecret('https://bot-0f3a@notify.example.net/send')).toBe(true);
    expect(looksSecret('https://alerts.example.net/hook?token=abc')).toBe(true);
    expect(looksSecret('https://cdn.example.net/file?x=9f8e7d6c5b4a3210')).toBe(true);
    expect(looksSecret('https://hooks.slack.example/services/T0A1B2C3D/B0E1F2G3H/aBcD3fGh1jKlMn0pQrStUvWx')).toBe(true);
    expect(looksSecret('https://www.example.net/shop/items?page=2&sort=name')).toBe(false);
    expect(looksSecret('https://www.example.net/releases/v2')).toBe(false);
    expect(looksSecret('redis://%zz')).toBe(false);
  });

  it('writes a generated config var as app.yaml declares it', () => {
    const text = stringifyYaml(appYaml({ ...imported, config: { SESSION_SECRET: { generate: 48 } } }));
    expect(text).toContain('      SESSION_SECRET:\n        generate: secret\n        bytes: 48\n');
    expect(parseConfig(text, 'app.yaml', { LOG_DRAIN_1: 'https://u:p@logs.example.net/x' }).diagnostics).toEqual([]);
  });

  it('writes a valid app.yaml: secrets as from_env and variable references, a literal dollar-brace escaped', () => {
    const text = stringifyYaml(appYaml(imported));
    const parsed = parseConfig(text, 'app.yaml', { LOG_DRAIN_1: 'https://u:p@logs.example.net/x' });
    expect(parsed.diagnostics).toEqual([]);
    const environment = parsed.config?.environments['production'];
    expect(environment).toMatchObject({ app: 'shop', team: 'acme', maintenance: true, acm: false, stage: 'production' });
    expect(environment?.config).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal survives interpolation.
      PRICE_TEXT: { kind: 'literal', value: 'costs ${AMOUNT}', sensitive: false },
      API_TOKEN: { kind: 'from_env', variable: 'API_TOKEN', optional: false },
    });
    expect(environment?.logDrains).toEqual(['https://u:p@logs.example.net/x', 'syslog+tls://logs.example.net:514']);
    expect(parsed.config?.pipeline?.name).toBe('shop-pipe');
  });

  it('puts comment lines first', () => {
    expect(stringifyYaml({ a: 1 }, ['one', 'two'])).toBe('# one\n# two\na: 1\n');
  });

  it('names secret drains LOG_DRAIN_1, _2… in the order of their URLs, whatever order the drains were read in', () => {
    const drain = (url: string) => ({ attributes: { url } }) as unknown as Resource;
    const urls = ['syslog+tls://logs.example.net:514', 'https://u:p@b.example.net/x', 'https://u:p@a.example.net/x', 'udp://old.example.net:1'];
    for (const order of [urls, [...urls].reverse()]) {
      const variables: string[] = [];
      const notes: string[] = [];
      expect(importDrains(order.map(drain), variables, notes)).toEqual([
        { variable: 'LOG_DRAIN_1' },
        { variable: 'LOG_DRAIN_2' },
        { url: 'syslog+tls://logs.example.net:514' },
      ]);
      expect(variables).toEqual(['LOG_DRAIN_1', 'LOG_DRAIN_2']);
      expect(notes).toEqual([expect.stringContaining('a udp log drain to old.example.net:1 is left unmanaged')]);
    }
  });
});
