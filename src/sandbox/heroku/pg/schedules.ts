import { postgresBackupFacts, SCHEDULED_BACKUP_TIERS } from '../../../facts/heroku-postgres-backups.js';
import { json } from '../../http.js';
import type { World } from '../../world.js';
import type { AddonRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { HerokuError, notFound } from '../protocol/errors.js';
import type { PgScheduleRecord } from './records.js';
import { conflict, databaseOf } from './transfers.js';

/**
 * Transfer schedules: one per database (a POST replaces it, keeping its uuid, as
 * terraform-provider-herokux relies on), `{hour, timezone, schedule_name}` as `pg:backups:schedule`
 * sends it; the hour 0–23 as a number or a string, the zone a tz database name or `UTC`. A plan of
 * no tier known to take schedules is refused (facts/heroku-postgres-backups.ts). The sandbox takes
 * the nightly backups itself (scheduled-backups.ts).
 */
export function registerSchedules(router: HerokuRouter): void {
  router.add('GET', '/client/v11/databases/:addon/transfer-schedules', {
    handler: (ctx) => {
      const { addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      return json(200, addon.backupSchedule ? [scheduleJson(addon, addon.backupSchedule)] : []);
    },
  });
  router.add('POST', '/client/v11/databases/:addon/transfer-schedules', {
    handler: (ctx) => {
      const { addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      const facts = postgresBackupFacts(addon.plan.name);
      if (facts?.schedules !== true)
        throw conflict(
          `${addon.plan.name} databases take no backup schedule; scheduled backups are for the ${SCHEDULED_BACKUP_TIERS} tiers.`,
        );
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      const schedule = upsert(
        ctx.world,
        addon,
        parseHour(body['hour']),
        parseZone(body['timezone']),
        body['schedule_name'],
      );
      return json(201, scheduleJson(addon, schedule));
    },
  });
  router.add('DELETE', '/client/v11/databases/:addon/transfer-schedules/:uuid', {
    handler: (ctx) => {
      const { addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      const schedule = addon.backupSchedule;
      if (!schedule || schedule.uuid !== (ctx.params['uuid'] as string).toLowerCase())
        throw notFound('transfer schedule');
      addon.backupSchedule = null;
      return json(200, scheduleJson(addon, schedule));
    },
  });
}

function upsert(world: World, addon: AddonRecord, hour: number, timezone: string, name: unknown): PgScheduleRecord {
  const now = world.now();
  const current = addon.backupSchedule;
  const schedule: PgScheduleRecord = {
    uuid: current?.uuid ?? world.ids.uuid(),
    name: typeof name === 'string' && name !== '' ? name : `${addon.attachment.name}_URL`,
    hour,
    timezone,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    ...(current?.lastRunAt === undefined ? {} : { lastRunAt: current.lastRunAt }),
  };
  addon.backupSchedule = schedule;
  return schedule;
}

function parseHour(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 23) return n;
  throw badRequest(`hour must be 0–23, not ${JSON.stringify(raw)}.`);
}

function parseZone(raw: unknown): string {
  if (raw === undefined || raw === '') return 'UTC';
  if (typeof raw === 'string' && (raw === 'UTC' || /^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(raw))) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: raw });
      return raw;
    } catch {
      // Falls through to the refusal.
    }
  }
  throw badRequest(`timezone must be a tz database name such as America/New_York, not ${JSON.stringify(raw)}.`);
}

/** The CLI's own test of a bad zone answers 400 `bad_request` (heroku/cli schedule.unit.test.ts). */
function badRequest(message: string): HerokuError {
  return new HerokuError(400, 'bad_request', message);
}

function scheduleJson(addon: AddonRecord, s: PgScheduleRecord): Record<string, unknown> {
  const facts = postgresBackupFacts(addon.plan.name);
  return {
    uuid: s.uuid,
    name: s.name,
    hour: s.hour,
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    timezone: s.timezone,
    retain_weeks: facts?.weeklyKept ?? 0,
    retain_months: facts?.monthlyKept ?? 0,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    deleted_at: null,
  };
}
