import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import { assertSafe, checkSafety, type SafetyInput } from '../../../src/engine/safety.js';
import { type Change, type KindPolicies, prunesKey } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { CLOUDFLARE_KINDS } from '../../../src/providers/cloudflare/kinds.js';
import { HEROKU_KINDS } from '../../../src/providers/heroku/kinds.js';
import { ExitCode, InternalError, UnsafePlanError } from '../../../src/runtime/errors.js';
import { addon, aResource, app, desiredState, dns, liveState } from './builders.js';

const KEY = 'k';
const NO_FLAGS = { allowDestroy: [], force: false };
/** The providers' own policies: the refusals below are theirs. */
const KINDS = { ...HEROKU_KINDS, ...CLOUDFLARE_KINDS };
const ZONE = 'daffeinated.com';

const plan = (desired: Resource[], live: Resource[], prune: string[] = []): SafetyInput =>
  buildPlan(desiredState(desired, prune), liveState(live), [], { digestKey: KEY });

/** A zone with `total` live records of which `changed` are updated (content differs). */
function zone(total: number, changed: number, zoneName = ZONE): { desired: Resource[]; live: Resource[] } {
  const live = Array.from({ length: total }, (_, i) => dns(zoneName, 'A', `host${i}`, '192.0.2.1'));
  const desired = live.map((record, i) =>
    i < changed ? { ...record, attributes: { ...record.attributes, content: '192.0.2.2' } } : record,
  );
  return { desired, live };
}

describe('checkSafety: protected resources', () => {
  const liveDb = addon('production', 'database', { plan: 'heroku-postgresql:standard-0' }, { protect: true });
  const pruneAddons = [prunesKey('heroku.addon', 'production')];

  it('refuses deleting a protected live add-on, naming it and the data loss', () => {
    const report = checkSafety(plan([], [liveDb], pruneAddons), KINDS, NO_FLAGS);
    expect(report.refusals).toEqual([
      'deleting heroku.addon[production/database] destroys the add-on (heroku-postgresql:standard-0) and all its data',
    ]);
    expect(report.needsAllowDestroy).toEqual(['heroku.addon[production/database]']);
    expect(report.needsForce).toEqual([]);
  });

  it('allows it when --allow-destroy names the address', () => {
    const report = checkSafety(plan([], [liveDb], pruneAddons), KINDS, { allowDestroy: [liveDb.address], force: false });
    expect(report).toEqual({ refusals: [], needsAllowDestroy: [], needsForce: [] });
  });

  it('lifts protection only for the address it names, never for the others', () => {
    const liveCache = addon('production', 'cache', { plan: 'heroku-redis:premium-0' }, { protect: true });
    const report = checkSafety(plan([], [liveDb, liveCache], pruneAddons), KINDS, {
      allowDestroy: [liveDb.address],
      force: false,
    });
    expect(report.needsAllowDestroy).toEqual(['heroku.addon[production/cache]']);
    expect(report.refusals).toEqual([
      'deleting heroku.addon[production/cache] destroys the add-on (heroku-redis:premium-0) and all its data',
    ]);
    const unrelated = checkSafety(plan([], [liveDb], pruneAddons), KINDS, {
      allowDestroy: ['heroku.addon[staging/database]'],
      force: false,
    });
    expect(unrelated.needsAllowDestroy).toEqual([liveDb.address]);
  });

  it('is not lifted by --force', () => {
    expect(checkSafety(plan([], [liveDb], pruneAddons), KINDS, { allowDestroy: [], force: true }).refusals).toHaveLength(1);
  });

  it('refuses deleting a protected app, saying its add-ons and data go with it', () => {
    const report = checkSafety(
      plan([], [app('old', {}, { protect: true })], [prunesKey('heroku.app', 'old')]),
      KINDS,
      NO_FLAGS,
    );
    expect(report.refusals[0]).toMatch(
      /^deleting heroku\.app\[old\] destroys the app with its add-ons and all their data/,
    );
  });

  it('allows deleting an unprotected resource', () => {
    const unprotected = addon('production', 'logs', { plan: 'papertrail:choklad' });
    expect(checkSafety(plan([], [unprotected], pruneAddons), KINDS, NO_FLAGS).refusals).toEqual([]);
  });

  it('refuses replacing a resource protected on the desired side, naming what forces it', () => {
    const desired = app('production', { region: 'eu' }, { protect: true, replaceOn: ['region'] });
    const report = checkSafety(plan([desired], [app('production')]), KINDS, NO_FLAGS);
    expect(report.refusals).toEqual([
      'replacing heroku.app[production] (region cannot change in place) destroys the app with its add-ons and all their data, config vars, domains and releases',
    ]);
  });

  it('refuses replacing a resource protected only on the live side', () => {
    const desired = addon('production', 'database', { plan: 'x', service: 'heroku-redis' }, { replaceOn: ['service'] });
    const live = { ...liveDb, attributes: { plan: 'x', service: 'heroku-postgresql' } };
    expect(checkSafety(plan([desired], [live]), KINDS, NO_FLAGS).needsAllowDestroy).toEqual([liveDb.address]);
  });

  it('describes other protected kinds generically', () => {
    const drain = aResource(
      'heroku.drain',
      'production',
      'syslog',
      { url: 'syslog://a' },
      { protect: true, replaceOn: ['url'] },
    );
    const report = checkSafety(plan([{ ...drain, attributes: { url: 'syslog://b' } }], [drain]), KINDS, NO_FLAGS);
    expect(report.refusals).toEqual([
      'replacing heroku.drain[production/syslog] (url cannot change in place) destroys it (it is marked protect)',
    ]);
  });

  it('allows replacing an unprotected resource, and creating or updating protected ones', () => {
    const desired = [
      aResource('heroku.drain', 'p', 'd', { url: 'b' }, { replaceOn: ['url'] }),
      addon('p', 'db', { plan: 'standard-0' }, { protect: true }),
      addon('p', 'new', { plan: 'x' }, { protect: true }),
    ];
    const live = [
      aResource('heroku.drain', 'p', 'd', { url: 'a' }),
      addon('p', 'db', { plan: 'essential-0' }, { protect: true }),
    ];
    const input = plan(desired, live);
    expect(input.changes.map((c) => c.action).sort()).toEqual(['create', 'replace', 'update']);
    expect(checkSafety(input, KINDS, NO_FLAGS).refusals).toEqual([]);
  });

  it('lists every refusal with the addresses sorted', () => {
    const live = [addon('production', 'z', {}, { protect: true }), addon('production', 'a', {}, { protect: true })];
    expect(checkSafety(plan([], live, pruneAddons), KINDS, NO_FLAGS).needsAllowDestroy).toEqual([
      'heroku.addon[production/a]',
      'heroku.addon[production/z]',
    ]);
  });

  it('rejects an action it does not know', () => {
    const bogus = { action: 'frobnicate', address: 'x', kind: 'heroku.app' } as unknown as Change;
    expect(() => checkSafety({ changes: [bogus], liveCounts: {} }, KINDS, NO_FLAGS)).toThrow(/unexpected change action/);
  });
});

