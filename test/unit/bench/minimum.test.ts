import { describe, expect, it } from 'vitest';
import { compareCalls, minimumRequests } from '../../../bench/minimum.js';
import type { Address, Resource } from '../../../src/model/resource.js';
import type { RequestLogEntry } from '../../../src/sandbox/index.js';

// One environment with one app (apps `a` and `b`), no zone: the smallest apply the bench models.
const app = (scope: string, name: string): Resource => ({
  address: `heroku.app[${scope}]` as Address,
  provider: 'heroku',
  kind: 'heroku.app',
  scope,
  attributes: { name },
  sensitive: [],
});
const desired = [app('staging', 'a'), app('production', 'b')];
const OWN = ['config-vars', 'formation', 'domains', 'log-drains'];
const ownOf = (name: string) => OWN.map((k) => `/apps/${name}/${k}`);
/** A read of both apps: the account's listings of apps and add-ons, then each app's own kinds. */
const bothReads = ['/apps', '/addons', ...ownOf('a'), ...ownOf('b')];
/** A read of one app on its own: the app, its add-ons, its own kinds. */
const readsOf = (name: string) => [`/apps/${name}`, `/apps/${name}/addons`, ...ownOf(name)];

function log(requests: readonly (readonly [string, string])[]): RequestLogEntry[] {
  return requests.map(([method, path], i) => ({ seq: i + 1, method, path, status: 200, startedMs: i, durationMs: 0, api: 'heroku' }));
}

function applyOne(lockOn: readonly string[], extraReads: readonly string[] = []): RequestLogEntry[] {
  const plan = bothReads.map((p) => ['GET', p] as const);
  const lock = lockOn.flatMap((name) => [
    ['POST', `/apps/${name}/webhooks`] as const,
    ['GET', `/apps/${name}/webhooks`] as const,
    ['GET', `/apps/${name}/log-drains`] as const,
  ]);
  const reread = lockOn.flatMap((name) => readsOf(name).map((p) => ['GET', p] as const));
  const write = [['PATCH', '/apps/a/config-vars'] as const];
  // The confirmation re-reads the changed environment only (workflows/converge.ts applyAndConfirm).
  const confirm = readsOf('a').map((p) => ['GET', p] as const);
  return log([...plan, ...lock, ...reread, ...extraReads.map((p) => ['GET', p] as const), ...write, ...confirm]);
}

describe('bench minimum: two ratios', () => {
  it('counts the confirmation re-read (of the changed environment) in the design minimum only', () => {
    const expected = minimumRequests({ desired, scenario: 'apply-one', zoneRecords: 0, zonePlans: {}, changedApp: 'a' });
    const result = compareCalls(applyOne([]), expected, desired, 'apply-one');
    expect({ api: result.apiMinimum, design: result.minimum, made: result.made }).toEqual({ api: 11, design: 17, made: 17 });
    expect(result.apiRatio).toBeCloseTo(17 / 11);
    expect(result.ratio).toBe(1);
    expect(result.extras).toEqual([]);
  });
});

describe('bench extras: each repeated read has its own reason', () => {
  const expected = () => minimumRequests({ desired, scenario: 'apply-one', zoneRecords: 0, zonePlans: {}, changedApp: 'a' });

  it("names the locked environment's one re-read as the lock's", () => {
    const result = compareCalls(applyOne(['a']), expected(), desired, 'apply-one');
    const kinds = result.extras.map((e) => `${e.kind} ${e.request}`);
    expect(kinds.filter((k) => k.startsWith('avoidable'))).toEqual([]);
    expect(result.extras.filter((e) => e.reason.startsWith('apply lock (')).map((e) => e.request)).toEqual([
      'POST /apps/a/webhooks',
      'GET /apps/a/webhooks',
      'GET /apps/a/log-drains',
    ]);
    expect(result.extras.filter((e) => e.reason.includes('read once more under the lock')).map((e) => e.request)).toEqual(
      readsOf('a').map((p) => `GET ${p}`),
    );
  });

  it('shows a second repeat of a locked read, and a repeat of an unlocked app, as avoidable duplicates', () => {
    const result = compareCalls(applyOne(['a'], ['/apps/a/domains', '/apps/b/formation']), expected(), desired, 'apply-one');
    const avoidable = result.extras.filter((e) => e.kind === 'avoidable');
    // In log order: b's repeat comes first; a's domains are read a third time by the confirmation, after it.
    expect(avoidable.map((e) => e.request)).toEqual(['GET /apps/b/formation', 'GET /apps/a/domains']);
    expect(avoidable.every((e) => e.reason.startsWith('duplicate read'))).toBe(true);
    expect(avoidable[0]?.reason).toContain('not part of a locked environment');
    expect(avoidable[1]?.reason).toContain('this is repeat 2');
  });

  it('counts only answered reads as repeats: a 404 of a part of an app not there yet leaves the lock re-read the lock\'s', () => {
    const entries = applyOne(['a']);
    const first = entries[0] as RequestLogEntry;
    const missing: RequestLogEntry = { ...first, seq: 0, path: '/apps/a/domains', status: 404 };
    const result = compareCalls([missing, ...entries], expected(), desired, 'apply-one');
    expect(result.extras.filter((e) => e.kind === 'avoidable')).toEqual([]);
    expect(result.extras.filter((e) => e.request === 'GET /apps/a/domains').map((e) => e.reason.slice(0, 40))).toEqual([
      'part of an app that does not exist yet: ',
      'apply lock: what the plan changes read o',
    ]);
  });

  it("names a drift's read of each app's webhooks as the lock survey, not an unexplained request", () => {
    const expected = minimumRequests({ desired, scenario: 'drift', zoneRecords: 0, zonePlans: {} });
    const survey = log([...bothReads.map((p) => ['GET', p] as const), ['GET', '/apps/a/webhooks'], ['GET', '/apps/b/webhooks']]);
    const result = compareCalls(survey, expected, desired, 'drift');
    expect(result.extras.map((e) => [e.kind, e.request, e.reason.slice(0, 12)])).toEqual([
      ['trade-off', 'GET /apps/a/webhooks', 'lock survey '],
      ['trade-off', 'GET /apps/b/webhooks', 'lock survey '],
    ]);
  });

  it('shows a repeated read in an apply that took no lock as avoidable', () => {
    const result = compareCalls(applyOne([], ['/apps/a/domains']), expected(), desired, 'apply-one');
    expect(result.extras.map((e) => [e.kind, e.request])).toEqual([['avoidable', 'GET /apps/a/domains']]);
    expect(result.extras[0]?.reason).toContain('no lock was taken');
  });
});
