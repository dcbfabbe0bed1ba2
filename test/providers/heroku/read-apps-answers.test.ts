import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiAddon, ApiApp } from '../../../src/providers/heroku/api-types.js';
import { type AppRead, readApps } from '../../../src/providers/heroku/read-apps.js';
import { apiAddon, apiApp, convergedStaging, serveApp, serveList, servePages } from './fixtures.js';
import { client, NONE, NOTHING, OWN_KINDS } from './read-apps-support.js';
import { FakeHeroku } from './support.js';

/**
 * What each read's answer becomes in the raw app (test/providers/heroku/read-apps.test.ts has how
 * the listings are paged): every part an app's reads answered, nothing of an app that does not
 * exist, and listings given up for per-app reads of just the apps that need them.
 */

afterEach(() => {
  nock.cleanAll();
});

const ALL = { buildpacks: true, features: true, coupling: true };


/** The app's own kinds answered as `convergedStaging` has them (so a test can tell them apart from nothing). */
function serveParts(fake: FakeHeroku, app: string): void {
  const parts = convergedStaging();
  serveApp(fake, app, Object.fromEntries(OWN_KINDS.map((k) => [k, parts[k]])));
}

const addon = (id: string, appId: string | undefined): ApiAddon => ({
  ...apiAddon(id, `db-${id}`, 'heroku-postgresql:essential-0', []),
  ...(appId === undefined ? {} : { app: { id: appId } }),
});
const coupling = (id: string, appId: string) => ({ id, app: { id: appId }, pipeline: { id: 'p' }, stage: 'staging' });
const strangers = (count: number, from: number): ApiApp[] =>
  Array.from({ length: count }, (_, i) => apiApp(`stranger-${from + i}`, { id: `stranger-${from + i}` }));