describe('checkSafety: DNS change threshold', () => {
  it('allows exactly 30% of a 10-record zone', () => {
    const { desired, live } = zone(10, 3);
    expect(checkSafety(plan(desired, live), KINDS, NO_FLAGS).refusals).toEqual([]);
  });

  it('refuses more than 30% of a 10-record zone, naming the zone and numbers', () => {
    const { desired, live } = zone(10, 4);
    const report = checkSafety(plan(desired, live), KINDS, NO_FLAGS);
    expect(report.refusals).toEqual([
      'zone daffeinated.com: 4 of its 10 DNS records would be updated, replaced or deleted (40%, more than the 30% allowed without --force)',
    ]);
    expect(report.needsForce).toEqual([ZONE]);
  });

  it('refuses just over 30% (31 of 100) and allows 30 of 100', () => {
    expect(checkSafety(plan(...pair(zone(100, 31))), KINDS, NO_FLAGS).needsForce).toEqual([ZONE]);
    expect(checkSafety(plan(...pair(zone(100, 30))), KINDS, NO_FLAGS).needsForce).toEqual([]);
  });

  it('never refuses in a zone of 9 records, even when all change', () => {
    expect(checkSafety(plan(...pair(zone(9, 9))), KINDS, NO_FLAGS).refusals).toEqual([]);
  });

  it('is lifted by --force', () => {
    expect(checkSafety(plan(...pair(zone(10, 10))), KINDS, { allowDestroy: [], force: true })).toEqual({
      refusals: [],
      needsAllowDestroy: [],
      needsForce: [],
    });
  });

  it('counts deletes and replaces, not creates, against live records', () => {
    const { live } = zone(10, 0);
    const desired = [
      ...live.slice(2),
      dns(ZONE, 'A', 'new1', '192.0.2.9'),
      dns(ZONE, 'A', 'new2', '192.0.2.9'),
      dns(ZONE, 'A', 'new3', '192.0.2.9'),
    ];
    const withReplace = desired.map((r, i) =>
      i === 0 ? { ...r, attributes: { ...r.attributes, content: 'x' }, replaceOn: ['content'] } : r,
    );
    const input = plan(withReplace, live, [prunesKey('cloudflare.dns', ZONE)]);
    expect(input.changes.map((c) => c.action).sort()).toEqual([
      'create',
      'create',
      'create',
      'delete',
      'delete',
      'replace',
    ]);
    expect(checkSafety(input, KINDS, NO_FLAGS).refusals).toEqual([]);
    const oneMore = withReplace.map((r, i) => (i === 1 ? { ...r, attributes: { ...r.attributes, content: 'y' } } : r));
    expect(checkSafety(plan(oneMore, live, [prunesKey('cloudflare.dns', ZONE)]), KINDS, NO_FLAGS).needsForce).toEqual([ZONE]);
  });

  it('checks each zone on its own, zones sorted', () => {
    const a = zone(10, 4, 'b.example');
    const b = zone(10, 5, 'a.example');
    const c = zone(10, 1, 'c.example');
    const report = checkSafety(
      plan([...a.desired, ...b.desired, ...c.desired], [...a.live, ...b.live, ...c.live]),
      KINDS,
      NO_FLAGS,
    );
    expect(report.needsForce).toEqual(['a.example', 'b.example']);
    expect(report.refusals.map((r) => r.split(':')[0])).toEqual(['zone a.example', 'zone b.example']);
  });

  it('ignores other kinds in a zone', () => {
    const settings = aResource('cloudflare.settings', ZONE, undefined, { ssl: 'strict' });
    const input = plan(
      [{ ...settings, attributes: { ssl: 'full' } }, ...zone(10, 0).desired],
      [settings, ...zone(10, 0).live],
    );
    expect(input.changes).toHaveLength(1);
    expect(checkSafety(input, KINDS, NO_FLAGS).refusals).toEqual([]);
  });

  it('treats a zone with DNS changes but no live count as a bug', () => {
    const input = plan(...pair(zone(10, 4)));
    expect(() => checkSafety({ changes: input.changes, liveCounts: {} }, KINDS, NO_FLAGS)).toThrow(InternalError);
    expect(() => checkSafety({ changes: input.changes, liveCounts: {} }, KINDS, NO_FLAGS)).toThrow(
      /no live DNS record count for zone daffeinated\.com/,
    );
  });
});

