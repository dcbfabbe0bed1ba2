import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import type { AddonRecord, AppRecord } from '../model/state.js';
import type { PgScheduleRecord } from './records.js';
import { lastRunAtOrBefore, nextRunAfter } from './schedule-times.js';
import { startTransfer } from './transfers.js';

/**
 * The nightly backups of a schedule, taken by the sandbox itself as Heroku takes them server-side:
 * a backup transfer with the schedule's uuid (so the CLI names it `a…` and `pg:backups:info` says
 * `Type: Scheduled`), created at the scheduled time, then run like a manual capture (a real
 * `pg_dump` when databases are real) and kept by the plan's scheduled retention (transfers.ts).
 *
 * Catching up: the sandbox only acts when it handles a request, and the in-process sandbox of the
 * CLI runs only while a command does. When its clock has passed several scheduled times since the
 * schedule last ran (or was set), it takes one backup, at the latest of them, and says in the
 * backup's log that the earlier ones were missed. One, because a dump can only read the database
 * as it is now: a backup per missed night would be copies of one state under different dates,
 * and would push genuinely older backups out of the retention windows. While the sandbox does not
 * run, neither does its PostgreSQL server, so nothing has written to the database since the latest
 * missed time: the one catch-up holds what a backup taken then would have held.
 */

/** The scheduled time of the backup due at `nowMs`, if one is: the latest time since the schedule last ran or was set. */
export function scheduledRunDue(schedule: PgScheduleRecord, nowMs: number): number | undefined {
  const latest = lastRunAtOrBefore(nowMs, schedule.hour, schedule.timezone);
  return latest > scheduleBase(schedule) ? latest : undefined;
}

/** Whether any schedule of the state has a backup due now (the server must then be up for the first request). */
export function scheduledBackupDue(world: World): boolean {
  const now = world.clock().getTime();
  return world.state.heroku.apps.some((app) =>
    app.addons.some(
      (addon) => addon.backupSchedule != null && scheduledRunDue(addon.backupSchedule, now) !== undefined,
    ),
  );
}

/** Starts the scheduled backup of `addon` due at `at` (scheduledRunDue) and marks the schedule as run. */
export function takeScheduledBackup(
  world: World,
  app: AppRecord,
  addon: AddonRecord,
  schedule: PgScheduleRecord,
  at: number,
): void {
  const firstMissed = nextRunAfter(scheduleBase(schedule), schedule.hour, schedule.timezone);
  schedule.lastRunAt = isoSeconds(new Date(at));
  const transfer = startTransfer(world, app, {
    kind: 'backup',
    addon,
    fromName: addon.attachment.name,
    toName: 'BACKUP',
    source: null,
    scheduleUuid: schedule.uuid,
    atMs: at,
  });
  const hour = `${String(schedule.hour).padStart(2, '0')}:00 ${schedule.timezone}`;
  const lines = [`scheduled backup (daily at ${hour})`];
  if (firstMissed < at)
    lines.push(
      `the scheduled times from ${isoSeconds(new Date(firstMissed))} until this one passed while the sandbox handled no request: one backup catches up`,
    );
  transfer.logs.unshift(...lines.map((message) => ({ createdAt: transfer.createdAt, message })));
}

/** Since when the schedule has run: its last run, or when it was last set, whichever is later. */
function scheduleBase(schedule: PgScheduleRecord): number {
  const set = Date.parse(schedule.updatedAt);
  return schedule.lastRunAt === undefined ? set : Math.max(set, Date.parse(schedule.lastRunAt));
}
