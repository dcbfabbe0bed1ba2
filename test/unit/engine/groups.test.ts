import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { executionGroups } from '../../../src/engine/groups.js';
import type { BatchKey, Change, Ordering } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { InternalError } from '../../../src/runtime/errors.js';
import { addon, addresses, aResource, app, dns, shuffled } from './builders.js';

const create = (resource: Resource): Change => diffResource(resource, undefined) as Change;
const remove = (resource: Resource): Change => diffResource(undefined, resource) as Change;

type KeyOf = (change: Change) => BatchKey | undefined;

/** The ordering that gives each change the key `keyOf` picks. */
const keyed = (changes: readonly Change[], keyOf: KeyOf): Ordering => ({
  batches: changes.flatMap((change) => {
    const key = keyOf(change);
    return key === undefined ? [] : [{ step: { address: change.address }, key }];
  }),
});
const groupsOf = (changes: readonly Change[], keyOf: KeyOf) => executionGroups(changes, keyed(changes, keyOf));
const shape = (groups: ReturnType<typeof executionGroups>) =>
  groups.map((g) => ({ phase: g.phase, ...(g.step === undefined ? {} : { step: g.step }), changes: addresses(g.changes), after: g.after }));

const appS = app('staging');
const domain = aResource('heroku.domain', 'staging', 'www.daffeinated.com', {}, { dependsOn: [appS.address] });
const db = addon('staging', 'db', { plan: 'p' }, { dependsOn: [appS.address] });
const mx = dns('daffeinated.com', 'MX', '@', 'mx1.mail.example');
const cname = dns('daffeinated.com', 'CNAME', 'www', 'x', { dependsOn: [domain.address] });
const byZone: KeyOf = (change) => (change.kind === 'cloudflare.dns' ? { key: change.scope, deletes: 'apart' } : undefined);

