import { describe, expect, it } from 'vitest';
import { heroku, useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// Heroku Postgres backups end to end against the sandbox's Postgres API: a schedule declared in
// app.yaml is applied, read back (empty re-plan) and drift-checked; `backups --capture` takes one
// and lists it; schedules where Heroku takes none are refused at their app.yaml line.
const STRIPE = 'sk_test_backups_5c1e';
const QUICK = { ...QUICK_HEROKU, pgTransferStartMs: 0, pgTransferMs: 0 };

describe('Postgres backups against the sandbox', () => {
  const sandbox = useSandbox({ seed: 19, zones: ['daffeinated.com:enterprise'], heroku: QUICK });

  function productionDatabase() {
    const app = sandbox()
      .state()
      .heroku.apps.find((a) => a.name === 'daffeinated-production');
    return app?.addons.find((a) => a.service.name === 'heroku-postgresql');
  }

  it('applies the schedule app.yaml declares, re-plans empty, and sees a schedule changed by hand as drift', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const plan = await scenario.run(['plan', 'production']);
    expect(plan.stdout).toContain('+ heroku.backup-schedule[production/database]');
    const applied = await scenario.run(['apply', 'production', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(productionDatabase()?.backupSchedule).toMatchObject({
      hour: 2,
      timezone: 'Europe/Berlin',
      name: 'DATABASE_URL',
    });

    const replan = await scenario.run(['plan', 'production']);
    expect(replan.code, replan.stdout).toBe(0);
    expect(replan.stdout).toContain('No changes');
    const imported = await scenario.run(['import', '--app', 'daffeinated-production']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/backups:\s+schedule: "?02:00 Europe\/Berlin"?/);

    const database = productionDatabase();
    const moved = await heroku(sandbox(), 'POST', `/client/v11/databases/${database?.id}/transfer-schedules`, {
      body: { hour: '05', timezone: 'UTC', schedule_name: 'DATABASE_URL' },
    });
    expect(moved.status).toBe(201);
    const drift = await scenario.run(['drift', 'production']);
    expect(drift.code, drift.stdout).toBe(2);
    expect(drift.stdout).toContain('heroku.backup-schedule[production/database]');
    expect(drift.stdout).toContain('05:00 UTC');

    expect((await scenario.run(['apply', 'production', '--yes'])).code).toBe(0);
    expect(productionDatabase()?.backupSchedule).toMatchObject({ hour: 2, timezone: 'Europe/Berlin' });
    // One schedule per database: the POST replaced it in place.
    expect(productionDatabase()?.backupSchedule?.uuid).toBe(database?.backupSchedule?.uuid);
  });

  it('removes a schedule made by hand when app.yaml says off', async () => {
    const yaml = REFERENCE_YAML.replace('backups: { schedule: "02:00 Europe/Berlin" }', 'backups: { schedule: "off" }');
    const scenario = new Scenario(sandbox, yaml, { STRIPE_KEY: STRIPE });
    expect((await scenario.run(['apply', 'production', '--yes'])).code).toBe(0);
    const database = productionDatabase();
    await heroku(sandbox(), 'POST', `/client/v11/databases/${database?.id}/transfer-schedules`, {
      body: { hour: 3, timezone: 'UTC' },
    });
    const plan = await scenario.run(['plan', 'production']);
    expect(plan.stdout).toMatch(/~ heroku\.backup-schedule\[production\/database\][\s\S]*03:00 UTC[\s\S]*off/);
    expect((await scenario.run(['apply', 'production', '--yes'])).code).toBe(0);
    expect(productionDatabase()?.backupSchedule ?? null).toBeNull();
  });

  it('captures a backup with progress, then lists it in human and JSON form', async () => {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    expect((await scenario.run(['apply', 'staging', '--yes'])).code).toBe(0);
    const captured = await scenario.run(['backups', 'staging', '--capture']);
    expect(captured.code, captured.stderr).toBe(0);
    expect(captured.stderr).toMatch(/Backed up DATABASE of daffeinated-staging to b001 \(\d+\.\d+ kB\)/);
    expect(captured.stdout).toMatch(/b001 +\S+ +completed +\d+\.\d+ kB +manual/);

    const listed = await scenario.run(['backups', 'staging', '--format', 'json']);
    const body = JSON.parse(listed.stdout) as {
      kind: string;
      database: { plan: string };
      backups: { id: string; status: string; bytes: number }[];
    };
    expect(body.kind).toBe('backups');
    expect(body.database.plan).toBe('heroku-postgresql:essential-0');
    expect(body.backups).toHaveLength(1);
    expect(body.backups[0]).toMatchObject({ id: 'b001', status: 'completed' });
    // No PostgreSQL behind this sandbox: the transfer says it kept metadata only.
    const transfer = sandbox()
      .state()
      .heroku.apps.find((a) => a.name === 'daffeinated-staging')?.pgTransfers?.[0];
    expect(transfer?.data).toBe('metadata only');
  });

  it('refuses a schedule on an add-on that is not Heroku Postgres, at its app.yaml line, before any call', async () => {
    const yaml = REFERENCE_YAML.replace(
      'cache: { plan: "heroku-redis:premium-0" }',
      'cache: { plan: "heroku-redis:premium-0", backups: { schedule: "03:00 UTC" } }',
    );
    const scenario = new Scenario(sandbox, yaml, { STRIPE_KEY: STRIPE });
    sandbox().resetLog();
    const refused = await scenario.run(['plan', 'production']);
    const line = yaml.split('\n').findIndex((l) => l.includes('heroku-redis:premium-0')) + 1;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`app.yaml:${line}:`);
    expect(refused.stderr).toContain('add-on "cache" (heroku-redis:premium-0) cannot have backups');
    expect(sandbox().requestLog()).toEqual([]);
  });

  it('refuses a schedule on a plan of no tier that takes one, and a time zone that does not exist, offline', async () => {
    const yaml = REFERENCE_YAML.replace(
      'database: { plan: "heroku-postgresql:standard-0", backups: { schedule: "02:00 Europe/Berlin" } }',
      'database: { plan: "heroku-postgresql:dev", backups: { schedule: "02:00 Europe/Berlin" } }',
    );
    const scenario = new Scenario(sandbox, yaml);
    const refused = await scenario.run(['validate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add-on "database" is on heroku-postgresql:dev, which takes no backup schedule');

    const zone = new Scenario(sandbox, REFERENCE_YAML.replace('02:00 Europe/Berlin', '02:00 Europe/Atlantis'));
    const bad = await zone.run(['validate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"Europe/Atlantis" is not a time zone');
  });
});
