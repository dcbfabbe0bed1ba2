import { describe, expect, it } from 'vitest';
import { type Json, ManualClock, releases } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

type Addon = Json & { name: string; state: string; config_vars: string[]; plan: Json; addon_service: Json };

describe('add-ons', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({ seed: 21, clock: clock.now, heroku: { addonProvisionMs: 1500 } });

  async function create(app: string, body: unknown, headers: Record<string, string> = {}) {
    return heroku<Addon>(sandbox(), 'POST', `/apps/${app}/addons`, { body, headers });
  }

  it('provisions Postgres asynchronously on the clock: attach release now, vars and "Update" release later', async () => {
    await createApp(sandbox(), 'pg-app');
    const created = await create('pg-app', { plan: 'heroku-postgresql:essential-0', config: { version: '16' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'provisioning',
      config_vars: ['DATABASE_URL'],
      plan: { name: 'heroku-postgresql:essential-0' },
      addon_service: { name: 'heroku-postgresql' },
      billed_price: { cents: 500, contract: false, unit: 'month' },
      provision_message: 'Database has been created and will be available shortly',
    });
    expect(created.body.name).toMatch(/^postgresql-[a-z]+-\d{5}$/);
    expect((await heroku(sandbox(), 'GET', '/apps/pg-app/config-vars')).body).toEqual({});
    // The reserved var is already owned: it cannot be set while the database provisions.
    const clash = await heroku(sandbox(), 'PATCH', '/apps/pg-app/config-vars', { body: { DATABASE_URL: 'x' } });
    expect(clash.status).toBe(422);

    clock.advance(1499);
    expect((await heroku<Addon>(sandbox(), 'GET', `/apps/pg-app/addons/${created.body.name}`)).body.state).toBe(
      'provisioning',
    );
    clock.advance(1);
    expect((await heroku<Addon>(sandbox(), 'GET', `/addons/${created.body.id as string}`)).body.state).toBe(
      'provisioned',
    );
    const vars = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/pg-app/config-vars')).body;
    expect(vars['DATABASE_URL']).toMatch(/^postgres:\/\/u[0-9a-f]+:p[0-9a-f]{64}@[\w.-]+:5432\/d[0-9a-f]+$/);
    const list = await releases(sandbox(), 'pg-app');
    expect(list.slice(2).map((r) => [r['description'], (r['user'] as Json)['email']])).toEqual([
      [`Attach DATABASE (@ref:${created.body.name})`, 'developer@example.com'],
      ['Update DATABASE by heroku-postgresql', 'heroku-postgresql@addons.heroku.com'],
    ]);
    expect(list.at(-1)?.['addon_plan_names']).toEqual(['heroku-postgresql:essential-0']);
  });

  it('accepts the plan as service:plan, a bare service, a plan id, or {name} as the CLI sends', async () => {
    await createApp(sandbox(), 'plan-forms');
    const plan = await heroku<Json>(sandbox(), 'GET', '/addon-services/heroku-redis/plans/premium-0');
    const byId = await create('plan-forms', { plan: plan.body['id'] });
    expect(byId.body.plan).toEqual({ id: plan.body['id'], name: 'heroku-redis:premium-0' });
    const bare = await create('plan-forms', { plan: 'heroku-postgresql' });
    expect(bare.body.plan['name']).toBe('heroku-postgresql:essential-0');
    // What `heroku addons:create heroku-redis:mini --as CACHE` sends.
    const cli = await create(
      'plan-forms',
      { attachment: { name: 'CACHE' }, config: {}, plan: { name: 'heroku-redis:mini' } },
      { 'Accept-Expansion': 'plan', 'X-Heroku-Legacy-Provider-Messages': 'true' },
    );
    expect(cli.status).toBe(201);
    expect(cli.body.config_vars).toEqual(['CACHE_URL']);
    expect(cli.body.plan).toMatchObject({ name: 'heroku-redis:mini', price: { cents: 300 }, human_name: 'Mini' });
    const lower = await create('plan-forms', { plan: 'newrelic:wayne', attachment: { name: 'monitoring' } });
    expect(lower.body.config_vars).toEqual(['MONITORING_LICENSE_KEY', 'MONITORING_LOG']);
  });

  it('names the first Postgres DATABASE and later ones HEROKU_POSTGRESQL_<COLOR>; Redis likewise', async () => {
    await createApp(sandbox(), 'colors');
    const names = [];
    for (const plan of ['heroku-postgresql:essential-0', 'heroku-postgresql:standard-0', 'heroku-redis:mini']) {
      names.push(...(await create('colors', { plan })).body.config_vars);
    }
    names.push(...(await create('colors', { plan: 'heroku-redis:mini' })).body.config_vars);
    names.push(
      ...(await create('colors', { plan: 'heroku-postgresql:essential-1', attachment: { name: 'ANALYTICS' } })).body
        .config_vars,
    );
    expect(names).toEqual([
      'DATABASE_URL',
      'HEROKU_POSTGRESQL_AMBER_URL',
      'REDIS_URL',
      'HEROKU_REDIS_AMBER_URL',
      'ANALYTICS_URL',
    ]);
  });

  it('provisions synchronous services at once, with their vars in the attach release', async () => {
    await createApp(sandbox(), 'sync-app');
    const nr = await create('sync-app', { plan: 'newrelic:wayne' });
    expect(nr.body).toMatchObject({ state: 'provisioned', config_vars: ['NEW_RELIC_LICENSE_KEY', 'NEW_RELIC_LOG'] });
    const vars = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/sync-app/config-vars')).body;
    expect(vars['NEW_RELIC_LICENSE_KEY']).toMatch(/^[0-9a-f]{40}$/);
    expect(vars['NEW_RELIC_LOG']).toBe('stdout');
    const scheduler = await create('sync-app', { plan: 'scheduler:standard' });
    expect(scheduler.body).toMatchObject({ state: 'provisioned', config_vars: [] });
    const again = await create('sync-app', { plan: 'scheduler' });
    expect(again).toMatchObject({
      status: 422,
      body: { message: 'Heroku Scheduler can only be installed once per app.' },
    });
    expect((await releases(sandbox(), 'sync-app')).map((r) => r['description'])).toEqual([
      'Initial release',
      'Enable Logplex',
      `Attach NEW_RELIC (@ref:${nr.body.name})`,
      `Attach SCHEDULER (@ref:${scheduler.body.name})`,
    ]);
  });

  it('refuses bad requests with 404 / 422 and creates nothing', async () => {
    await createApp(sandbox(), 'strict-addons');
    await create('strict-addons', { plan: 'heroku-redis:mini', name: 'shared-cache' });
    await createApp(sandbox(), 'other-app');
    const cases: [unknown, number, string][] = [
      [{}, 422, 'plan is required'],
      // 422 invalid_params, as heroku/cli's addons:create test fixtures record the real API's answer.
      [
        { plan: 'heroku-postgresql:hobby-dev' },
        422,
        'Couldn\'t find either the add-on service or the add-on plan of "heroku-postgresql:hobby-dev".',
      ],
      [{ plan: 'no-such-service' }, 422, "Couldn't find either"],
      [{ plan: 'heroku-redis:mini', name: 'shared-cache' }, 422, 'The add-on name shared-cache is already taken.'],
      [{ plan: 'heroku-redis:mini', name: '9lives' }, 422, 'Name must start with a letter'],
      [{ plan: 'heroku-redis:mini', config: { version: 7 } }, 422, 'config.version must be a string'],
      [{ plan: 'heroku-redis:mini', attachment: { name: 'BAD-NAME' } }, 422, 'Attachment name'],
    ];
    for (const [body, status, message] of cases) {
      const res = await heroku<Json>(sandbox(), 'POST', '/apps/other-app/addons', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body['message'], JSON.stringify(body)).toContain(message);
    }
    await heroku(sandbox(), 'PATCH', '/apps/other-app/config-vars', { body: { REDIS_URL: 'redis://mine' } });
    const taken = await create('other-app', { plan: 'heroku-redis:mini', attachment: { name: 'REDIS' } });
    expect(taken).toMatchObject({
      status: 422,
      body: { message: 'REDIS_URL is already set on other-app; remove it or attach as another name.' },
    });
    expect((await heroku(sandbox(), 'GET', '/apps/other-app/addons')).body).toEqual([]);
  });

  it('changes plans within a service, keeping the add-on and its vars; refuses other services', async () => {
    await createApp(sandbox(), 'upgrade');
    const db = await create('upgrade', { plan: 'heroku-postgresql:essential-0' });
    const early = await heroku(sandbox(), 'PATCH', `/apps/upgrade/addons/${db.body.name}`, {
      body: { plan: 'heroku-postgresql:essential-1' },
    });
    expect(early).toMatchObject({ status: 422, body: { id: 'invalid_params' } });
    clock.advance(1500);
    const before = (await heroku(sandbox(), 'GET', '/apps/upgrade/config-vars')).body;
    const changed = await heroku<Addon>(sandbox(), 'PATCH', `/apps/upgrade/addons/${db.body.name}`, {
      body: { plan: 'standard-0', name: 'main-db' },
    });
    expect(changed.status).toBe(422);
    // Essential changes in place only to Essential; another tier needs pg:copy (Dev Center
    // "Changing the Plan or Infrastructure of a Heroku Postgres Database").
    const upward = await heroku<Json>(sandbox(), 'PATCH', `/apps/upgrade/addons/${db.body.name}`, {
      body: { plan: 'heroku-postgresql:standard-0' },
    });
    expect(upward.status).toBe(422);
    expect(upward.body['message']).toContain('Use pg:copy to a new database.');
    const ok = await heroku<Addon>(sandbox(), 'PATCH', `/apps/upgrade/addons/${db.body.name}`, {
      body: { plan: 'heroku-postgresql:essential-1', name: 'main-db' },
    });
    expect(ok.body).toMatchObject({
      id: db.body.id,
      name: 'main-db',
      plan: { name: 'heroku-postgresql:essential-1' },
      billed_price: { cents: 900 },
    });
    expect((await heroku(sandbox(), 'GET', '/apps/upgrade/config-vars')).body).toEqual(before);
    const standard = await create('upgrade', { plan: 'heroku-postgresql:standard-0', name: 'big-db' });
    clock.advance(1500);
    const slow = await heroku<Addon>(sandbox(), 'PATCH', `/apps/upgrade/addons/${standard.body.name}`, {
      body: { plan: 'heroku-postgresql:premium-0' },
    });
    expect(slow.body).toMatchObject({ plan: { name: 'heroku-postgresql:premium-0' } });
    const across = await heroku<Json>(sandbox(), 'PATCH', '/apps/upgrade/addons/main-db', {
      body: { plan: 'heroku-redis:mini' },
    });
    expect(across.status).toBe(422);
    expect(across.body['message']).toContain('plans can only change within the same add-on service');
  });

  it('DELETE removes the add-on and its vars in a "Detach" release', async () => {
    await createApp(sandbox(), 'detach');
    await heroku(sandbox(), 'PATCH', '/apps/detach/config-vars', { body: { KEEP: '1' } });
    const cache = await create('detach', { plan: 'heroku-redis:mini' });
    clock.advance(1500);
    const deleted = await heroku<Addon>(sandbox(), 'DELETE', `/apps/detach/addons/${cache.body.id as string}`, {
      body: { force: false },
    });
    expect(deleted).toMatchObject({ status: 200, body: { state: 'deprovisioned', name: cache.body.name } });
    expect((await heroku(sandbox(), 'GET', '/apps/detach/config-vars')).body).toEqual({ KEEP: '1' });
    expect((await releases(sandbox(), 'detach')).at(-1)?.['description']).toBe(
      `Detach REDIS (@ref:${cache.body.name})`,
    );
    expect((await heroku(sandbox(), 'GET', `/addons/${cache.body.name}`)).status).toBe(404);
    // Now REDIS_URL is a plain var again.
    expect((await heroku(sandbox(), 'PATCH', '/apps/detach/config-vars', { body: { REDIS_URL: 'x' } })).status).toBe(
      200,
    );
  });

  it('expands plan and addon_service with Accept-Expansion, and lists attachments', async () => {
    await createApp(sandbox(), 'expand');
    const db = await create('expand', { plan: 'heroku-postgresql:essential-2' });
    const plain = await heroku<Addon[]>(sandbox(), 'GET', '/apps/expand/addons');
    expect(Object.keys(plain.body[0]?.plan ?? {})).toEqual(['id', 'name']);
    const expanded = await heroku<Addon[]>(sandbox(), 'GET', '/apps/expand/addons', {
      headers: { Accept: 'application/vnd.heroku+json; version=3.sdk', 'Accept-Expansion': 'addon_service,plan' },
    });
    expect(expanded.body[0]?.plan).toMatchObject({
      name: 'heroku-postgresql:essential-2',
      price: { cents: 2000 },
      default: false,
    });
    expect(expanded.body[0]?.addon_service).toMatchObject({ name: 'heroku-postgresql', human_name: 'Heroku Postgres' });
    const attachments = await heroku<Json[]>(sandbox(), 'GET', '/apps/expand/addon-attachments');
    expect(attachments.body).toEqual([
      expect.objectContaining({
        name: 'DATABASE',
        addon: { id: db.body.id, name: db.body.name, app: { id: expect.any(String), name: 'expand' } },
      }),
    ]);
    const all = await heroku<Json[]>(sandbox(), 'GET', '/addon-attachments');
    expect(all.body.map((a) => a['name'])).toEqual(['DATABASE']);
  });

  it('keeps add-on vars out of PATCH, and the admin route still completes a held provisioning', async () => {
    await createApp(sandbox(), 'held');
    const held = await admin<Addon>(sandbox(), 'POST', '/apps/held/addons', {
      plan: 'heroku-redis:mini',
      state: 'provisioning',
    });
    clock.advance(60_000);
    expect((await heroku<Addon>(sandbox(), 'GET', `/apps/held/addons/${held.body.name}`)).body.state).toBe(
      'provisioning',
    );
    const done = await admin<Addon>(sandbox(), 'POST', `/apps/held/addons/${held.body.name}/provision`);
    expect(done.body.state).toBe('provisioned');
    const vars = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/held/config-vars')).body;
    expect(vars['REDIS_URL']).toMatch(/^rediss:\/\//);
  });
});
