import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';
import { drillIn, drillLeftovers, postgresRequests } from '../helpers/drill.js';
import { NOTES_ENV, type NotesWorld, postgresBin, productionWithThreeNotes, psql, startNotesWorld } from '../helpers/notes-world.js';
import { heroku } from '../helpers/sandbox.js';

// The nightly backup the schedule in app.yaml asks for, taken by the sandbox itself: its clock
// (injected, running from the spring-forward night in Berlin) passes 02:00 Europe/Berlin, which
// that night is 03:00 CEST, and the sandbox dumps production's real database as a scheduled
// backup (`a…`). `daffeinated backups` lists it, its signed URL downloads the pg_dump archive,
// and `dr-drill` without --capture restores it: the drill's web process counts the backup's rows,
// not the ones written after it. Reopened three nights later, it catches up with one backup.
// Runs where the machine has PostgreSQL, as the other drill tests (helpers/notes-world.ts).

/** 00:00 in Berlin on 29 March 2026, when the clocks go from 02:00 CET to 03:00 CEST. */
const START = Date.parse('2026-03-28T23:00:00Z');
const RUN = '2026-03-29T01:00:00Z';

interface Transfer {
  num: number;
  uuid: string;
  created_at: string;
  succeeded: boolean;
  finished_at: string | null;
  to_url: string | null;
  schedule: { uuid: string } | null;
}

describe.runIf(postgresBin !== undefined)('a scheduled backup taken by the sandbox', () => {
  let world: NotesWorld;
  const began = Date.now();
  let shift = 0;
  const clock = () => new Date(START + (Date.now() - began) + shift);

  beforeAll(async () => {
    world = await startNotesWorld('daff-pg-nightly-', {
      database: ', backups: { schedule: "02:00 Europe/Berlin" }',
      sandbox: { clock },
    });
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it('is listed by `backups`, downloads by its signed URL, and is what `dr-drill` restores', async () => {
    const { sandbox, dir } = world;
    const url = await productionWithThreeNotes(world);
    const transfers = async () =>
      (await heroku<Transfer[]>(sandbox, 'GET', '/client/v11/apps/notes-production/transfers')).body;
    expect(await transfers()).toEqual([]);

    // The night passes: the sandbox's next request sees 03:00 CEST gone by and takes the backup.
    shift = 2 * 3_600_000;
    const requestsBefore = sandbox.requestLog().length;
    const backup = await vi.waitFor(
      async () => {
        const [found] = await transfers();
        if (found?.finished_at == null) throw new Error('the scheduled backup has not finished yet');
        return found;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(backup).toMatchObject({ num: 1, created_at: RUN, succeeded: true, schedule: { uuid: expect.any(String) } });
    // Nobody asked for it: no capture request reached the Postgres API.
    expect(postgresRequests(sandbox, requestsBefore)).toEqual([]);

    const listed = await cli(['backups', 'production', '--sandbox', sandbox.url], { cwd: dir, env: NOTES_ENV });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/a001\s+2026-03-29.*completed.*scheduled/);

    const unsigned = await fetch(backup.to_url as string);
    expect(unsigned.status).toBe(403);
    const publicUrl = await heroku<{ url: string }>(
      sandbox,
      'POST',
      '/client/v11/apps/notes-production/transfers/1/actions/public-url',
    );
    const download = await fetch(publicUrl.body.url);
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('PGDMP');

    // Written after the backup: the drill must not see them.
    await psql(url, "INSERT INTO notes VALUES (4, 'late'), (5, 'later')");
    const drill = await drillIn(sandbox, { cwd: dir, env: NOTES_ENV, now: clock() });
    expect(drill.code, drill.stderr).toBe(0);
    const report = JSON.parse(drill.stdout) as {
      backup: { name: string; captured: boolean };
      health: { answer: string };
      outcome: string;
    };
    expect(report.outcome).toBe('recovered');
    expect(report.backup).toMatchObject({ name: 'a001', captured: false });
    expect(report.health.answer).toBe('HTTP 200: {"rows":3}');
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 180_000);

  it('catches up with one backup of the real database when reopened three nights later', async () => {
    shift += 3 * 86_400_000;
    const sandbox = await world.reopen({ clock, heroku: { pgTransferStartMs: 0 } });
    // The first request takes it: the sandbox waited for its PostgreSQL, so the dump finds the database.
    const backups = await vi.waitFor(
      async () => {
        const list = (await heroku<Transfer[]>(sandbox, 'GET', '/client/v11/apps/notes-production/transfers')).body;
        const scheduled = list.filter((t) => t.schedule !== null);
        if (scheduled.some((t) => t.finished_at === null)) throw new Error('the catch-up backup has not finished yet');
        return scheduled;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(backups.map((b) => [b.created_at, b.succeeded])).toEqual([
      [RUN, true],
      ['2026-04-01T00:00:00Z', true],
    ]);
  }, 60_000);
});
