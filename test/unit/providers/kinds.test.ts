import { describe, expect, it } from 'vitest';
import { CLOUDFLARE_KINDS } from '../../../src/providers/cloudflare/kinds.js';
import { HEROKU_KINDS } from '../../../src/providers/heroku/kinds.js';
import { kindPolicies, type Provider } from '../../../src/providers/provider.js';

const provider = (id: Provider['id'], kinds?: Provider['kinds']): Provider => ({
  id,
  ...(kinds === undefined ? {} : { kinds }),
  read: () => Promise.reject(new Error('not read in this test')),
  apply: () => Promise.reject(new Error('not applied in this test')),
});

describe('kind policies', () => {
  it('each provider declares policies for its own kinds only', () => {
    expect(Object.keys(HEROKU_KINDS).every((kind) => kind.startsWith('heroku.'))).toBe(true);
    expect(Object.keys(CLOUDFLARE_KINDS).every((kind) => kind.startsWith('cloudflare.'))).toBe(true);
  });

  it('kindPolicies puts every provider\'s together; a provider without any adds none', () => {
    const merged = kindPolicies([provider('heroku', HEROKU_KINDS), provider('cloudflare', CLOUDFLARE_KINDS)]);
    expect(Object.keys(merged).sort()).toEqual(['cloudflare.dns', 'heroku.addon', 'heroku.app']);
    expect(kindPolicies([provider('heroku')])).toEqual({});
  });
});
