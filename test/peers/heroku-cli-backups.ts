import type { Check } from './heroku-cli-everyday.js';

/**
 * `pg:backups` on an app daffeinated deployed with a backup schedule (config/app.yaml:
 * production's standard-0 database at 02:00 Europe/Berlin): list the schedule daffeinated set,
 * capture a backup (the CLI reads the database's info first and warns, as on Heroku, because
 * Standard databases have Continuous Protection), list and inspect it, set the schedule again as
 * a user would; then a night passes on the sandbox's clock and the backup the schedule takes is
 * listed as `a…`, shown as Scheduled and given a signed URL; last, the database's info.
 */
export function backupChecks(app: string, passNight: () => void): Check[] {
  // biome-ignore format: one command per line reads as a script
  return [
    { args: ['pg:backups:schedules', '-a', app], expect: ['DATABASE_URL: daily at 2:00 Europe/Berlin'] },
    { args: ['pg:backups:capture', '-a', app], expect: ['Continuous protection is already enabled', 'Backing up DATABASE to b001', 'done'] },
    { args: ['pg:backups', '-a', app], expect: ['b001', 'Completed', 'DATABASE'] },
    { args: ['pg:backups:info', 'b001', '-a', app], expect: ['b001', 'DATABASE', 'Completed'] },
    { args: ['pg:backups:schedule', '--at', '02:00 Europe/Berlin', '-a', app], expect: ['Scheduling automatic daily backups', '02:00 Europe/Berlin', 'done'] },
    { args: ['pg:backups:schedules', '-a', app], expect: ['DATABASE_URL: daily at 2:00 Europe/Berlin'] },
    { before: async () => passNight(), args: ['pg:backups', '-a', app], expect: ['a002', 'b001', 'Completed'] },
    { args: ['pg:backups:info', 'a002', '-a', app], expect: ['a002', 'Type', 'Scheduled'] },
    { args: ['pg:backups:url', 'a002', '-a', app], expect: ['/__sandbox/pg-backups/', 'Signature='] },
    { args: ['pg:info', '-a', app], expect: ['Standard 0', 'Continuous Protection: On', 'Add-on:'] },
  ];
}