describe('executionGroups: batch keys', () => {
  it('puts changes with one key together, waiting for every member’s dependencies outside the group', () => {
    const groups = groupsOf([create(cname), create(mx), create(db), create(domain), create(appS)], byZone);
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [db.address], after: [0] },
      { phase: 'forward', changes: [domain.address], after: [0] },
      { phase: 'forward', changes: [mx.address, cname.address], after: [2] },
    ]);
  });

  it('leaves every change alone without keys: one group per change, in plan order', () => {
    const groups = executionGroups([create(cname), create(mx), create(domain), create(appS)]);
    expect(groups.map((g) => addresses(g.changes))).toEqual([[mx.address], [appS.address], [domain.address], [cname.address]]);
    expect(groups.map((g) => g.after)).toEqual([[], [], [1], [2]]);
  });

  it('never groups across phases or providers under an `apart` key, and makes every delete group wait for every forward one', () => {
    const oldRecord = dns('daffeinated.com', 'A', 'old', '192.0.2.1');
    const oldApp = app('old');
    const oldAddon = addon('old', 'db', { plan: 'p' }, { dependsOn: [oldApp.address] });
    const groups = groupsOf(
      [remove(oldRecord), create(mx), create(appS), remove(oldApp), remove(oldAddon), create(domain)],
      () => ({ key: 'one', deletes: 'apart' }),
    );
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [mx.address], after: [] },
      { phase: 'forward', changes: [appS.address, domain.address], after: [] },
      { phase: 'delete', changes: [oldRecord.address], after: [0, 1] },
      { phase: 'delete', changes: [oldAddon.address, oldApp.address], after: [0, 1] },
    ]);
  });

  it('puts a `first` key’s deletes in its forward group: an A record swapped for a CNAME goes in one call', () => {
    const oldA = dns('daffeinated.com', 'A', 'www', '192.0.2.1');
    const oldApp = app('old');
    const first: KeyOf = (change) => (change.kind === 'cloudflare.dns' ? { key: change.scope, deletes: 'first' } : undefined);
    const groups = groupsOf([remove(oldA), create(cname), create(domain), create(appS), remove(oldApp)], first);
    expect(shape(groups)).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [domain.address], after: [0] },
      { phase: 'forward', changes: [cname.address, oldA.address], after: [1] },
      { phase: 'delete', changes: [oldApp.address], after: [0, 1, 2] },
    ]);
    // Deletes alone under such a key stay a delete group, after every forward one.
    expect(shape(groupsOf([remove(oldA), create(appS)], first))).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'delete', changes: [oldA.address], after: [0] },
    ]);
  });

  it('splits a group that would wait for itself, its lowest dependency level first', () => {
    // The domain needs the MX record, the CNAME needs the domain: one batch for both records would
    // wait for the domain, which waits for the batch.
    const needsMx = { ...domain, dependsOn: [appS.address, mx.address] };
    const groups = groupsOf([create(cname), create(mx), create(needsMx), create(appS)], byZone);
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
    const groups = groupsOf([create(a1), create(a2), create(b1), create(b2)], byZone);
    expect(groups.map((g) => addresses(g.changes))).toEqual([[a1.address], [b2.address, b1.address], [a2.address]]);
    expect(groups.map((g) => g.after)).toEqual([[], [0], [1]]);
  });

  it('lists prerequisites before each group and gives the same groups for any input order', () => {
    const changes = [create(cname), create(mx), create(db), create(domain), create(appS), remove(app('old'))];
    const expected = groupsOf(changes, byZone);
    for (const [index, group] of expected.entries()) for (const before of group.after) expect(before).toBeLessThan(index);
    for (let seed = 1; seed <= 20; seed++) expect(groupsOf(shuffled(changes, seed), byZone)).toEqual(expected);
  });

  it('throws what executionLevels throws, refuses a step with two keys, and gives no groups for no changes', () => {
    const a = app('a', {}, { dependsOn: ['heroku.app[b]'] });
    const b = app('b', {}, { dependsOn: ['heroku.app[a]'] });
    expect(() => groupsOf([create(a), create(b)], byZone)).toThrow(/dependency cycle/);
    const twice = { batches: [...(keyed([create(mx)], byZone).batches ?? []), ...(keyed([create(mx)], byZone).batches ?? [])] };
    expect(() => executionGroups([create(mx)], twice)).toThrow(InternalError);
    expect(groupsOf([], byZone)).toEqual([]);
  });
});

describe('executionGroups: declared edges', () => {
  // An environment's deletes as a provider may need them: scale down, uncouple, then the rest, then the app.
  const live = { dependsOn: [appS.address] };
  const formation = aResource('heroku.formation', 'staging', 'web', { quantity: 1 });
  const coupling = aResource('heroku.coupling', 'staging', undefined, { stage: 'staging' }, live);
  const oldDomain = aResource('heroku.domain', 'staging', 'old.daffeinated.com', {}, live);
  const edge = (before: Resource, after: Resource) => ({ before: { address: before.address }, after: { address: after.address } });

  it('orders deletes by edges as declared (never reversed), on top of the reverse of `dependsOn`', () => {
    const changes = [remove(appS), remove(oldDomain), remove(coupling), remove(formation)];
    expect(shape(executionGroups(changes)).map((g) => g.changes)).toEqual([
      [coupling.address],
      [oldDomain.address],
      [formation.address],
      [appS.address],
    ]);
    const groups = executionGroups(changes, { edges: [edge(formation, coupling), edge(coupling, oldDomain), edge(mx, appS)] });
    expect(shape(groups)).toEqual([
      { phase: 'delete', changes: [formation.address], after: [] },
      { phase: 'delete', changes: [coupling.address], after: [0] },
      { phase: 'delete', changes: [oldDomain.address], after: [1] },
      { phase: 'delete', changes: [appS.address], after: [1, 2] },
    ]);
  });

  it('refuses an edge from a delete to a forward change, and a cycle through edges', () => {
    expect(() => executionGroups([remove(oldDomain), create(db)], { edges: [edge(oldDomain, db)] })).toThrow(
      'heroku.domain[staging/old.daffeinated.com] is a delete, which cannot run before heroku.addon[staging/db]',
    );
    expect(() => executionGroups([create(appS), create(db)], { edges: [edge(db, appS)] })).toThrow(
      'dependency cycle between changes: heroku.addon[staging/db] → heroku.app[staging] → heroku.addon[staging/db]',
    );
  });
});

