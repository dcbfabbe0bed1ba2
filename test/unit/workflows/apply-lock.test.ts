import { describe, expect, it } from 'vitest';
import { sameChanges, sameFromNothing } from '../../../src/workflows/apply-lock.js';
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

  it('differ when a desired value behind a change moved, even one the diff does not show', () => {
    const moved = update(config({ NODE_ENV: 'production', SECRET: 'a' }, 'id-1'), config({ NODE_ENV: 'staging', SECRET: 'c' }));
    expect(sameChanges(shown, [moved, domain])).toBe(false);
  });

  it('differ when a change appeared or went away', () => {
    expect(sameChanges(shown, [shown[0] as Change])).toBe(false);
    expect(sameChanges([shown[0] as Change], [shown[0] as Change, domain])).toBe(false);
    expect(sameChanges(shown, [shown[0] as Change, shown[0] as Change])).toBe(false);
  });
});

describe('a new environment re-read once its app exists', () => {
  const resource = (kind: Resource['kind'], address: string, attributes: Resource['attributes'], liveId?: string): Resource => ({
    address,
    provider: 'heroku',
    kind,
    scope: 'staging',
    attributes,
    sensitive: [],
    ...(liveId === undefined ? {} : { liveId }),
  });
  const create = (after: Resource): Change => ({ action: 'create', address: after.address, provider: 'heroku', kind: after.kind, scope: 'staging', after, diffs: [] });
  const updateFrom = (before: Resource, after: Resource): Change => ({
    action: 'update',
    address: after.address,
    provider: 'heroku',
    kind: after.kind,
    scope: 'staging',
    before,
    after,
    diffs: Object.keys(after.attributes)
      .filter((attribute) => JSON.stringify(before.attributes[attribute]) !== JSON.stringify(after.attributes[attribute]))
      .map((attribute) => ({
      attribute,
      before: before.attributes[attribute],
      after: after.attributes[attribute],
      sensitive: false,
    })),
  });
  const app = resource('heroku.app', 'heroku.app[staging]', { name: 'shop-staging', acm: true });
  const config = resource('heroku.config', 'heroku.config[staging]', { NODE_ENV: 'production' });
  const buildpacks = resource('heroku.buildpacks', 'heroku.buildpacks[staging]', { buildpacks: ['heroku/nodejs'] });
  const feature = resource('heroku.feature', 'heroku.feature[staging/preboot]', { enabled: true });
  const addon = resource('heroku.addon', 'heroku.addon[staging/cache]', { service: 'heroku-redis', plan: 'heroku-redis:mini' });
  const shown = [create(app), create(config), create(buildpacks), create(feature), create(addon)];
  const empty = (r: Resource, attributes: Resource['attributes']) => ({ ...r, attributes, liveId: 'live-1' });

  it('the same, where creates became updates from nothing (absent, empty, off) and the app is done', () => {
    const fresh = [
      updateFrom(empty(config, {}), config),
      updateFrom(empty(buildpacks, { buildpacks: [] }), buildpacks),
      updateFrom(empty(feature, { enabled: false }), feature),
      create(addon),
    ];
    expect(sameFromNothing(shown, fresh)).toBe(true);
    expect(sameFromNothing(shown, [...fresh, updateFrom(empty(app, { name: 'shop-staging', acm: false }), app)])).toBe(true);
    expect(sameFromNothing(shown, [...fresh.slice(0, 3), updateFrom(empty(addon, { service: '', plan: null }), addon)])).toBe(true);
    expect(sameFromNothing(shown, [...fresh.slice(0, 3), updateFrom(empty(addon, { service: {}, plan: [] } as never), addon)])).toBe(true);
  });

  it('differs when another run made something of it: a change gone, or an update from a value', () => {
    expect(sameFromNothing(shown, [create(config), create(buildpacks), create(feature)])).toBe(false);
    expect(sameFromNothing(shown, [updateFrom(empty(config, { NODE_ENV: 'staging' }), config), create(buildpacks), create(feature), create(addon)])).toBe(false);
    expect(sameFromNothing(shown, [create(config), updateFrom(empty(buildpacks, { buildpacks: ['heroku/ruby'] }), buildpacks), create(feature), create(addon)])).toBe(false);
    expect(sameFromNothing(shown, [create(config), create(buildpacks), create(feature), updateFrom(empty(addon, { service: 'heroku-redis', plan: 'heroku-redis:premium-0' }), addon)])).toBe(false);
  });

  it('differs when a desired side moved, a change appeared, or a change is no create or update', () => {
    const other = { ...config, attributes: { NODE_ENV: 'staging' } };
    expect(sameFromNothing(shown, [create(other), create(buildpacks), create(feature), create(addon)])).toBe(false);
    const domain = resource('heroku.domain', 'heroku.domain[staging/x.example]', { hostname: 'x.example' });
    expect(sameFromNothing(shown, [create(config), create(buildpacks), create(feature), create(addon), create(domain)])).toBe(false);
    const deleted: Change = { action: 'delete', address: addon.address, provider: 'heroku', kind: addon.kind, scope: 'staging', before: addon, diffs: [] };
    expect(sameFromNothing(shown, [create(config), create(buildpacks), create(feature), deleted])).toBe(false);
    expect(sameFromNothing(shown, [create(config), create(buildpacks), create(feature), create(addon), updateFrom(empty(app, { acm: true }), { ...app, attributes: { name: 'other', acm: true } })])).toBe(false);
  });

  it('differs when any live value of an update was something, or a change is a replace', () => {
    const two = resource('heroku.config', 'heroku.config[staging]', { NODE_ENV: 'production', LOG_LEVEL: 'info' });
    const twoShown = [create(two)];
    expect(sameFromNothing(twoShown, [updateFrom(empty(two, { LOG_LEVEL: 'debug' }), two)])).toBe(false);
    expect(sameFromNothing(twoShown, [updateFrom(empty(two, {}), two)])).toBe(true);
    const formation = resource('heroku.formation', 'heroku.formation[staging/web]', { quantity: 2 });
    expect(sameFromNothing([create(formation)], [updateFrom(empty(formation, { quantity: 1 }), formation)])).toBe(false);
    const replaced: Change = { ...updateFrom(empty(addon, {}), addon), action: 'replace', because: ['service'] } as Change;
    expect(sameFromNothing([create(addon)], [replaced])).toBe(false);
  });

  it('a create of nothing but empty values may be gone: a new app already is that', () => {
    const none = resource('heroku.config', 'heroku.config[staging]', {});
    expect(sameFromNothing([create(app), create(none), create(addon)], [create(addon)])).toBe(true);
    expect(sameFromNothing([create(app), create(config), create(addon)], [create(addon)])).toBe(false);
  });
});

