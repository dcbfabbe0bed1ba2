import { describe, expect, it } from 'vitest';
import { type Json, ManualClock } from '../../helpers/heroku.js';
import { createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

type Transfer = Json & {
  uuid: string;
  num: number;
  succeeded: boolean;
  started_at: string | null;
  finished_at: string | null;
  processed_bytes: number;
};

// The Heroku Postgres API of the sandbox (`/client/v11`) without real databases: transfers on the
// clock, metadata only; schedules per database; the same protocol as the Platform API.
describe('Heroku Postgres API', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({
    seed: 41,
    clock: clock.now,
    heroku: { addonProvisionMs: 0, pgTransferStartMs: 500, pgTransferMs: 2000 },
  });

  async function database(app: string, plan = 'heroku-postgresql:essential-0'): Promise<string> {
    await createApp(sandbox(), app);
    const created = await heroku<Json & { id: string }>(sandbox(), 'POST', `/apps/${app}/addons`, { body: { plan } });
    return created.body.id;
  }

  it('moves a backup from pending to running to completed on the clock, saying it keeps metadata only', async () => {
    const id = await database('pg-clock');
    const started = await heroku<Transfer>(sandbox(), 'POST', `/client/v11/databases/${id}/backups`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      num: 1,
      from_type: 'pg_dump',
      to_type: 'gof3r',
      from_name: 'DATABASE',
      started_at: null,
      succeeded: false,
    });
    const get = () =>
      heroku<Transfer & { logs: { message: string }[] }>(
        sandbox(),
        'GET',
        `/client/v11/apps/pg-clock/transfers/${started.body.uuid}`,
      );
    clock.advance(500);
    expect((await get()).body).toMatchObject({ finished_at: null, succeeded: false });
    expect((await get()).body.started_at).not.toBeNull();
    clock.advance(2000);
    const done = (await get()).body;
    expect(done).toMatchObject({ succeeded: true });
    expect(done.processed_bytes).toBeGreaterThan(16_000);
    expect(done.logs[0]?.message).toContain('metadata only');
    const listed = await heroku<Transfer[]>(sandbox(), 'GET', '/client/v11/apps/pg-clock/transfers');
    expect(listed.body.map((t) => t.num)).toEqual([1]);
  });

  it('restores a backup by its URL, and fails a restore from a URL it does not know', async () => {
    const id = await database('pg-restore');
    const backup = await heroku<Transfer>(sandbox(), 'POST', `/client/v11/databases/${id}/backups`);
    clock.advance(2500);
    const stored = await heroku<Transfer>(sandbox(), 'GET', `/client/v11/apps/pg-restore/transfers/${backup.body.num}`);
    const url = await heroku<{ url: string }>(
      sandbox(),
      'POST',
      `/client/v11/apps/pg-restore/transfers/${backup.body.num}/actions/public-url`,
    );
    expect(url.status).toBe(200);
    const restore = await heroku<Transfer>(sandbox(), 'POST', `/client/v11/databases/${id}/restores`, {
      body: { backup_url: url.body.url },
    });
    const stranger = await heroku<Transfer>(sandbox(), 'POST', `/client/v11/databases/${id}/restores`, {
      body: { backup_url: 'https://storage.example/b001.dump' },
    });
    clock.advance(2500);
    const read = (t: Transfer) => heroku<Transfer>(sandbox(), 'GET', `/client/v11/apps/pg-restore/transfers/${t.num}`);
    expect((await read(restore.body)).body).toMatchObject({
      succeeded: true,
      from_type: 'gof3r',
      to_type: 'pg_restore',
      processed_bytes: stored.body.processed_bytes,
    });
    expect((await read(stranger.body)).body).toMatchObject({ succeeded: false });
    expect((await read(stranger.body)).body.finished_at).not.toBeNull();
  });

  it("keeps the plan's manual backups: the sixth on essential-0 deletes the first", async () => {
    const id = await database('pg-keep');
    for (let i = 0; i < 6; i++) {
      await heroku(sandbox(), 'POST', `/client/v11/databases/${id}/backups`);
      clock.advance(2500);
      await heroku(sandbox(), 'GET', '/client/v11/apps/pg-keep/transfers');
    }
    const listed = await heroku<Transfer[]>(sandbox(), 'GET', '/client/v11/apps/pg-keep/transfers');
    expect(listed.body.map((t) => t.num)).toEqual([2, 3, 4, 5, 6]);
  });

  it('keeps one schedule per database, replaced in place, checking hour and zone', async () => {
    const id = await database('pg-schedule', 'heroku-postgresql:standard-0');
    const path = `/client/v11/databases/${id}/transfer-schedules`;
    const first = await heroku<Json & { uuid: string }>(sandbox(), 'POST', path, {
      body: { hour: '02', timezone: 'Europe/Berlin', schedule_name: 'DATABASE_URL' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      name: 'DATABASE_URL',
      hour: 2,
      timezone: 'Europe/Berlin',
      retain_weeks: 4,
      retain_months: 0,
    });
    const second = await heroku<Json & { uuid: string }>(sandbox(), 'POST', path, { body: { hour: 5 } });
    expect(second.body).toMatchObject({ uuid: first.body.uuid, hour: 5, timezone: 'UTC' });
    expect((await heroku(sandbox(), 'POST', path, { body: { hour: 24 } })).status).toBe(400);
    const zone = await heroku<Json>(sandbox(), 'POST', path, { body: { hour: 1, timezone: 'New_York' } });
    expect(zone).toMatchObject({ status: 400, body: { id: 'bad_request' } });
    expect((await heroku<unknown[]>(sandbox(), 'GET', path)).body).toHaveLength(1);
    expect((await heroku(sandbox(), 'DELETE', `${path}/${first.body.uuid}`)).status).toBe(200);
    expect((await heroku<unknown[]>(sandbox(), 'GET', path)).body).toEqual([]);
  });

  it('knows only provisioned Postgres databases, and takes the token as Bearer or Basic', async () => {
    await createApp(sandbox(), 'pg-proto');
    const redis = await heroku<Json & { id: string }>(sandbox(), 'POST', '/apps/pg-proto/addons', {
      body: { plan: 'heroku-redis:mini' },
    });
    expect((await heroku(sandbox(), 'GET', `/client/v11/databases/${redis.body.id}/transfer-schedules`)).status).toBe(
      404,
    );
    const basic = `Basic ${Buffer.from(':sandbox-test-token').toString('base64')}`;
    const answered = await heroku(sandbox(), 'GET', '/client/v11/apps/pg-proto/transfers', {
      token: null,
      headers: { Authorization: basic },
    });
    expect(answered.status).toBe(200);
    expect((await heroku(sandbox(), 'GET', '/client/v11/apps/pg-proto/transfers', { token: null })).status).toBe(401);
    const logged = sandbox()
      .requestLog()
      .filter((e) => e.path.startsWith('/client/v11'));
    expect(new Set(logged.map((e) => e.api))).toEqual(new Set(['heroku-postgres']));
  });
});
