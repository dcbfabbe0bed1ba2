import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import type { DesiredState, LiveState } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { Unknown } from '../../../src/model/value.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { pricedAhead } from '../../../src/providers/heroku/cost.js';
import { HerokuProvider } from '../../../src/providers/heroku/index.js';
import { apiAddon, convergedStaging, desired, serveApp, servePipeline, YAML } from './fixtures.js';
import { APPS, BASE, FakeHeroku, provider, resource } from './support.js';

// The Heroku read starts the price lists its plan's estimate will read (cost.ts `pricedAhead`),
// so that they go out while other providers are still reading: the same requests, a round sooner.

const PRICE_LIST = /^\/(dyno-sizes|addon-services\/[^/]+\/plans)$/;

const SIZES = [
  { id: 's1', name: 'Basic', cost: { cents: 700, unit: 'month' } },
  { id: 's2', name: 'Standard-1X', cost: { cents: 2500, unit: 'month' } },
];
const PLANS: Record<string, unknown[]> = {
  'heroku-postgresql': [
    { id: 'p1', name: 'heroku-postgresql:mini', price: { cents: 0, unit: 'month', contract: false } },
    { id: 'p2', name: 'heroku-postgresql:essential-0', price: { cents: 500, unit: 'month', contract: false } },
  ],
  'heroku-redis': [{ id: 'r1', name: 'heroku-redis:mini', price: { cents: 300, unit: 'month', contract: false } }],
  scheduler: [{ id: 'k1', name: 'scheduler:standard', price: { cents: 0, unit: 'month', contract: false } }],
};

/** Serves every price list (answered by `answer`, default: the lists above) and records the paths asked for. */
function servePrices(fake: FakeHeroku, asked: string[], answer?: (path: string) => [number, unknown]): void {
  fake.on(
    'GET',
    PRICE_LIST,
    (_body, path) => {
      asked.push(path);
      if (answer !== undefined) return answer(path);
      if (path === '/dyno-sizes') return [200, SIZES];
      return [200, PLANS[path.split('/')[2] as string] ?? []];
    },
    50,
  );
}

/** Staging with the database on another plan, the cache missing and web scaled differently. */
function drifted(): Record<string, unknown> {
  const parts = convergedStaging();
  parts['/addons'] = [apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:mini', ['DATABASE_URL'])];
  parts['/formation'] = [{ id: 'f1', type: 'web', quantity: 2, size: 'Basic', dyno_size: { name: 'Basic' } }];
  return parts;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  nock.cleanAll();
});

