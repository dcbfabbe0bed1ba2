import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../../src/providers/heroku/api-types.js';
import { type AppRead, readApps } from '../../../src/providers/heroku/read-apps.js';
import { APP_ID, apiAddon, apiApp, serveApp, serveList, servePages } from './fixtures.js';
import { client, NONE, NOTHING, OWN_KINDS } from './read-apps-support.js';
import { FakeHeroku } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const COUPLED = { ...NONE, coupling: true };


/** The app's own kinds, answered empty (or 404 when it does not exist). */
function serveOwnKinds(fake: FakeHeroku, app: string, exists = true): void {
  serveApp(fake, app, Object.fromEntries(OWN_KINDS.map((k) => [k, exists ? (k === '/config-vars' ? {} : []) : undefined])));
}

/** `count` apps of someone else, sorted after nothing in particular: a page's filler. */
function strangers(count: number, from = 0): ApiApp[] {
  return Array.from({ length: count }, (_, i) => apiApp(`stranger-${from + i}`, { id: `stranger-${from + i}` }));
}

describe('readApps', () => {
  it('reads a single app per app: the app, its add-ons and its coupling, no listing', async () => {
    const fake = new FakeHeroku();
    serveOwnKinds(fake, 'solo');
    serveApp(fake, 'solo', {
      '': apiApp('solo'),
      '/addons': [apiAddon('a1', 'db-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'])],
      '/pipeline-couplings': undefined,
    });
    const [raw] = await readApps(client(), [{ appName: 'solo', reads: COUPLED }]);
    fake.done();
    expect(fake.requests.map((r) => r.path).sort()).toEqual(
      ['', '/addons', '/pipeline-couplings', ...OWN_KINDS].map((k) => `/apps/solo${k}`).sort(),
    );
    expect(raw?.app?.name).toBe('solo');
    expect(raw?.addons?.map((a) => a.name)).toEqual(['db-1']);
    expect(raw?.coupling).toBeUndefined();
  });

  it('groups the listed add-ons and couplings by app id, and a name the complete listing lacks is an app that does not exist', async () => {
    const fake = new FakeHeroku();
    serveOwnKinds(fake, 'ours');
    serveOwnKinds(fake, 'gone', false);
    serveList(fake, '/apps', [...strangers(3), apiApp('ours')]);
    serveList(fake, '/addons', [
      { ...apiAddon('a1', 'db-ours', 'heroku-postgresql:essential-0', ['DATABASE_URL']), app: { id: APP_ID } },
      { ...apiAddon('a2', 'db-stranger', 'heroku-postgresql:essential-0', ['DATABASE_URL']), app: { id: 'stranger-0' } },
    ]);
    serveList(fake, '/pipeline-couplings', [
      { id: 'c0', app: { id: 'stranger-1' }, pipeline: { id: 'p' }, stage: 'production' },
      { id: 'c1', app: { id: APP_ID }, pipeline: { id: 'p' }, stage: 'staging' },
    ]);
    const targets: AppRead[] = [
      { appName: 'ours', reads: COUPLED },
      { appName: 'gone', reads: COUPLED },
    ];
    const [ours, gone] = await readApps(client(), targets);
    fake.done();
    expect(ours?.addons?.map((a) => a.name)).toEqual(['db-ours']);
    expect(ours?.coupling?.id).toBe('c1');
    expect(gone).toEqual(NOTHING);
    expect(fake.requests.filter((r) => !r.path.startsWith('/apps/')).map((r) => r.path).sort()).toEqual([
      '/addons',
      '/apps',
      '/pipeline-couplings',
    ]);
  });

  it('follows the next page while it costs less than the per-app reads still open, then reads the rest per app', async () => {
    const fake = new FakeHeroku();
    for (const name of ['a-app', 'b-app', 'c-app']) serveOwnKinds(fake, name, name !== 'c-app');
    // Page 1 holds none of the three (3 open > 1 page spent: page 2); page 2 holds a-app
    // (2 open = 2 pages spent: stop); b-app is read on its own, c-app is absent.
    servePages(fake, '/apps', [strangers(2), [...strangers(2, 2), apiApp('a-app', { id: 'id-a' })], strangers(1, 9)]);
    serveApp(fake, 'b-app', { '': apiApp('b-app', { id: 'id-b' }) });
    serveApp(fake, 'c-app', { '': undefined });
    // The add-ons are open for every named app (3): pages 1–3 are cheaper; the 3rd is the last.
    const addon = (id: string, app: string) => ({ ...apiAddon(id, `db-${id}`, 'heroku-postgresql:essential-0', []), app: { id: app } });
    servePages(fake, '/addons', [[addon('1', 'id-a')], [addon('2', 'stranger-0')], [addon('3', 'id-b')]]);
    const targets = ['a-app', 'b-app', 'c-app'].map((appName) => ({ appName, reads: NONE }));
    const [a, b, c] = await readApps(client(), targets);
    fake.done();
    // Each page asks for the range the previous one named, 1,000 to a page from the first.
    expect(fake.requests.filter((r) => r.path === '/apps').map((r) => r.range)).toEqual(['id ..; max=1000', 'id ]page-1..; max=1000']);
    expect(fake.requests.filter((r) => r.path === '/addons').length).toBe(3);
    expect([a?.app?.id, b?.app?.id, c?.app]).toEqual(['id-a', 'id-b', undefined]);
    expect([a?.addons?.map((x) => x.id), b?.addons?.map((x) => x.id)]).toEqual([['1'], ['3']]);
    nock.cleanAll();
  });

  it('gives a listing up for per-app reads once its pages cost as much as they would', async () => {
    const fake = new FakeHeroku();
    for (const name of ['a-app', 'b-app']) serveOwnKinds(fake, name);
    serveList(fake, '/apps', [apiApp('a-app', { id: 'id-a' }), apiApp('b-app', { id: 'id-b' })]);
    const addon = (id: string, app: string) => ({ ...apiAddon(id, `db-${id}`, 'heroku-postgresql:essential-0', []), app: { id: app } });
    // Two pages spent for two apps, and still more: their add-ons are read app by app instead.
    servePages(fake, '/addons', [[addon('1', 'id-a')], [addon('2', 'stranger')], [addon('3', 'id-b')]]);
    serveApp(fake, 'a-app', { '/addons': [addon('1', 'id-a')] });
    serveApp(fake, 'b-app', { '/addons': [addon('3', 'id-b'), addon('4', 'id-b')] });
    const [a, b] = await readApps(client(), ['a-app', 'b-app'].map((appName) => ({ appName, reads: NONE })));
    fake.done();
    expect(fake.requests.filter((r) => r.path === '/addons').length).toBe(2);
    expect([a?.addons?.map((x) => x.id), b?.addons?.map((x) => x.id)]).toEqual([['1'], ['3', '4']]);
    nock.cleanAll();
  });
});
