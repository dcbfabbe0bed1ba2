import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { barrier, create, FakeHeroku, provider, remove, resource, update } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const sizes = [
  { id: 's1', name: 'Basic', cost: { cents: 700, unit: 'month' } },
  { id: 's2', name: 'Standard-1X', cost: { cents: 2500, unit: 'month' } },
  { id: 's3', name: 'Standard-2X', cost: { cents: 5000, unit: 'month' } },
];
const postgresPlans = [
  { id: 'p1', name: 'heroku-postgresql:essential-0', price: { cents: 500, unit: 'month', contract: false } },
  { id: 'p2', name: 'heroku-postgresql:standard-0', price: { cents: 5000, unit: 'month', contract: false } },
];

const web = (quantity: number, size: string) => resource('heroku.formation', ['production', 'web'], { quantity, size });
const db = (plan: string) =>
  resource('heroku.addon', ['production', 'database'], { service: 'heroku-postgresql', plan }, { liveId: 'a1' });

describe('Heroku cost estimate', () => {
  it('prices dyno and plan changes from the API, reading each price list once and concurrently', async () => {
    const together = barrier(2);
    const fake = new FakeHeroku()
      .on('GET', '/dyno-sizes', async () => {
        await together();
        return [200, sizes];
      })
      .on('GET', '/addon-services/heroku-postgresql/plans', async () => {
        await together();
        return [200, postgresPlans];
      });
    const heroku = provider();
    const worker = resource('heroku.formation', ['production', 'worker'], { quantity: 1, size: 'standard-1x' });
    const follower = resource(
      'heroku.addon',
      ['production', 'follower'],
      { service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0' },
      { liveId: 'a2' },
    );
    const changes = [
      update(web(1, 'basic'), web(2, 'standard-2x'), ['quantity', 'size']),
      create(worker),
      update(db('heroku-postgresql:essential-0'), db('heroku-postgresql:standard-0'), ['plan']),
      remove(follower),
    ];
    const estimate = await heroku.estimateCost(changes);
    // A second estimate in the same run reads nothing again.
    await heroku.estimateCost(changes);
    fake.done();
    expect(fake.requests.map((r) => r.path).sort()).toEqual(['/addon-services/heroku-postgresql/plans', '/dyno-sizes']);
    expect(estimate).toEqual({
      lines: [
        {
          address: 'heroku.addon[production/database]',
          before: 'heroku-postgresql:essential-0',
          after: 'heroku-postgresql:standard-0',
          beforeCents: 500,
          afterCents: 5000,
        },
        {
          address: 'heroku.addon[production/follower]',
          before: 'heroku-postgresql:essential-0',
          beforeCents: 500,
          afterCents: 0,
        },
        {
          address: 'heroku.formation[production/web]',
          before: '1 × basic',
          after: '2 × standard-2x',
          beforeCents: 700,
          afterCents: 10_000,
        },
        { address: 'heroku.formation[production/worker]', after: '1 × standard-1x', beforeCents: 0, afterCents: 2500 },
      ],
      deltaCents: 4500 - 500 + 9300 + 2500,
      unpriced: [],
    });
  });

  it('lists a change the API gives no price for instead of guessing', async () => {
    const fake = new FakeHeroku().reply('GET', '/addon-services/heroku-postgresql/plans', 200, postgresPlans);
    const estimate = await provider().estimateCost([create(db('heroku-postgresql:premium-9'))]);
    fake.done();
    expect(estimate).toEqual({
      lines: [],
      deltaCents: 0,
      unpriced: [
        {
          address: 'heroku.addon[production/database]',
          reason: 'Heroku gives no monthly price for heroku-postgresql:premium-9',
        },
      ],
    });
  });

  it('never fails a plan over prices: an unreadable price list makes its changes unpriced', async () => {
    const fake = new FakeHeroku().reply('GET', '/addon-services/crunchy-postgres/plans', 403, {
      id: 'forbidden',
      message: 'You do not have access to this add-on service.',
    });
    const crunchy = resource('heroku.addon', ['production', 'database'], {
      service: 'crunchy-postgres',
      plan: 'crunchy-postgres:hobby',
    });
    const estimate = await provider().estimateCost([create(crunchy)]);
    fake.done();
    expect(estimate?.unpriced).toEqual([
      {
        address: 'heroku.addon[production/database]',
        reason: expect.stringContaining(
          "the price list for crunchy-postgres:hobby could not be read (Heroku rejected GET /addon-services/crunchy-postgres/plans: You do not have access to this add-on service.)",
        ),
      },
    ]);
  });

  // The schema types dyno-size `cost` as nullable; heroku/cli ps/type.ts prices sizes from its own
  // table, and Dev Center "Eco Dyno Hours" makes Eco a flat $5 per account, not a price per dyno.
  it('prices a dyno size whose cost is null from the documented table, and Eco as a flat fee', async () => {
    new FakeHeroku().reply('GET', '/dyno-sizes', 200, [
      { id: 's0', name: 'Eco', cost: { cents: 500, unit: 'month' } },
      { id: 's4', name: 'Performance-M', cost: null },
      { id: 's5', name: 'Private-S', cost: null },
    ]);
    const worker = (size: string) => resource('heroku.formation', ['production', 'worker'], { quantity: 2, size });
    const estimate = await provider().estimateCost([
      update(web(1, 'eco'), web(2, 'performance-m'), ['quantity', 'size']),
      create(worker('private-s')),
    ]);
    expect(estimate?.lines).toEqual([
      {
        address: 'heroku.formation[production/web]',
        before: '1 × eco (Eco: flat $5/month per account, shared by all its Eco dynos)',
        after: '2 × performance-m',
        beforeCents: 0,
        afterCents: 50000,
      },
    ]);
    expect(estimate?.unpriced).toEqual([
      { address: 'heroku.formation[production/worker]', reason: 'Heroku gives no monthly price for private-s' },
    ]);
  });

  it('reads no price when no change has one', async () => {
    const fake = new FakeHeroku();
    const feature = resource('heroku.feature', ['production', 'preboot'], { enabled: true });
    expect(await provider().estimateCost([create(feature)])).toBeUndefined();
    fake.done();
    expect(fake.requests).toEqual([]);
  });
});