/** Lets every settled promise's handlers run, so an unhandled rejection would have been reported. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function planOf(state: DesiredState, live: LiveState) {
  return buildPlan(state, live, ['staging'], { digestKey: 'k' });
}

describe('Heroku price lists read ahead by the read', () => {
  it('are requested by the read itself, before any estimate, and the estimate requests nothing more', async () => {
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', drifted());
    servePipeline(fake, true);
    const asked: string[] = [];
    servePrices(fake, asked);
    const heroku = provider();
    const state = desired();
    const live = await heroku.read({ scopes: ['staging'], desired: state.resources });
    const expected = ['/addon-services/heroku-postgresql/plans', '/addon-services/heroku-redis/plans', '/dyno-sizes'];
    // Nothing but the read has run: the lists are on their way already.
    await vi.waitFor(() => expect([...asked].sort()).toEqual(expected));
    const estimate = await heroku.estimateCost(planOf(state, live).changes);
    fake.done();
    expect([...asked].sort()).toEqual(expected);
    expect(estimate).toEqual({
      lines: [
        { address: 'heroku.addon[staging/cache]', after: 'heroku-redis:mini', beforeCents: 0, afterCents: 300 },
        {
          address: 'heroku.addon[staging/database]',
          before: 'heroku-postgresql:mini',
          after: 'heroku-postgresql:essential-0',
          beforeCents: 0,
          afterCents: 500,
        },
        {
          address: 'heroku.formation[staging/web]',
          before: '2 × basic',
          after: '1 × basic',
          beforeCents: 1400,
          afterCents: 700,
        },
      ],
      deltaCents: 300 + 500 - 700,
      unpriced: [],
    });
  });

  // Platform API schema `add-on.billed_price`: what the account is billed, which may differ from the list price.
  it("price a live add-on at its billed_price when Heroku gives one, and the plan it changes to at the list price", async () => {
    const fake = new FakeHeroku();
    const parts = drifted();
    parts['/addons'] = [
      { ...apiAddon('a1', 'postgresql-round-123', 'heroku-postgresql:mini', ['DATABASE_URL']), billed_price: { cents: 250, contract: true, unit: 'month' } },
    ];
    serveApp(fake, 'demo-staging', parts);
    servePipeline(fake, true);
    servePrices(fake, []);
    const heroku = provider();
    const state = desired();
    const live = await heroku.read({ scopes: ['staging'], desired: state.resources });
    const estimate = await heroku.estimateCost(planOf(state, live).changes);
    expect(estimate?.lines.find((l) => l.address === 'heroku.addon[staging/database]')).toEqual({
      address: 'heroku.addon[staging/database]',
      before: 'heroku-postgresql:mini',
      after: 'heroku-postgresql:essential-0',
      beforeCents: 250,
      afterCents: 500,
    });
  });

  it('are not requested for a converged app, nor when the read found an error (the plan stops before pricing)', async () => {
    const ambiguous = drifted();
    // Two live add-ons of the cache's service: an error that stops the plan.
    ambiguous['/addons'] = [
      ...(ambiguous['/addons'] as unknown[]),
      apiAddon('a2', 'redis-one', 'heroku-redis:mini', ['REDIS_URL']),
      apiAddon('a3', 'redis-two', 'heroku-redis:mini', ['HEROKU_REDIS_PINK_URL']),
    ];
    for (const parts of [convergedStaging(), ambiguous]) {
      const fake = new FakeHeroku();
      serveApp(fake, 'demo-staging', parts);
      servePipeline(fake, true);
      const asked: string[] = [];
      servePrices(fake, asked);
      await provider().read({ scopes: ['staging'], desired: desired().resources });
      await new Promise((resolve) => setTimeout(resolve, 50));
      fake.done();
      expect(asked).toEqual([]);
      nock.cleanAll();
    }
  });

  it('leave what the read cannot be sure of (a change in other attributes, a prune) to the estimate: still one request per list', async () => {
    const text = YAML.replace(
      'cache: { plan: "heroku-redis:mini" }',
      'cache: { plan: "heroku-redis:mini", as: CACHE }',
    ).replace('    acm: true\n', '    acm: true\n    prune: { addons: true }\n');
    const parts = drifted();
    parts['/addons'] = [
      ...(parts['/addons'] as unknown[]),
      apiAddon('a2', 'redis-shiny-456', 'heroku-redis:mini', ['REDIS_URL']),
      apiAddon('a3', 'scheduler-7', 'scheduler:standard', []),
    ];
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', parts);
    servePipeline(fake, true);
    const asked: string[] = [];
    servePrices(fake, asked);
    const heroku = provider();
    const state = desired(text);
    const live = await heroku.read({ scopes: ['staging'], desired: state.resources });
    await vi.waitFor(() =>
      expect([...asked].sort()).toEqual(['/addon-services/heroku-postgresql/plans', '/dyno-sizes']),
    );
    const plan = planOf(state, live);
    const addons = plan.changes.filter((c) => c.kind === 'heroku.addon').map((c) => `${c.action} ${c.address}`);
    expect(addons.sort()).toEqual([
      'delete heroku.addon[staging/scheduler-7]',
      'replace heroku.addon[staging/cache]',
      'update heroku.addon[staging/database]',
    ]);
    const estimate = await heroku.estimateCost(plan.changes);
    fake.done();
    expect([...asked].sort()).toEqual([
      '/addon-services/heroku-postgresql/plans',
      '/addon-services/heroku-redis/plans',
      '/addon-services/scheduler/plans',
      '/dyno-sizes',
    ]);
    expect(estimate?.unpriced).toEqual([]);
    expect(estimate?.lines.map((l) => l.address)).toEqual([
      'heroku.addon[staging/cache]',
      'heroku.addon[staging/database]',
      'heroku.addon[staging/scheduler-7]',
      'heroku.formation[staging/web]',
    ]);
  });
});

describe('a price list read ahead that fails', () => {
  const failing = (): [number, unknown] => [500, { id: 'internal_server_error', message: 'Internal server error.' }];

  it("makes the plan's estimate exactly what an estimate that read the list itself reports, and is never an unhandled rejection", async () => {
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', drifted());
    servePipeline(fake, true);
    const asked: string[] = [];
    servePrices(fake, asked, (path) =>
      path === '/addon-services/heroku-redis/plans'
        ? failing()
        : [200, path === '/dyno-sizes' ? SIZES : PLANS['heroku-postgresql']],
    );
    const heroku = provider();
    const state = desired();
    const live = await heroku.read({ scopes: ['staging'], desired: state.resources });
    await vi.waitFor(() => expect(asked).toContain('/addon-services/heroku-redis/plans'));
    const changes = planOf(state, live).changes;
    const ahead = await heroku.estimateCost(changes);
    const readAhead = asked.length;
    // The same changes priced by a provider that has read nothing: the estimate reads the lists itself.
    const own = await provider().estimateCost(changes);
    await settle();
    fake.done();
    expect(ahead).toEqual(own);
    expect(ahead?.unpriced).toEqual([
      {
        address: 'heroku.addon[staging/cache]',
        reason: expect.stringMatching(
          /^the price list for heroku-redis:mini could not be read \(.*Internal server error/,
        ),
      },
    ]);
    expect(ahead?.lines.map((l) => l.address)).toEqual([
      'heroku.addon[staging/database]',
      'heroku.formation[staging/web]',
    ]);
    // Each read of a list: one request, plus the client's retries of the 500 (as many for both).
    expect(asked.length - readAhead).toBe(readAhead);
    expect(unhandled).toEqual([]);
  });

  it('that no estimate awaits, or whose request throws at once, fails neither the read nor anything else', async () => {
    const fake = new FakeHeroku();
    serveApp(fake, 'demo-staging', drifted());
    servePipeline(fake, true);
    const asked: string[] = [];
    servePrices(fake, asked, () => [403, { id: 'forbidden', message: 'You do not have access to this list.' }]);
    const live = await provider().read({ scopes: ['staging'], desired: desired().resources });
    expect(live.diagnostics).toEqual([]);
    // The three lists answered (a 403 is not retried), then nothing is left to settle.
    await vi.waitFor(() => expect(asked.length).toBe(3));
    await settle();
    fake.done();
    expect(unhandled).toEqual([]);

    class Throwing extends HerokuClient {
      override get<T>(path: string): Promise<T> {
        if (PRICE_LIST.test(path)) throw new Error(`no ${path} today`);
        return super.get<T>(path);
      }
    }
    const again = new FakeHeroku();
    serveApp(again, 'demo-staging', drifted());
    servePipeline(again, true);
    const client = new Throwing({ baseUrl: BASE, token: 't', userAgent: 'test', sleep: async () => {} });
    const heroku = new HerokuProvider(client, APPS);
    const state = desired();
    const read = await heroku.read({ scopes: ['staging'], desired: state.resources });
    const estimate = await heroku.estimateCost(planOf(state, read).changes);
    await settle();
    again.done();
    expect(estimate?.lines).toEqual([]);
    expect(estimate?.unpriced.map((u) => u.reason)).toEqual([
      'the price list for heroku-redis:mini could not be read (no /addon-services/heroku-redis/plans today)',
      'the price list for heroku-postgresql:mini could not be read (no /addon-services/heroku-postgresql/plans today)',
      'the price list for basic could not be read (no /dyno-sizes today)',
    ]);
    expect(unhandled).toEqual([]);
  });
});

describe('pricedAhead', () => {
  const web = (attributes: Resource['attributes']) => resource('heroku.formation', ['staging', 'web'], attributes);
  const db = (attributes: Resource['attributes'], extra: Partial<Resource> = {}) =>
    resource('heroku.addon', ['staging', 'database'], { service: 'heroku-postgresql', ...attributes }, extra);
  const state = (resources: Resource[], extra: Partial<LiveState> = {}): LiveState => ({
    resources,
    deferred: [],
    diagnostics: [],
    ...extra,
  });
  const wantedDb = db({ plan: 'heroku-postgresql:essential-0', as: 'DATABASE' });
  const liveDb = (plan: string, as = 'DATABASE') => db({ plan, as }, { liveId: 'a1' });

  it('names the sides of the changes the plan will certainly price, and nothing it might not', () => {
    const wantedWeb = web({ quantity: 2, size: 'basic' });
    const cases: [string, Resource[], LiveState, Resource[]][] = [
      ['a missing add-on: its desired side', [wantedDb], state([]), [wantedDb]],
      [
        'another plan: both sides',
        [wantedDb],
        state([liveDb('heroku-postgresql:mini')]),
        [liveDb('heroku-postgresql:mini'), wantedDb],
      ],
      ['the same plan', [wantedDb], state([liveDb('heroku-postgresql:essential-0')]), []],
      [
        'the same plan, another attachment (a replace): left to the estimate',
        [wantedDb],
        state([liveDb('heroku-postgresql:essential-0', 'PG')]),
        [],
      ],
      [
        'another quantity: both sides',
        [wantedWeb],
        state([web({ quantity: 1, size: 'basic' })]),
        [web({ quantity: 1, size: 'basic' }), wantedWeb],
      ],
      [
        'a deferred formation',
        [wantedWeb],
        state([], { deferred: [{ address: wantedWeb.address, reason: 'no release' }] }),
        [],
      ],
      [
        'a plan the plan may still fill in',
        [db({ plan: new Unknown('known after apply', { ref: { address: 'heroku.app[staging]', attribute: 'x' } }) })],
        state([]),
        [],
      ],
      [
        'a read with an error',
        [wantedDb],
        state([], { diagnostics: [{ severity: 'error', message: 'two add-ons could be it' }] }),
        [],
      ],
      [
        'a kind without a price',
        [resource('heroku.feature', ['staging', 'preboot'], { enabled: true })],
        state([]),
        [],
      ],
    ];
    for (const [name, wanted, live, sides] of cases) expect(pricedAhead(wanted, live), name).toEqual(sides);
  });
});
