import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { PollOptions } from '../../../src/providers/heroku/apply-support.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import {
  backupUrl,
  captureBackup,
  deleteSchedule,
  getTransfer,
  listBackups,
  listSchedules,
  putSchedule,
  restoreBackup,
  type TransferProgress,
} from '../../../src/providers/heroku/postgres-api.js';
import { ProviderError } from '../../../src/runtime/errors.js';

// The Heroku Postgres API client against recorded answers of the shapes the official CLI reads
// (heroku/cli src/lib/pg/types.ts): paths, bodies, the wait and its progress, and failures.
const DATA = 'https://api.data.heroku.example';
const ADDON = '5ba2ba8b-07a9-4a65-a3a0-4c6b1c2f8c5e';

afterEach(() => {
  nock.cleanAll();
});

function client(): HerokuClient {
  return new HerokuClient({ baseUrl: DATA, token: 'tok', userAgent: 'test' });
}

const instant: PollOptions = { sleep: async () => {}, now: () => 0, firstDelayMs: 1, maxDelayMs: 1, timeoutMs: 60_000 };

function transfer(num: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: `uuid-${num}`,
    num,
    from_name: 'DATABASE',
    from_type: 'pg_dump',
    to_name: 'BACKUP',
    to_type: 'gof3r',
    created_at: `2026-12-0${num} 02:00:00 +0000`,
    started_at: `2026-12-0${num} 02:00:01 +0000`,
    finished_at: `2026-12-0${num} 02:00:09 +0000`,
    succeeded: true,
    processed_bytes: 1000 * num,
    schedule: null,
    ...over,
  };
}

