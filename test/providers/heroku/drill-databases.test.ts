import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferWait } from '../../../src/model/drill-databases.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { herokuDrillDatabases } from '../../../src/providers/heroku/drill-databases.js';

// The drill's backups API over the Heroku Postgres API client: which backup is the newest
// completed one of the database, and the capture and restore requests with their waits.
const DATA = 'https://api.data.heroku.example';
const DATABASE = { id: '5ba2ba8b-07a9-4a65-a3a0-4c6b1c2f8c5e', name: 'postgresql-curved-12345', attachment: 'DATABASE' };
const TARGET = '9c0e6a1d-1d9a-4c36-8f0e-2b5b8a6e7f10';

afterEach(() => {
  nock.cleanAll();
});

const databases = () => herokuDrillDatabases(new HerokuClient({ baseUrl: DATA, token: 'tok', userAgent: 'test' }));

function transfer(num: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: `uuid-${num}`,
    num,
    from_name: DATABASE.name,
    from_type: 'pg_dump',
    to_name: 'BACKUP',
    to_type: 'gof3r',
    created_at: `2026-12-0${num} 02:00:00 +0000`,
    started_at: `2026-12-0${num} 02:00:01 +0000`,
    finished_at: `2026-12-0${num} 02:00:09 +0000`,
    succeeded: true,
    processed_bytes: 1000 * num,
    source_bytes: 5000 * num,
    schedule: null,
    ...over,
  };
}

function recordingWait(): TransferWait & { lines: string[] } {
  const lines: string[] = [];
  return { lines, now: () => 0, sleep: async () => {}, progress: (line) => lines.push(line) };
}

describe('the drill over the Heroku Postgres API', () => {
  it("takes the newest completed backup of the app's database, not of another one, not a failed or running one", async () => {
    nock(DATA)
      .get('/client/v11/apps/shop/transfers')
      .reply(200, [
        transfer(1),
        transfer(2, { from_name: 'DATABASE' }),
        transfer(3, { from_name: 'postgresql-other-999' }),
        transfer(4, { succeeded: false }),
        transfer(5, { finished_at: null }),
        transfer(6, { from_type: 'gof3r', to_type: 'pg_restore' }),
      ]);
    expect(await databases().newestBackup('shop', DATABASE)).toEqual({
      app: 'shop',
      name: 'b002',
      finishedAt: '2026-12-02T02:00:09.000Z',
      sourceBytes: 10_000,
    });
  });

  it('has no backup to offer when none completed', async () => {
    nock(DATA).get('/client/v11/apps/shop/transfers').reply(200, [transfer(1, { succeeded: false })]);
    expect(await databases().newestBackup('shop', DATABASE)).toBeUndefined();
  });

  it('captures a backup of the database and waits for it, saying when its status changes', async () => {
    nock(DATA)
      .post(`/client/v11/databases/${DATABASE.id}/backups`)
      .reply(201, transfer(7, { started_at: null, finished_at: null, succeeded: false }))
      .get('/client/v11/apps/shop/transfers/uuid-7')
      .times(2)
      .reply(200, transfer(7, { finished_at: null, succeeded: false }))
      .get('/client/v11/apps/shop/transfers/uuid-7')
      .reply(200, transfer(7));
    const wait = recordingWait();
    expect(await databases().capture('shop', DATABASE, wait)).toMatchObject({ app: 'shop', name: 'b007', sourceBytes: 35_000 });
    expect(wait.lines).toEqual([
      `capturing a backup of ${DATABASE.name}: b007 running`,
      `capturing a backup of ${DATABASE.name}: b007 completed`,
    ]);
  });

  it("restores from the backup's URL into the drill's database and reports the bytes processed", async () => {
    nock(DATA)
      .post('/client/v11/apps/shop/transfers/2/actions/public-url')
      .reply(201, { url: 'https://backups.example/b002?sig=x' })
      .post(`/client/v11/databases/${TARGET}/restores`, { backup_url: 'https://backups.example/b002?sig=x' })
      .reply(201, { uuid: 'uuid-r1' })
      .get('/client/v11/apps/shop-drill/transfers/uuid-r1')
      .reply(200, transfer(1, { uuid: 'uuid-r1', from_type: 'gof3r', to_type: 'pg_restore', processed_bytes: 4321 }));
    const backup = { app: 'shop', name: 'b002', finishedAt: '2026-12-02T02:00:09.000Z', sourceBytes: null };
    expect(await databases().restore(backup, { app: 'shop-drill', addonId: TARGET }, recordingWait())).toEqual({ bytes: 4321 });
  });
});
