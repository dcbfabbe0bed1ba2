import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import type { DesiredState, LiveState } from '../../../src/engine/types.js';
import { makeAddress } from '../../../src/model/resource.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { readHeroku } from '../../../src/providers/heroku/read.js';
import {
  APP_ID,
  apiAddon,
  apiApp,
  apiDomain,
  apiDrain,
  convergedStaging,
  desired,
  serveApp,
  serveList,
  servePipeline,
  YAML,
} from './fixtures.js';
import { BASE, barrier, FakeHeroku, provider } from './support.js';
import { APP_READ_PATHS } from '../../helpers/heroku-reads.js';

afterEach(() => {
  nock.cleanAll();
});

/** Read only where app.yaml declares them (buildpacks, features, a stage), and always for import. */
const OPTIONAL = ['/buildpack-installations', '/features', '/pipeline-couplings'];
// production declares a stage and inherits the buildpacks, but no features.
const TWO_ENVIRONMENTS = `${YAML}
  production:
    app: demo-production
    stage: production
`;

/** The price lists a read starts for its plan's estimate (cost.ts `pricedAhead`). */
const PRICE_LIST = /^\/(dyno-sizes|addon-services\/[^/]+\/plans)$/;

/**
 * `provider().read`, then what `planNow` does with it: the estimate of the plan built from it
 * (unless the read found an error), which awaits the price lists the read started, so none is
 * still in flight when the test ends. The lists are served empty: these tests look at reads.
 */
async function readThenEstimate(fake: FakeHeroku, scopes: string[], state: DesiredState): Promise<LiveState> {
  // One list for every price-list path: the fixture's plans are in the catalogue, priced or not.
  const catalogue = ['heroku-postgresql:essential-0', 'heroku-redis:mini'].map((name) => ({ name, price: null }));
  fake.reply('GET', PRICE_LIST, 200, catalogue, 10);
  const heroku = provider();
  const live = await heroku.read({ scopes, desired: state.resources });
  if (!live.diagnostics.some((d) => d.severity === 'error'))
    await heroku.estimateCost(buildPlan(state, live, scopes, { digestKey: 'k' }).changes);
  return live;
}

/** The paths of the reads (not of the price lists) `fake` answered, sorted. */
function readPaths(fake: FakeHeroku): string[] {
  return fake.requests
    .map((r) => r.path)
    .filter((path) => !PRICE_LIST.test(path))
    .sort();
}

async function read(parts: Record<string, unknown>, text = YAML): Promise<LiveState> {
  const fake = new FakeHeroku();
  serveApp(fake, 'demo-staging', parts);
  servePipeline(fake, true);
  const live = await readThenEstimate(fake, ['staging'], desired(text));
  fake.done();
  return live;
}

