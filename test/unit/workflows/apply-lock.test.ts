import { describe, expect, it } from 'vitest';
import { sameChanges } from '../../../src/workflows/apply-lock.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { Unknown } from '../../../src/model/value.js';

const config = (attributes: Resource['attributes'], liveId?: string): Resource => ({
  address: 'heroku.config[staging]',
  provider: 'heroku',
  kind: 'heroku.config',
  scope: 'staging',
  attributes,
  sensitive: ['SECRET'],
  ...(liveId === undefined ? {} : { liveId }),
});

const update = (before: Resource, after: Resource): Change => ({
  action: 'update',
  address: before.address,
  provider: 'heroku',
  kind: 'heroku.config',
  scope: 'staging',
  before,
  after,
  diffs: [{ attribute: 'NODE_ENV', before: before.attributes['NODE_ENV'], after: after.attributes['NODE_ENV'], sensitive: false }],
});

const domain: Change = {
  action: 'create',
  address: 'heroku.domain[staging/staging.daffeinated.com]',
  provider: 'heroku',
  kind: 'heroku.domain',
  scope: 'staging',
  after: { ...config({ hostname: 'staging.daffeinated.com', cname: new Unknown('known after apply') }), address: 'heroku.domain[staging/staging.daffeinated.com]', kind: 'heroku.domain' },
  diffs: [],
};

describe('the changes re-read under the apply lock', () => {
  const desired = config({ NODE_ENV: 'staging', SECRET: 'b' });
  const shown = [update(config({ NODE_ENV: 'production', SECRET: 'a' }, 'id-1'), desired), domain];

  it('are the same in any order, and whatever provider ids they carry', () => {
    expect(sameChanges(shown, [domain, update(config({ SECRET: 'a', NODE_ENV: 'production' }, 'id-2'), desired)])).toBe(true);
  });

  it('differ when a live value behind a change moved, even one the diff does not show', () => {
    expect(sameChanges(shown, [update(config({ NODE_ENV: 'production', SECRET: 'changed' }, 'id-1'), desired), domain])).toBe(false);
  });

  it('differ when a change appeared or went away', () => {
    expect(sameChanges(shown, [shown[0] as Change])).toBe(false);
    expect(sameChanges([shown[0] as Change], [shown[0] as Change, domain])).toBe(false);
    expect(sameChanges(shown, [shown[0] as Change, shown[0] as Change])).toBe(false);
  });
});
