import { describe, expect, it } from 'vitest';
import { buildPlan, countLive, executionLevels, planIsEmpty, summarize } from '../../../src/engine/plan.js';
import { serializePlan } from '../../../src/engine/planfile.js';
import { type Change, type DesiredState, type LiveState, prunesKey } from '../../../src/engine/types.js';
import { Unknown } from '../../../src/model/value.js';
import {
  addon,
  addresses,
  aResource,
  app,
  config,
  desiredState,
  dns,
  generatedSecret,
  liveState,
  shuffled,
} from './builders.js';

const KEY = 'test-digest-key';
const SECRET = 'sk_live_do-not-print-me';

function scenario(): { desired: DesiredState; live: LiveState } {
  const appS = app('staging', { stack: 'heroku-24' });
  const appP = app('production');
  const domain = aResource(
    'heroku.domain',
    'production',
    'www.daffeinated.com',
    { hostname: 'www.daffeinated.com' },
    {
      dependsOn: [appP.address],
    },
  );
  const target = new Unknown('DNS target', { ref: { address: domain.address, attribute: 'cname' } });
  const desired = desiredState(
    [
      appS,
      appP,
      config(
        'staging',
        { NODE_ENV: 'production', STRIPE_KEY: SECRET, SESSION_SECRET: generatedSecret() },
        {
          sensitive: ['STRIPE_KEY', 'SESSION_SECRET'],
          dependsOn: [appS.address],
        },
      ),
      addon(
        'staging',
        'database',
        { plan: 'heroku-postgresql:essential-0' },
        { dependsOn: [appS.address], protect: true },
      ),
      domain,
      dns('daffeinated.com', 'CNAME', 'www', target, { dependsOn: [domain.address] }),
      aResource('heroku.formation', 'staging', 'web', { quantity: 1, size: 'basic' }),
    ],
    [prunesKey('heroku.addon', 'staging')],
  );
  const live = liveState(
    [
      app('staging', { stack: 'heroku-22' }),
      config(
        'staging',
        { NODE_ENV: 'development', STRIPE_KEY: 'old', SESSION_SECRET: 'made-once', EXTRA: '1' },
        {
          sensitive: ['STRIPE_KEY', 'SESSION_SECRET'],
        },
      ),
      addon('staging', 'legacy', { plan: 'papertrail:choklad' }, { dependsOn: [appS.address] }),
      dns('daffeinated.com', 'MX', '@', 'mx1.mail.example'),
      dns('daffeinated.com', 'TXT', '@', 'v=spf1'),
    ],
    {
      deferred: [{ address: 'heroku.formation[staging/web]', reason: 'needs the first release' }],
      diagnostics: [
        { severity: 'warning', message: 'b: add-on-owned var declared', file: 'app.yaml', line: 9 },
        { severity: 'warning', message: 'a: something', file: 'app.yaml', line: 3 },
      ],
    },
  );
  return { desired, live };
}