describe('Heroku read', () => {
  it('reads two apps with the account-wide listings and each app its own kinds, all in flight at once, as one app alone would be read', async () => {
    const fake = new FakeHeroku();
    const own = (k: string) => !['', '/addons', '/pipeline-couplings'].includes(k);
    const staging = convergedStaging();
    const production = APP_READ_PATHS.filter((k) => own(k) && k !== '/features');
    const together = barrier(3 + APP_READ_PATHS.filter(own).length + production.length + 1);
    serveApp(fake, 'demo-staging', Object.fromEntries(Object.entries(staging).filter(([k]) => own(k))), together);
    serveApp(fake, 'demo-production', Object.fromEntries(production.map((k) => [k, undefined])), together);
    const billedTo = (addons: unknown) => (addons as object[]).map((a) => ({ ...a, app: { id: APP_ID } }));
    serveList(fake, '/apps', [staging[''], apiApp('someone-else', { id: 'other-app' })], together);
    serveList(fake, '/addons', [...billedTo(staging['/addons']), { ...apiAddon('x', 'other-db', 'heroku-postgresql:essential-0', []), app: { id: 'other-app' } }], together);
    serveList(fake, '/pipeline-couplings', [{ ...(staging['/pipeline-couplings'] as object) }], together);
    servePipeline(fake, true, together);
    const state = desired(TWO_ENVIRONMENTS, ['production', 'staging']);
    const live = await readThenEstimate(fake, ['production', 'staging'], state);
    fake.done();
    expect(readPaths(fake)).toEqual(
      [
        '/addons',
        '/apps',
        '/pipeline-couplings',
        ...production.map((k) => `/apps/demo-production${k}`),
        ...APP_READ_PATHS.filter(own).map((k) => `/apps/demo-staging${k}`),
        '/pipelines/demo-pipe',
      ].sort(),
    );
    // The same live state as staging read on its own, app by app; production does not exist.
    nock.cleanAll();
    const alone = await read(convergedStaging(), TWO_ENVIRONMENTS);
    expect(live.resources).toEqual(alone.resources);
    expect(live.notes).toEqual(alone.notes);
  });

  it('sends no features request for an environment that declares no features, and one where it does', async () => {
    const without = YAML.replace('    features: [http-session-affinity]\n', '');
    for (const [text, expected] of [
      [without, false],
      [YAML, true],
    ] as const) {
      const fake = new FakeHeroku();
      serveApp(fake, 'demo-staging', convergedStaging());
      servePipeline(fake, true);
      const live = await readThenEstimate(fake, ['staging'], desired(text));
      fake.done();
      expect(
        fake.requests.some((r) => r.path === '/apps/demo-staging/features'),
        text,
      ).toBe(expected);
      expect(live.resources.some((r) => r.kind === 'heroku.feature')).toBe(expected);
      nock.cleanAll();
    }
  });

  it('reads no buildpacks, features or coupling where app.yaml declares none of them', async () => {
    const text = YAML.replace('    features: [http-session-affinity]\n', '')
      .replace('buildpacks: [heroku/nodejs]\n', '')
      .replace('    stage: staging\n', '');
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', convergedStaging());
    servePipeline(fake, true);
    await readThenEstimate(fake, ['staging'], desired(text));
    fake.done();
    expect(readPaths(fake)).toEqual(
      [
        ...APP_READ_PATHS.filter((k) => !OPTIONAL.includes(k)).map((k) => `/apps/demo-staging${k}`),
        '/pipelines/demo-pipe',
      ].sort(),
    );
  });

  it('reads every kind for import (complete), though only the app is desired', async () => {
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', convergedStaging());
    const client = new HerokuClient({ baseUrl: BASE, token: 't', userAgent: 'test', sleep: async () => {} });
    const app = {
      address: makeAddress('heroku.app', 'import'),
      provider: 'heroku' as const,
      kind: 'heroku.app' as const,
      scope: 'import',
      attributes: { name: 'demo-staging' },
      sensitive: [],
    };
    const live = await readHeroku(client, { scopes: ['import'], desired: [app] }, { complete: true });
    fake.done();
    expect(fake.requests.map((r) => r.path).sort()).toEqual(APP_READ_PATHS.map((k) => `/apps/demo-staging${k}`).sort());
    const kinds = new Set(live.resources.map((r) => r.kind));
    for (const kind of ['heroku.feature', 'heroku.buildpacks', 'heroku.coupling'] as const)
      expect(kinds.has(kind), kind).toBe(true);
  });

  it('a live app that matches app.yaml plans no change, and says what it leaves alone', async () => {
    const live = await read(convergedStaging());
    const plan = buildPlan(desired(), live, ['staging'], { digestKey: 'k' });
    expect(plan.changes.map((c) => `${c.action} ${c.address} ${c.diffs.map((d) => d.attribute)}`)).toEqual([]);
    expect(plan.unmanaged).toEqual([
      {
        address: 'heroku.config[staging]',
        attribute: 'DATABASE_URL',
        note: 'set by the add-on postgresql-round-123 (heroku.addon[staging/database]); never diffed or written',
        expected: 'addon-var',
      },
      {
        address: 'heroku.config[staging]',
        attribute: 'REDIS_URL',
        note: 'set by the add-on redis-shiny-456 (heroku.addon[staging/cache]); never diffed or written',
        expected: 'addon-var',
      },
      {
        address: 'heroku.domain[staging/staging.demo.example]',
        attribute: 'acm_status',
        note: 'certificate issued (read-only status)',
        expected: 'certificate',
      },
    ]);
    // The DNS target is a live output for Cloudflare records, and the drain URL stays secret.
    expect(
      live.resources.find((r) => r.address === 'heroku.domain[staging/staging.demo.example]')?.attributes['cname'],
    ).toBe('staging-x1y2.herokudns.com');
    expect(live.resources.find((r) => r.kind === 'heroku.drain')?.sensitive).toEqual(['url']);
    expect(live.resources.find((r) => r.kind === 'heroku.coupling')?.attributes).toEqual({
      pipeline: 'demo-pipe',
      pipeline_id: expect.any(String),
      stage: 'staging',
    });
  });

  it('reports undeclared add-ons, domains and drains as unmanaged, by name, hostname and host~token', async () => {
    const parts = convergedStaging();
    parts['/addons'] = [...(parts['/addons'] as unknown[]), apiAddon('a3', 'scheduler-7', 'scheduler:standard', [])];
    parts['/domains'] = [...(parts['/domains'] as unknown[]), apiDomain('old.demo.example', { acm_status: null })];
    parts['/log-drains'] = [
      ...(parts['/log-drains'] as unknown[]),
      apiDrain('l3', 'https://user:secret@logs.other.example/x'),
    ];
    const plan = buildPlan(desired(), await read(parts), ['staging'], { digestKey: 'k' });
    expect(plan.changes).toEqual([]);
    const addresses = plan.unmanaged.filter((u) => u.attribute === undefined).map((u) => u.address);
    expect(addresses).toEqual([
      'heroku.addon[staging/scheduler-7]',
      'heroku.domain[staging/old.demo.example]',
      'heroku.drain[staging/logs.other.example~d.l3]',
    ]);
    expect(JSON.stringify(plan.unmanaged)).not.toContain('secret');
  });

  it('shows a plan change as an in-place update, and features, buildpacks, ACM and stage as updates', async () => {
    const parts = convergedStaging();
    parts[''] = { ...(parts[''] as object), acm: false };
    parts['/addons'] = [
      apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:mini', ['DATABASE_URL']),
      apiAddon('a2', 'redis-shiny-456', 'heroku-redis:mini', ['REDIS_URL']),
    ];
    parts['/features'] = [{ id: 'ft1', name: 'http-session-affinity', enabled: false }];
    parts['/buildpack-installations'] = [];
    parts['/pipeline-couplings'] = {
      id: 'c1',
      app: { id: 'x' },
      pipeline: { id: '22222222-2222-4222-8222-222222222222' },
      stage: 'development',
    };
    const plan = buildPlan(desired(), await read(parts), ['staging'], { digestKey: 'k' });
    expect(plan.changes.map((c) => `${c.action} ${c.address} ${c.diffs.map((d) => d.attribute).join(',')}`)).toEqual([
      'update heroku.app[staging] acm',
      'update heroku.addon[staging/database] plan',
      'update heroku.buildpacks[staging] buildpacks',
      'update heroku.feature[staging/http-session-affinity] enabled',
      'update heroku.coupling[staging] stage',
    ]);
  });

  it('matches add-ons by attachment name, then by name, then by the only one of a service', async () => {
    const text = YAML.replace(
      'cache: { plan: "heroku-redis:mini" }',
      'cache: { plan: "heroku-redis:mini", name: redis-named }',
    );
    const parts = convergedStaging();
    parts['/addons'] = [
      apiAddon('a0', 'postgresql-follower-9', 'heroku-postgresql:essential-0', ['HEROKU_POSTGRESQL_BLUE_URL']),
      apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:essential-0', ['DATABASE_URL']),
      apiAddon('a2', 'redis-named', 'heroku-redis:mini', ['HEROKU_REDIS_PINK_URL']),
    ];
    const live = await read(parts, text);
    const addons = live.resources
      .filter((r) => r.kind === 'heroku.addon')
      .map((r) => [r.address, r.liveId, r.attributes]);
    expect(addons).toEqual([
      [
        'heroku.addon[staging/postgresql-follower-9]',
        'a0',
        {
          service: 'heroku-postgresql',
          plan: 'heroku-postgresql:essential-0',
          name: 'postgresql-follower-9',
          as: 'HEROKU_POSTGRESQL_BLUE',
        },
      ],
      [
        'heroku.addon[staging/database]',
        'a1',
        { service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' },
      ],
      [
        'heroku.addon[staging/cache]',
        'a2',
        { service: 'heroku-redis', plan: 'heroku-redis:mini', name: 'redis-named' },
      ],
    ]);
    expect(live.resources.find((r) => r.liveId === 'a1')?.protect).toBe(true);
  });

  it('refuses to guess between two live add-ons of one service', async () => {
    const parts = convergedStaging();
    parts['/addons'] = [
      apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:essential-0', ['DATABASE_URL']),
      apiAddon('a2', 'redis-one', 'heroku-redis:mini', ['REDIS_URL']),
      apiAddon('a3', 'redis-two', 'heroku-redis:mini', ['HEROKU_REDIS_PINK_URL']),
    ];
    const live = await read(parts);
    expect(live.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message:
          'heroku.addon[staging/cache]: 2 live heroku-redis add-ons (redis-one, redis-two) could be it; daffeinated will not guess which',
        hint:
          'adopt one by declaring `name: redis-one` on staging\'s add-on cache (or `as:`, its attachment name, e.g. DATABASE); the other is then unmanaged and left alone. ' +
          "To delete it (check first which one holds your data), set `prune: { addons: true }` on staging and run `daffeinated apply staging --allow-destroy 'heroku.addon[staging/redis-two]'`",
      }),
    ]);
  });

  it('notes an add-on still provisioning and leaves out one that failed', async () => {
    const parts = convergedStaging();
    parts['/addons'] = [
      apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning'),
      apiAddon('a2', 'redis-shiny-456', 'heroku-redis:mini', ['REDIS_URL'], 'deprovisioned'),
    ];
    const live = await read(parts);
    expect(live.notes).toContainEqual({
      address: 'heroku.addon[staging/database]',
      attribute: 'state',
      note: 'still provisioning (read-only status)',
      expected: 'provisioning',
    });
    expect(live.resources.some((r) => r.liveId === 'a2')).toBe(false);
    expect(live.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('redis-shiny-456 (heroku-redis:mini)'),
      }),
    ]);
  });

  it('leaves out ACM, features, buildpacks and the coupling where app.yaml does not mention them', async () => {
    const text = YAML.replace('    acm: true\n', '')
      .replace('    features: [http-session-affinity]\n', '')
      .replace('buildpacks: [heroku/nodejs]\n', '')
      .replace('    stage: staging\n', '');
    const live = await read(convergedStaging(), text);
    expect(live.resources.find((r) => r.kind === 'heroku.app')?.attributes).not.toHaveProperty('acm');
    const kinds = new Set(live.resources.map((r) => r.kind));
    for (const kind of ['heroku.feature', 'heroku.buildpacks', 'heroku.coupling'] as const)
      expect(kinds.has(kind), kind).toBe(false);
  });

  it('reads a missing app as absent, with its formation deferred', async () => {
    const live = await read(Object.fromEntries(APP_READ_PATHS.map((k) => [k, undefined])));
    expect(live.resources.map((r) => r.address)).toEqual(['heroku.pipeline[demo-pipe]']);
    expect(live.deferred.map((d) => d.address)).toEqual(['heroku.formation[staging/web]']);
  });
});
