import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { compareChanges, executionLevels } from '../../../src/engine/order.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { InternalError } from '../../../src/runtime/errors.js';
import { addon, addresses, aResource, app, dns, shuffled } from './builders.js';

const create = (resource: Resource): Change => diffResource(resource, undefined) as Change;
const remove = (resource: Resource): Change => diffResource(undefined, resource) as Change;
const update = (resource: Resource): Change =>
  diffResource(
    { ...resource, attributes: { ...resource.attributes, changed: 'after' } },
    { ...resource, attributes: { ...resource.attributes, changed: 'before' } },
  ) as Change;

const levelAddresses = (levels: Change[][]): string[][] => levels.map(addresses);

describe('executionLevels', () => {
  const appS = app('staging');
  const db = addon('staging', 'db', { plan: 'p' }, { dependsOn: [appS.address] });
  const domain = aResource('heroku.domain', 'staging', 'www.daffeinated.com', {}, { dependsOn: [appS.address] });
  const record = dns('daffeinated.com', 'CNAME', 'www', 'x', {
    dependsOn: [domain.address, 'heroku.app[not-in-plan]'],
  });

  it('puts every change after the changes it depends on; unknown dependencies put no constraint', () => {
    const levels = executionLevels([create(record), create(domain), create(db), create(appS)]);
    expect(levelAddresses(levels)).toEqual([[appS.address], [db.address, domain.address], [record.address]]);
  });

  it('sorts a level by action order, then address', () => {
    const levels = executionLevels([update(app('b')), create(app('c')), create(app('a')), update(app('a2'))]);
    expect(levelAddresses(levels)).toEqual([['heroku.app[a]', 'heroku.app[c]', 'heroku.app[a2]', 'heroku.app[b]']]);
  });

  it('runs deletes after everything else, in reverse dependency order', () => {
    const oldApp = app('old');
    const oldAddon = addon('old', 'db', { plan: 'p' }, { dependsOn: [oldApp.address] });
    const levels = executionLevels([remove(oldApp), remove(oldAddon), create(appS), update(db)]);
    expect(levelAddresses(levels)).toEqual([[appS.address], [db.address], [oldAddon.address], [oldApp.address]]);
  });

  it('ignores dependencies across phases (a delete never waits for a create, and the other way round)', () => {
    const gone = app('gone');
    const next = app('next', {}, { dependsOn: [gone.address] });
    const levels = executionLevels([remove({ ...gone, dependsOn: [next.address] }), create(next)]);
    expect(levelAddresses(levels)).toEqual([[next.address], [gone.address]]);
  });

  it('treats repeated dependencies as one', () => {
    const child = addon('staging', 'x', {}, { dependsOn: [appS.address, appS.address] });
    expect(levelAddresses(executionLevels([create(child), create(appS)]))).toEqual([[appS.address], [child.address]]);
  });

  it('gives the same levels for any input order', () => {
    const changes = [create(record), create(domain), create(db), create(appS), update(app('x')), remove(app('y'))];
    const expected = executionLevels(changes);
    for (let seed = 1; seed <= 20; seed++) expect(executionLevels(shuffled(changes, seed))).toEqual(expected);
  });

  it('returns no levels for no changes', () => {
    expect(executionLevels([])).toEqual([]);
  });

  it('reports a dependency cycle as an InternalError naming its addresses', () => {
    const a = app('a', {}, { dependsOn: ['heroku.app[b]'] });
    const b = app('b', {}, { dependsOn: ['heroku.app[c]'] });
    const c = app('c', {}, { dependsOn: ['heroku.app[a]'] });
    const downstream = app('d', {}, { dependsOn: ['heroku.app[a]'] });
    const run = () => executionLevels([create(downstream), create(c), create(b), create(a)]);
    expect(run).toThrow(InternalError);
    expect(run).toThrow(
      'dependency cycle between changes: heroku.app[a] → heroku.app[b] → heroku.app[c] → heroku.app[a]',
    );
  });

  it('reports a cycle that a walk reaches only after leaving its start', () => {
    const start = app('a', {}, { dependsOn: ['heroku.app[b]'] });
    const b = app('b', {}, { dependsOn: ['heroku.app[c]'] });
    const c = app('c', {}, { dependsOn: ['heroku.app[b]'] });
    expect(() => executionLevels([create(start), create(b), create(c)])).toThrow(
      'dependency cycle between changes: heroku.app[b] → heroku.app[c] → heroku.app[b]',
    );
  });

  it('reports a cycle among deletes and a resource depending on itself', () => {
    const a = app('a', {}, { dependsOn: ['heroku.app[b]'] });
    const b = app('b', {}, { dependsOn: ['heroku.app[a]'] });
    expect(() => executionLevels([remove(a), remove(b)])).toThrow(
      /dependency cycle.*heroku\.app\[a\].*heroku\.app\[b\]/,
    );
    const self = app('self', {}, { dependsOn: ['heroku.app[self]'] });
    expect(() => executionLevels([create(self)])).toThrow(
      'dependency cycle between changes: heroku.app[self] → heroku.app[self]',
    );
  });

  it('rejects two changes at one address', () => {
    expect(() => executionLevels([create(appS), update(appS)])).toThrow(
      /two changes have the address heroku\.app\[staging\]/,
    );
  });

  it('rejects an action it does not know', () => {
    const bogus = { ...create(appS), action: 'frobnicate' } as unknown as Change;
    expect(() => executionLevels([bogus])).toThrow(/unexpected change action/);
  });
});

describe('compareChanges', () => {
  it('orders by action first, then address', () => {
    expect(compareChanges(create(app('z')), update(app('a')))).toBeLessThan(0);
    expect(compareChanges(update(app('a')), update(app('b')))).toBeLessThan(0);
    expect(compareChanges(update(app('a')), update(app('a')))).toBe(0);
  });
});
