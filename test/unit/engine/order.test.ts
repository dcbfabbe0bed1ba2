import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { type BatchKeyOf, compareChanges, executionGroups, executionLevels } from '../../../src/engine/order.js';
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

describe('executionGroups', () => {
  const appS = app('staging');
  const domain = aResource('heroku.domain', 'staging', 'www.daffeinated.com', {}, { dependsOn: [appS.address] });
  const db = addon('staging', 'db', { plan: 'p' }, { dependsOn: [appS.address] });
  const mx = dns('daffeinated.com', 'MX', '@', 'mx1.mail.example');
  const cname = dns('daffeinated.com', 'CNAME', 'www', 'x', { dependsOn: [domain.address] });
  const byZone: BatchKeyOf = (change) => (change.kind === 'cloudflare.dns' ? change.scope : undefined);
  const shape = (groups: ReturnType<typeof executionGroups>) =>
    groups.map((g) => ({ phase: g.phase, changes: addresses(g.changes), after: g.after }));

  it('puts changes with one key together, waiting for every member’s dependencies outside the group', () => {
    const groups = executionGroups([create(cname), create(mx), create(db), create(domain), create(appS)], byZone);
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [db.address], after: [0] },
      { phase: 'forward', changes: [domain.address], after: [0] },
      { phase: 'forward', changes: [mx.address, cname.address], after: [2] },
    ]);
  });

  it('leaves every change alone without keys: one group per change, in plan order', () => {
    const changes = [create(cname), create(mx), create(domain), create(appS)];
    const groups = executionGroups(changes, () => undefined);
    expect(groups.map((g) => addresses(g.changes))).toEqual([[mx.address], [appS.address], [domain.address], [cname.address]]);
    expect(groups.map((g) => g.after)).toEqual([[], [], [1], [2]]);
  });

  it('never groups across phases or providers, and makes every delete group wait for every forward one', () => {
    const oldRecord = dns('daffeinated.com', 'A', 'old', '192.0.2.1');
    const oldApp = app('old');
    const oldAddon = addon('old', 'db', { plan: 'p' }, { dependsOn: [oldApp.address] });
    const everything = () => 'one';
    const groups = executionGroups(
      [remove(oldRecord), create(mx), create(appS), remove(oldApp), remove(oldAddon), create(domain)],
      everything,
    );
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [mx.address], after: [] },
      { phase: 'forward', changes: [appS.address, domain.address], after: [] },
      { phase: 'delete', changes: [oldRecord.address], after: [0, 1] },
      { phase: 'delete', changes: [oldAddon.address, oldApp.address], after: [0, 1] },
    ]);
  });

  it('puts a withDeletes key’s deletes in its forward group: an A record swapped for a CNAME goes in one call', () => {
    const oldA = dns('daffeinated.com', 'A', 'www', '192.0.2.1');
    const oldApp = app('old');
    const withDeletes: BatchKeyOf = (change) =>
      change.kind === 'cloudflare.dns' ? { key: change.scope, withDeletes: true } : undefined;
    const groups = executionGroups([remove(oldA), create(cname), create(domain), create(appS), remove(oldApp)], withDeletes);
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [domain.address], after: [0] },
      { phase: 'forward', changes: [cname.address, oldA.address], after: [1] },
      { phase: 'delete', changes: [oldApp.address], after: [0, 1, 2] },
    ]);
    // Deletes alone under such a key stay a delete group, after every forward one.
    expect(shape(executionGroups([remove(oldA), create(appS)], withDeletes))).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'delete', changes: [oldA.address], after: [0] },
    ]);
  });

  it('splits a group that would wait for itself, its lowest dependency level first', () => {
    // The domain needs the MX record, the CNAME needs the domain: one batch for both records would
    // wait for the domain, which waits for the batch.
    const needsMx = { ...domain, dependsOn: [appS.address, mx.address] };
    const groups = executionGroups([create(cname), create(mx), create(needsMx), create(appS)], byZone);
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [mx.address], after: [] },
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [needsMx.address], after: [0, 1] },
      { phase: 'forward', changes: [cname.address], after: [2] },
    ]);
  });

  it('splits groups that wait for each other through no member of their own', () => {
    // A = {a1, a2}, B = {b1, b2}; b1 needs a1 and a2 needs b2: A waits for B, B for A.
    const a1 = dns('a.example', 'TXT', 'a1', 'x');
    const b2 = dns('b.example', 'TXT', 'b2', 'x');
    const a2 = dns('a.example', 'TXT', 'a2', 'x', { dependsOn: [b2.address] });
    const b1 = dns('b.example', 'TXT', 'b1', 'x', { dependsOn: [a1.address] });
    const groups = executionGroups([create(a1), create(a2), create(b1), create(b2)], byZone);
    const order = groups.map((g) => addresses(g.changes));
    expect(order).toEqual([[a1.address], [b2.address, b1.address], [a2.address]]);
    expect(groups.map((g) => g.after)).toEqual([[], [0], [1]]);
  });

  it('lists prerequisites before each group and gives the same groups for any input order', () => {
    const changes = [create(cname), create(mx), create(db), create(domain), create(appS), remove(app('old'))];
    const expected = executionGroups(changes, byZone);
    for (const [index, group] of expected.entries()) for (const before of group.after) expect(before).toBeLessThan(index);
    for (let seed = 1; seed <= 20; seed++) expect(executionGroups(shuffled(changes, seed), byZone)).toEqual(expected);
  });

  it('throws what executionLevels throws, and gives no groups for no changes', () => {
    const a = app('a', {}, { dependsOn: ['heroku.app[b]'] });
    const b = app('b', {}, { dependsOn: ['heroku.app[a]'] });
    expect(() => executionGroups([create(a), create(b)], byZone)).toThrow(/dependency cycle/);
    expect(executionGroups([], byZone)).toEqual([]);
  });
});