describe('readApps: what the answers become', () => {
  it('one app: every part read, the optional ones as asked, each answer where it belongs', async () => {
    const fake = new FakeHeroku();
    const parts = convergedStaging();
    serveApp(fake, 'demo-staging', parts);
    const [raw] = await readApps(client(), [{ appName: 'demo-staging', reads: ALL }]);
    fake.done();
    expect(raw).toEqual({
      app: parts[''],
      vars: parts['/config-vars'],
      formation: parts['/formation'],
      addons: parts['/addons'],
      buildpacks: parts['/buildpack-installations'],
      features: parts['/features'],
      domains: parts['/domains'],
      drains: parts['/log-drains'],
      coupling: parts['/pipeline-couplings'],
    });
  });

  it('an app that does not exist is nothing, whatever its other reads answered meanwhile', async () => {
    const fake = new FakeHeroku();
    serveParts(fake, 'vanishing');
    serveApp(fake, 'vanishing', { '': undefined, '/addons': [addon('a1', undefined)] });
    expect(await readApps(client(), [{ appName: 'vanishing', reads: NONE }])).toEqual([NOTHING]);
    fake.done();

    const wide = new FakeHeroku();
    serveParts(wide, 'vanishing');
    serveParts(wide, 'here');
    serveList(wide, '/apps', [apiApp('here', { id: 'id-here' })]);
    serveList(wide, '/addons', []);
    const [vanishing, here] = await readApps(
      client(),
      ['vanishing', 'here'].map((appName) => ({ appName, reads: NONE })),
    );
    wide.done();
    expect(vanishing).toEqual(NOTHING);
    expect(here?.vars).toEqual(convergedStaging()['/config-vars']);
  });

  it("account-wide: each app's parts, its add-ons (none is an empty list, several all kept)", async () => {
    const fake = new FakeHeroku();
    serveParts(fake, 'a-app');
    serveParts(fake, 'b-app');
    serveList(fake, '/apps', [apiApp('a-app', { id: 'id-a' }), apiApp('b-app', { id: 'id-b' })]);
    serveList(fake, '/addons', [addon('1', 'id-a'), addon('3', 'stranger'), addon('2', 'id-a')]);
    const [a, b] = await readApps(
      client(),
      ['a-app', 'b-app'].map((appName) => ({ appName, reads: NONE })),
    );
    fake.done();
    expect([a?.addons?.map((x) => x.id), b?.addons]).toEqual([['1', '2'], []]);
    expect([a?.formation, b?.domains, b?.drains]).toEqual([
      convergedStaging()['/formation'],
      convergedStaging()['/domains'],
      convergedStaging()['/log-drains'],
    ]);
  });

  it('stops paging the apps once the pages it cost reach the apps still unfound, and reads those per app', async () => {
    const fake = new FakeHeroku();
    for (const name of ['a-app', 'b-app', 'c-app']) serveParts(fake, name);
    // Page 1 holds two of the three: one still open, one page spent, so no page 2.
    servePages(fake, '/apps', [
      [apiApp('a-app', { id: 'id-a' }), ...strangers(2, 0), apiApp('b-app', { id: 'id-b' })],
      strangers(3, 2),
    ]);
    serveApp(fake, 'c-app', { '': apiApp('c-app', { id: 'id-c' }) });
    serveList(fake, '/addons', [addon('3', 'id-c')]);
    const apps = await readApps(
      client(),
      ['a-app', 'b-app', 'c-app'].map((appName) => ({ appName, reads: NONE })),
    );
    fake.done();
    expect(apps.map((raw) => raw.app?.id)).toEqual(['id-a', 'id-b', 'id-c']);
    expect(fake.requests.filter((r) => r.path === '/apps')).toHaveLength(1);
    expect(apps.map((raw) => raw.addons?.length)).toEqual([0, 0, 1]);
    nock.cleanAll();
  });

  it('gives up the couplings after as many pages as apps coupled, then reads the coupled apps that exist per app', async () => {
    const fake = new FakeHeroku();
    for (const name of ['a-app', 'b-app', 'c-app', 'gone']) serveParts(fake, name);
    serveList(fake, '/apps', [
      apiApp('a-app', { id: 'id-a' }),
      apiApp('b-app', { id: 'id-b' }),
      apiApp('c-app', { id: 'id-c' }),
    ]);
    serveList(fake, '/addons', []);
    // Three apps asked about (a, b, gone; c is not): three pages spent, a fourth is not worth it.
    // The coupled apps that exist (a, b) are then read per app; what the fourth page held is never seen.
    servePages(fake, '/pipeline-couplings', [
      [coupling('x', 'stranger')],
      [coupling('y', 'stranger')],
      [coupling('z', 'stranger')],
      [coupling('listed', 'id-a'), coupling('listed-b', 'id-b')],
    ]);
    serveApp(fake, 'a-app', { '/pipeline-couplings': coupling('c1', 'id-a') });
    serveApp(fake, 'b-app', { '/pipeline-couplings': undefined });
    const targets: AppRead[] = [
      { appName: 'a-app', reads: { ...NONE, coupling: true } },
      { appName: 'b-app', reads: { ...NONE, coupling: true } },
      { appName: 'c-app', reads: NONE },
      { appName: 'gone', reads: { ...NONE, coupling: true } },
    ];
    const [a, b, c, gone] = await readApps(client(), targets);
    fake.done();
    const couplingReads = fake.requests.filter((r) => r.path.endsWith('/pipeline-couplings')).map((r) => r.path);
    expect(couplingReads.sort()).toEqual([
      '/apps/a-app/pipeline-couplings',
      '/apps/b-app/pipeline-couplings',
      '/pipeline-couplings',
      '/pipeline-couplings',
      '/pipeline-couplings',
    ]);
    expect([a?.coupling?.id, b?.coupling, c?.coupling, gone]).toEqual(['c1', undefined, undefined, NOTHING]);
    nock.cleanAll();
  });

  it('add-ons given up are read per app for the apps that exist; an app whose add-ons answer 404 has none read', async () => {
    const fake = new FakeHeroku();
    for (const name of ['a-app', 'b-app', 'gone']) serveParts(fake, name);
    servePages(fake, '/apps', [[apiApp('a-app', { id: 'id-a' }), apiApp('b-app', { id: 'id-b' })]]);
    servePages(fake, '/addons', [
      [addon('1', 'id-a')],
      [addon('2', 'stranger')],
      [addon('3', 'id-b')],
      [addon('4', 'id-b')],
    ]);
    serveApp(fake, 'a-app', { '/addons': [addon('1', 'id-a')] });
    serveApp(fake, 'b-app', { '/addons': undefined });
    const [a, b, gone] = await readApps(
      client(),
      ['a-app', 'b-app', 'gone'].map((appName) => ({ appName, reads: NONE })),
    );
    fake.done();
    expect([a?.addons?.map((x) => x.id), b?.app?.id, b?.addons, gone]).toEqual([['1'], 'id-b', undefined, NOTHING]);
    nock.cleanAll();
  });
});
