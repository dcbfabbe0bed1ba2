import { scheduledRunDue, takeScheduledBackup } from '../pg/scheduled-backups.js';
import type { TimedWork } from './work.js';

/**
 * Backup schedules (pg/scheduled-backups.ts): a provisioned Postgres add-on's schedule starts a
 * scheduled backup once the clock has passed its hour in its zone; after a gap, one for the latest
 * time passed.
 */
export const scheduledBackups: TimedWork = {
  scope: 'app',
  name: 'scheduled Postgres backups',
  *due(world, app) {
    const now = world.clock().getTime();
    for (const addon of app.addons) {
      const schedule = addon.backupSchedule;
      if (schedule == null || addon.state !== 'provisioned' || addon.service.name !== 'heroku-postgresql') continue;
      const at = scheduledRunDue(schedule, now);
      if (at !== undefined) yield { at, run: () => takeScheduledBackup(world, app, addon, schedule, at) };
    }
  },
};