describe('Heroku Postgres API client', () => {
  it('lists backups newest first, leaving restores and copies out', async () => {
    nock(DATA)
      .get('/client/v11/apps/demo/transfers')
      .reply(200, [
        transfer(1),
        transfer(3, { schedule: { uuid: 's' } }),
        transfer(2, { from_type: 'gof3r', to_type: 'pg_restore' }),
      ]);
    const backups = await listBackups(client(), 'demo');
    expect(backups.map((b) => b.num)).toEqual([3, 1]);
  });

  it('captures with the token as a bearer and waits, reporting each poll', async () => {
    const scope = nock(DATA, { reqheaders: { authorization: 'Bearer tok' } })
      .post(`/client/v11/databases/${ADDON}/backups`)
      .reply(201, transfer(4, { started_at: null, finished_at: null, succeeded: false, processed_bytes: 0 }))
      .get('/client/v11/apps/demo/transfers/uuid-4')
      .reply(200, transfer(4, { finished_at: null, succeeded: false, processed_bytes: 10 }))
      .get('/client/v11/apps/demo/transfers/uuid-4')
      .reply(200, transfer(4));
    const seen: TransferProgress[] = [];
    const done = await captureBackup(
      client(),
      { app: 'demo', addonId: ADDON },
      { poll: instant, onProgress: (p) => seen.push(p) },
    );
    expect(done.processed_bytes).toBe(4000);
    expect(seen).toEqual([
      { id: 'b004', status: 'running', processedBytes: 10 },
      { id: 'b004', status: 'completed', processedBytes: 4000 },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('says which transfer failed, with its last log line', async () => {
    nock(DATA)
      .post(`/client/v11/databases/${ADDON}/restores`, { backup_url: 'https://storage.example/b004' })
      .reply(201, { uuid: 'uuid-5' })
      .get('/client/v11/apps/demo/transfers/uuid-5')
      .reply(
        200,
        transfer(5, {
          from_type: 'gof3r',
          to_type: 'pg_restore',
          succeeded: false,
          logs: [{ created_at: 'x', message: 'pg_restore: error' }],
        }),
      );
    const error = await restoreBackup(
      client(),
      { app: 'demo', addonId: ADDON, backupUrl: 'https://storage.example/b004' },
      { poll: instant },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe('r005 of demo failed: pg_restore: error');
  });

  it('gives up waiting past the timeout, saying the transfer keeps running', async () => {
    let now = 0;
    const sleep = async (ms: number) => {
      now += ms;
    };
    const poll: PollOptions = { sleep, now: () => now, firstDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 2500 };
    nock(DATA)
      .get('/client/v11/apps/demo/transfers/uuid-6')
      .times(5)
      .reply(200, transfer(6, { finished_at: null, succeeded: false }));
    const error = await captureBackupWait(poll);
    expect((error as ProviderError).message).toBe('b006 of demo is still running after 3 s');
  });

  it('reads one transfer by its CLI name and fetches a backup URL by number', async () => {
    nock(DATA)
      .get('/client/v11/apps/demo/transfers/7')
      .reply(200, transfer(7))
      .post('/client/v11/apps/demo/transfers/7/actions/public-url')
      .reply(200, { url: 'https://storage.example/b007?sig=1', expires_at: '2026-12-07 03:00:00 +0000' });
    expect((await getTransfer(client(), 'demo', 'b007')).uuid).toBe('uuid-7');
    expect(await backupUrl(client(), 'demo', 'b007')).toBe('https://storage.example/b007?sig=1');
  });

  it('resends the backup URL after a server error: it changes nothing', async () => {
    nock(DATA)
      .post('/client/v11/apps/demo/transfers/7/actions/public-url')
      .reply(503, { id: 'unavailable', message: 'try again' })
      .post('/client/v11/apps/demo/transfers/7/actions/public-url')
      .reply(200, { url: 'https://storage.example/b007?sig=2', expires_at: '2026-12-07 03:00:00 +0000' });
    const pg = new HerokuClient({ baseUrl: DATA, token: 'tok', userAgent: 'test', sleep: async () => {} });
    expect(await backupUrl(pg, 'demo', 7)).toBe('https://storage.example/b007?sig=2');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('puts, lists and deletes schedules with the CLI body, reading the hour in either form', async () => {
    nock(DATA)
      .post(`/client/v11/databases/${ADDON}/transfer-schedules`, {
        hour: '02',
        timezone: 'Europe/Berlin',
        schedule_name: 'DATABASE_URL',
      })
      .reply(201, {
        uuid: 'sch',
        name: 'DATABASE_URL',
        hour: 2,
        timezone: 'Europe/Berlin',
        retain_weeks: 4,
        retain_months: 0,
      })
      .get(`/client/v11/databases/${ADDON}/transfer-schedules`)
      .reply(200, [{ uuid: 'sch', name: 'DATABASE_URL', hour: '02', timezone: 'Europe/Berlin' }])
      .delete(`/client/v11/databases/${ADDON}/transfer-schedules/sch`)
      .reply(200, {});
    const put = await putSchedule(client(), ADDON, { hour: 2, timezone: 'Europe/Berlin', name: 'DATABASE_URL' });
    expect(put.hour).toBe(2);
    expect((await listSchedules(client(), ADDON)).map((s) => [s.hour, s.timezone])).toEqual([[2, 'Europe/Berlin']]);
    await deleteSchedule(client(), ADDON, 'sch');
  });

  it('refuses a schedule whose hour is not 0–23', async () => {
    nock(DATA)
      .get(`/client/v11/databases/${ADDON}/transfer-schedules`)
      .reply(200, [{ uuid: 'sch', name: 'DATABASE_URL', hour: '25', timezone: 'UTC' }]);
    await expect(listSchedules(client(), ADDON)).rejects.toThrow(/hour that is not 0–23 \("25"\)/);
  });
});

async function captureBackupWait(poll: PollOptions): Promise<unknown> {
  nock(DATA)
    .post(`/client/v11/databases/${ADDON}/backups`)
    .reply(201, transfer(6, { started_at: null, finished_at: null, succeeded: false }));
  return captureBackup(client(), { app: 'demo', addonId: ADDON }, { poll }).catch((e: unknown) => e);
}