describe('checkSafety: the kinds\' policies', () => {
  it('applies no threshold to a kind without a policy', () => {
    expect(checkSafety(plan(...pair(zone(10, 10))), {}, NO_FLAGS).refusals).toEqual([]);
  });

  it('guards any kind a policy gives a threshold, in the policy\'s words', () => {
    const kinds: KindPolicies = {
      'heroku.domain': {
        changeThreshold: { percent: 50, minLive: 2, groupOf: (c) => c.scope, groupNoun: 'environment', resourceNoun: 'domain' },
      },
    };
    const live = ['a', 'b', 'c'].map((host) => aResource('heroku.domain', 'staging', `${host}.example`, { hostname: `${host}.example` }));
    const report = checkSafety(plan(live.slice(0, 1), live, [prunesKey('heroku.domain', 'staging')]), kinds, NO_FLAGS);
    expect(report.refusals).toEqual([
      'environment staging: 2 of its 3 domains would be updated, replaced or deleted (67%, more than the 50% allowed without --force)',
    ]);
    expect(report.needsForce).toEqual(['staging']);
  });

  it('says what a delete loses in the kind\'s own words', () => {
    const kinds: KindPolicies = { 'heroku.drain': { deleteLoses: (live) => `stops the logs going to ${String(live.attributes['url'])}` } };
    const drain = aResource('heroku.drain', 'p', 'd', { url: 'syslog://a' }, { protect: true });
    expect(checkSafety(plan([], [drain], [prunesKey('heroku.drain', 'p')]), kinds, NO_FLAGS).refusals).toEqual([
      'deleting heroku.drain[p/d] stops the logs going to syslog://a',
    ]);
  });
});

describe('assertSafe', () => {
  it('passes a safe plan', () => {
    expect(assertSafe(plan([app('a')], []), KINDS, NO_FLAGS)).toBeUndefined();
  });

  it('throws UnsafePlanError (exit 3) with every reason and a hint naming the flags', () => {
    const dnsZone = zone(10, 4);
    const liveDb = addon('production', 'database', {}, { protect: true });
    const input = plan(dnsZone.desired, [...dnsZone.live, liveDb], [prunesKey('heroku.addon', 'production')]);
    let error: unknown;
    try {
      assertSafe(input, KINDS, NO_FLAGS);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnsafePlanError);
    const unsafe = error as UnsafePlanError;
    expect(unsafe.exitCode).toBe(ExitCode.Refused);
    expect(unsafe.reasons).toHaveLength(2);
    expect(unsafe.message).toContain('heroku.addon[production/database]');
    expect(unsafe.hint).toBe(
      "Review the plan; if this is intended, run again with --allow-destroy 'heroku.addon[production/database]' --force.",
    );
  });

  it('names only --allow-destroy when only protection is hit', () => {
    const input = plan([], [addon('staging', 'cache', {}, { protect: true })], [prunesKey('heroku.addon', 'staging')]);
    expect(() => assertSafe(input, KINDS, NO_FLAGS)).toThrow(
      expect.objectContaining({
        hint: "Review the plan; if this is intended, run again with --allow-destroy 'heroku.addon[staging/cache]'.",
      }),
    );
  });

  it('names only --force when only the threshold is hit', () => {
    expect(() => assertSafe(plan(...pair(zone(10, 4))), KINDS, NO_FLAGS)).toThrow(
      expect.objectContaining({ hint: 'Review the plan; if this is intended, run again with --force.' }),
    );
  });
});

function pair(z: { desired: Resource[]; live: Resource[] }): [Resource[], Resource[]] {
  return [z.desired, z.live];
}