describe('executionGroups: changes applied in steps', () => {
  it('runs each later step after the one before; `dependsOn` names the first step', () => {
    const steps = { steps: [{ address: appS.address, later: ['second', 'third'] }] };
    expect(shape(executionGroups([create(db), create(appS)], steps))).toEqual([
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [db.address], after: [0] },
      { phase: 'forward', step: 'second', changes: [appS.address], after: [0] },
      { phase: 'forward', step: 'third', changes: [appS.address], after: [2] },
    ]);
  });

  it('refuses an edge to a step its change does not have, or steps declared twice; ignores changes the plan lacks', () => {
    const toStep = { edges: [{ before: { address: db.address }, after: { address: appS.address, step: 'proxied' } }] };
    expect(() => executionGroups([create(db), create(appS)], toStep)).toThrow(
      'an edge names the step proxied of heroku.app[staging], which has no such step',
    );
    expect(executionGroups([create(db)], toStep).map((g) => addresses(g.changes))).toEqual([[db.address]]);
    const twice = { steps: [{ address: appS.address, later: ['a'] }, { address: appS.address, later: ['b'] }] };
    expect(() => executionGroups([create(appS)], twice)).toThrow('the later steps of heroku.app[staging] are declared twice');
  });

  it('names the steps on a cycle through them', () => {
    const ordering: Ordering = {
      steps: [{ address: appS.address, later: ['second'] }],
      edges: [{ before: { address: appS.address, step: 'second' }, after: { address: appS.address } }],
    };
    expect(() => executionGroups([create(appS)], ordering)).toThrow(
      'dependency cycle between changes: heroku.app[staging] (step second) → heroku.app[staging] → heroku.app[staging] (step second)',
    );
  });

  it('orders TLS across the two providers from declared edges: CNAME DNS-only, certificate issued, then proxied', () => {
    // Heroku: the domain is added (its DNS target known), later its ACM certificate is issued,
    // which needs the CNAME to resolve. Cloudflare: the CNAME is created DNS-only with the zone's
    // other records, later turned proxied, which needs the certificate.
    const record = dns('daffeinated.com', 'CNAME', 'www', 'x', { dependsOn: [domain.address] });
    const certificate = { address: domain.address, step: 'certificate' };
    const proxied = { address: record.address, step: 'proxied' };
    const zone: BatchKey = { key: 'dns daffeinated.com', deletes: 'first' };
    const heroku: Ordering = {
      steps: [{ address: domain.address, later: ['certificate'] }],
      edges: [{ before: { address: record.address }, after: certificate }],
    };
    const cloudflare: Ordering = {
      steps: [{ address: record.address, later: ['proxied'] }],
      edges: [{ before: certificate, after: proxied }],
      batches: [mx, record].map((r) => ({ step: { address: r.address }, key: zone })).concat([{ step: proxied, key: zone }]),
    };
    const both: Ordering = {
      steps: [...(heroku.steps ?? []), ...(cloudflare.steps ?? [])],
      edges: [...(heroku.edges ?? []), ...(cloudflare.edges ?? [])],
      batches: cloudflare.batches ?? [],
    };
    const changes = [create(record), create(mx), create(domain), create(appS)];
    const expected = [
      { phase: 'forward', changes: [appS.address], after: [] },
      { phase: 'forward', changes: [domain.address], after: [0] },
      { phase: 'forward', changes: [mx.address, record.address], after: [1] },
      { phase: 'forward', step: 'certificate', changes: [domain.address], after: [1, 2] },
      { phase: 'forward', step: 'proxied', changes: [record.address], after: [2, 3] },
    ];
    expect(shape(executionGroups(changes, both))).toEqual(expected);
    for (let seed = 1; seed <= 10; seed++) expect(shape(executionGroups(shuffled(changes, seed), both))).toEqual(expected);
  });
});