describe('buildPlan', () => {
  it('orders changes by dependency level, then action, then address, with deletes last', () => {
    const { desired, live } = scenario();
    const plan = buildPlan(desired, live, ['staging', 'production', 'staging'], { digestKey: KEY });
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'create heroku.app[production]',
      'update heroku.app[staging]',
      'create heroku.addon[staging/database]',
      'create heroku.domain[production/www.daffeinated.com]',
      'update heroku.config[staging]',
      'create cloudflare.dns[daffeinated.com/CNAME/www]',
      'delete heroku.addon[staging/legacy]',
    ]);
    expect(plan.changes.map((c) => c.address)).toEqual(
      executionLevels(plan.changes)
        .flat()
        .map((c) => c.address),
    );
    expect(plan.formatVersion).toBe(1);
    expect(plan.scopes).toEqual(['production', 'staging']);
    expect(plan.summary).toEqual({ create: 4, update: 2, replace: 0, delete: 1 });
    expect(plan.deferred).toEqual([{ address: 'heroku.formation[staging/web]', reason: 'needs the first release' }]);
    expect(plan.unmanaged).toEqual([
      { address: 'cloudflare.dns[daffeinated.com/MX/@]', note: expect.any(String) },
      { address: 'cloudflare.dns[daffeinated.com/TXT/@]', note: expect.any(String) },
      { address: 'heroku.config[staging]', attribute: 'EXTRA', note: expect.any(String) },
    ]);
    expect(plan.diagnostics.map((d) => d.message)).toEqual(['a: something', 'b: add-on-owned var declared']);
    expect(plan.liveCounts).toEqual({
      'cloudflare.dns@daffeinated.com': 2,
      'heroku.addon@staging': 1,
      'heroku.app@staging': 1,
      'heroku.config@staging': 1,
    });
    expect(Object.keys(plan.liveCounts)).toEqual(Object.keys(plan.liveCounts).sort());
  });

  it('keeps the generated secret that exists live and updates only what differs', () => {
    const { desired, live } = scenario();
    const plan = buildPlan(desired, live, ['staging'], { digestKey: KEY });
    const configChange = plan.changes.find((c) => c.kind === 'heroku.config');
    expect(configChange?.diffs.map((d) => d.attribute)).toEqual(['NODE_ENV', 'STRIPE_KEY']);
  });

  it('is deterministic: shuffled inputs give an identical plan and plan file', () => {
    const { desired, live } = scenario();
    const reference = buildPlan(desired, live, ['staging', 'production'], { digestKey: KEY });
    for (let seed = 1; seed <= 25; seed++) {
      const plan = buildPlan(
        { resources: shuffled(desired.resources, seed), prune: shuffled(desired.prune, seed) },
        {
          resources: shuffled(live.resources, seed + 100),
          deferred: shuffled(live.deferred, seed),
          diagnostics: shuffled(live.diagnostics, seed + 7),
        },
        shuffled(['staging', 'production'], seed),
        { digestKey: KEY },
      );
      expect(plan).toEqual(reference);
      expect(serializePlan(plan)).toBe(serializePlan(reference));
    }
  });

  it('plans nothing when live already matches', () => {
    const resources = [app('staging'), config('staging', { A: '1' })];
    const plan = buildPlan(desiredState(resources), liveState(resources), ['staging'], { digestKey: KEY });
    expect(planIsEmpty(plan)).toBe(true);
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('carries digests of desired and live state', () => {
    const { desired, live } = scenario();
    const plan = buildPlan(desired, live, ['staging'], { digestKey: KEY });
    expect(plan.digests.desired).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.digests.live).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.digests.desired).not.toBe(plan.digests.live);
  });
});

describe('planIsEmpty', () => {
  it('is false when there is a change', () => {
    const plan = buildPlan(desiredState([app('s')]), liveState([]), ['s'], { digestKey: KEY });
    expect(planIsEmpty(plan)).toBe(false);
    expect(addresses(plan.changes)).toEqual(['heroku.app[s]']);
  });
});

describe('summarize', () => {
  it('counts each action and rejects an unknown one', () => {
    const plan = buildPlan(
      desiredState([app('a'), app('b', { region: 'eu' }, { replaceOn: ['region'] })]),
      liveState([app('b')]),
      [],
      {
        digestKey: KEY,
      },
    );
    expect(summarize(plan.changes)).toEqual({ create: 1, update: 0, replace: 1, delete: 0 });
    const bogus = { ...plan.changes[0], action: 'frobnicate' } as unknown as Change;
    expect(() => summarize([bogus])).toThrow(/unexpected change action/);
  });
});

describe('countLive', () => {
  it('counts live resources per kind@scope', () => {
    const live = liveState([dns('z.com', 'A', 'a', '1'), dns('z.com', 'A', 'b', '2'), dns('y.com', 'A', 'a', '1')]);
    expect(countLive(live)).toEqual({ 'cloudflare.dns@y.com': 1, 'cloudflare.dns@z.com': 2 });
  });
});

describe('live notes', () => {
  it('join the unmanaged list in order, never as changes, and leave the digests alone', () => {
    const desired = desiredState([app('staging')]);
    const live = liveState([app('staging'), aResource('heroku.domain', 'staging', 'old.example', { hostname: 'old.example' })]);
    const notes = [
      { address: 'heroku.config[staging]', attribute: 'DATABASE_URL', note: 'set by the add-on pg-1' },
      { address: 'heroku.domain[staging/old.example]', attribute: 'acm_status', note: 'certificate ok' },
    ];
    const plain = buildPlan(desired, live, ['staging'], { digestKey: KEY });
    const noted = buildPlan(desired, { ...live, notes }, ['staging'], { digestKey: KEY });
    expect(noted.changes).toEqual([]);
    expect(noted.unmanaged).toEqual([
      notes[0],
      { address: 'heroku.domain[staging/old.example]', note: expect.stringContaining('not declared') },
      notes[1],
    ]);
    expect(noted.digests).toEqual(plain.digests);
  });
});
