import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import { applyPlan } from '../../../src/workflows/apply.js';
import { apiAddon, apiApp, apiDomain, apiDrain, desired, PIPELINE_ID } from './fixtures.js';
import { create, FakeHeroku, provider, remove, resource } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

describe('Heroku apply order (the engine’s, from dependsOn and the provider’s declared ordering)', () => {
  it('app → features, buildpacks, config, add-ons (waited for), domains, drains → formation → coupling', async () => {
    const fake = new FakeHeroku()
      .reply('POST', '/apps', 201, apiApp('demo-staging', { acm: false }))
      .reply('POST', '/apps/demo-staging/acm', 200, apiApp('demo-staging'))
      .reply('POST', '/pipelines', 201, { id: PIPELINE_ID, name: 'demo-pipe' })
      .reply('PATCH', '/apps/demo-staging/features/http-session-affinity', 200, { id: 'f', name: 'http-session-affinity', enabled: true })
      .reply('PUT', '/apps/demo-staging/buildpack-installations', 200, [])
      .reply('PATCH', '/apps/demo-staging/config-vars', 200, { NODE_ENV: 'production' })
      .on(
        'POST',
        '/apps/demo-staging/addons',
        (body) =>
          (body as { plan: string }).plan.startsWith('heroku-postgresql')
            ? [201, apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL'], 'provisioning')]
            : [201, apiAddon('a2', 'redis-2', 'heroku-redis:mini', ['REDIS_URL'])],
        2,
      )
      .reply(
        'GET',
        '/apps/demo-staging/addons/a1',
        200,
        apiAddon('a1', 'pg-1', 'heroku-postgresql:essential-0', ['DATABASE_URL']),
      )
      .reply('POST', '/apps/demo-staging/domains', 201, apiDomain('staging.demo.example'))
      .reply('POST', '/apps/demo-staging/log-drains', 201, apiDrain('l1', 'syslog+tls://logs.example.net:514'))
      .reply('PATCH', '/apps/demo-staging/formation', 200, [])
      .reply('POST', '/pipeline-couplings', 201, {
        id: 'c1',
        app: { id: 'a' },
        pipeline: { id: PIPELINE_ID },
        stage: 'staging',
      });
    const plan = buildPlan(desired(), { resources: [], deferred: [], diagnostics: [] }, ['staging'], {
      digestKey: 'k',
    });
    const heroku = provider();
    const outcome = await applyPlan(plan, new Map([['heroku', heroku]]), {
      info: () => {},
      warn: () => {},
      progress: () => {},
    });
    fake.done();
    expect(outcome.applied).toHaveLength(plan.changes.length);
    const writes = fake.writes();
    const at = (write: string) => {
      const index = writes.indexOf(write);
      expect(index, write).toBeGreaterThanOrEqual(0);
      return index;
    };
    const middle = [
      'PATCH /apps/demo-staging/features/http-session-affinity',
      'PUT /apps/demo-staging/buildpack-installations',
      'PATCH /apps/demo-staging/config-vars',
      'POST /apps/demo-staging/addons',
      'POST /apps/demo-staging/domains',
      'POST /apps/demo-staging/log-drains',
    ];
    for (const write of middle) {
      expect(at('POST /apps')).toBeLessThan(at(write));
      expect(at(write)).toBeLessThan(at('PATCH /apps/demo-staging/formation'));
    }
    // The formation waits for the add-on to finish provisioning, the coupling for everything.
    const provisioned = fake.requests.findIndex((r) => r.path === '/apps/demo-staging/addons/a1');
    expect(provisioned).toBeLessThan(fake.requests.findIndex((r) => r.path === '/apps/demo-staging/formation'));
    expect(writes.at(-1)).toBe('POST /pipeline-couplings');
    expect(writes.filter((w) => w === 'PATCH /apps/demo-staging/config-vars')).toHaveLength(1);
    expect(writes.filter((w) => w === 'PATCH /apps/demo-staging/formation')).toHaveLength(1);
    // The coupling got the id of the pipeline created earlier in this apply.
    expect(fake.requests.at(-1)?.body).toEqual({ app: 'demo-staging', pipeline: PIPELINE_ID, stage: 'staging' });
    expect(outcome.outputs.get('heroku.domain[staging/staging.demo.example]')).toEqual({
      hostname: 'staging.demo.example',
      cname: 'staging-x1y2.herokudns.com',
    });
  });

  it('through the scheduler: an environment’s formation in one PATCH, and its deletes chained by declared edges after every forward change', async () => {
    const app = (environment: string) => [`heroku.app[${environment}]`];
    const formation = (environment: string, type: string, quantity: number) =>
      resource('heroku.formation', [environment, type], { quantity, size: 'basic' }, { dependsOn: app(environment) });
    const coupling = resource(
      'heroku.coupling',
      ['production'],
      { pipeline: 'demo-pipe', pipeline_id: PIPELINE_ID, stage: 'production' },
      { liveId: 'c9', dependsOn: app('production') },
    );
    const domain = resource(
      'heroku.domain',
      ['production', 'old.demo.example'],
      { hostname: 'old.demo.example', cname: 'o.herokudns.com' },
      { liveId: 'd1', dependsOn: app('production') },
    );
    const fake = new FakeHeroku()
      .reply('PATCH', '/apps/demo-staging/formation', 200, [])
      .reply('PATCH', '/apps/demo-production/formation', 200, [])
      .reply('DELETE', '/pipeline-couplings/c9', 200, { id: 'c9', app: { id: 'a' }, pipeline: { id: PIPELINE_ID }, stage: 'production' })
      .reply('DELETE', '/apps/demo-production/domains/old.demo.example', 200, apiDomain('old.demo.example'));
    const changes = [
      remove(domain),
      remove(coupling),
      remove(resource('heroku.formation', ['production', 'worker'], { quantity: 1, size: 'basic' })),
      create(formation('staging', 'web', 2)),
      create(formation('staging', 'worker', 1)),
    ];
    const heroku = provider();
    const ordering = heroku.ordering(changes);
    expect(ordering.batches?.map((b) => b.key)).toEqual([
      { key: 'production formation', deletes: 'apart' },
      { key: 'staging formation', deletes: 'apart' },
      { key: 'staging formation', deletes: 'apart' },
    ]);
    // Scaled down, then uncoupled, then the app's other parts.
    expect(ordering.edges).toEqual([
      { before: { address: 'heroku.formation[production/worker]' }, after: { address: coupling.address } },
      { before: { address: coupling.address }, after: { address: domain.address } },
    ]);
    const plan = { ...buildPlan(desired(), { resources: [], deferred: [], diagnostics: [] }, ['staging'], { digestKey: 'k' }), changes };
    const outcome = await applyPlan(plan, new Map([['heroku', heroku]]), { info: () => {}, warn: () => {}, progress: () => {} });
    fake.done();
    expect(outcome.applied).toHaveLength(changes.length);
    expect(fake.writes()).toEqual([
      'PATCH /apps/demo-staging/formation',
      'PATCH /apps/demo-production/formation',
      'DELETE /pipeline-couplings/c9',
      'DELETE /apps/demo-production/domains/old.demo.example',
    ]);
    expect(fake.requests[0]?.body).toEqual({
      updates: [
        { type: 'web', quantity: 2, dyno_size: { name: 'basic' } },
        { type: 'worker', quantity: 1, dyno_size: { name: 'basic' } },
      ],
    });
  });
});
