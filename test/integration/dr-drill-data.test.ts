import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillIn, drillLeftovers } from '../helpers/drill.js';
import { NOTES_ENV, type NotesWorld, postgresBin, productionWithThreeNotes, psql, startNotesWorld } from '../helpers/notes-world.js';
import { cli } from '../helpers/cli.js';

// The data proves the recovery: rows written into production's real database (the sandbox's
// Postgres add-ons are real PostgreSQL databases where the machine has PostgreSQL), a backup
// captured, more rows written after it; then the drill's web process — production's own slug,
// on the drill's database — answers its health check with the row count of the backup, not of
// production now. Afterwards nothing of the drill is left.
describe.runIf(postgresBin !== undefined)('a drill of real data', () => {
  let world: NotesWorld;

  beforeAll(async () => {
    world = await startNotesWorld('daff-drill-data-');
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it("restores the backup's rows into the drill's database, where production's code reads them", async () => {
    const { sandbox, dir } = world;
    const url = await productionWithThreeNotes(world);
    const backup = await cli(['backups', 'production', '--capture', '--sandbox', sandbox.url], { cwd: dir, env: NOTES_ENV });
    expect(backup.code, backup.stderr).toBe(0);
    // Written after the backup: the drill must not see them.
    await psql(url, "INSERT INTO notes VALUES (4, 'late'), (5, 'later')");

    const drill = await drillIn(sandbox, { cwd: dir, env: NOTES_ENV, now: new Date() });
    expect(drill.code, drill.stderr).toBe(0);
    const report = JSON.parse(drill.stdout) as { health: { kind: string; answer: string }; database: { bytes: number | null }; outcome: string };
    expect(report.outcome).toBe('recovered');
    expect(report.health.kind).toBe('passed');
    expect(report.health.answer).toBe('HTTP 200: {"rows":3}');
    expect(report.database.bytes).toBeGreaterThan(0);
    expect(await psql(url, 'SELECT count(*) FROM notes')).toBe('5');
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 120_000);
});
