import { postgresBackupFacts, SCHEDULED_BACKUP_TIERS } from '../../facts/heroku-postgres-backups.js';
import { formatBackupSchedule } from '../../model/backup-schedule.js';
import type { EnvironmentConfig } from '../../model/config.js';
import { makeAddress, type Resource } from '../../model/resource.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { located } from './desired-extras.js';

/** What app.yaml's `backups:` of an environment's add-ons asks for. */
export interface DesiredBackups {
  readonly resources: Resource[];
  readonly diagnostics: Diagnostic[];
}

/** The `at` of a database without a schedule. */
export const NO_SCHEDULE = 'off';

/**
 * `heroku.backup-schedule[env/<add-on>]` for each add-on declaring `backups.schedule`, after its
 * add-on; attribute `at`: `02:00 Europe/Berlin`, or `off` (no schedule: one made by hand is
 * removed). Only these add-ons have their schedule read (read-backups.ts): an add-on without
 * `backups:` keeps whatever schedule it has. Refused before any API call, at the app.yaml line:
 * `backups` on an add-on that is not Heroku Postgres, or a schedule on a plan of no tier known to
 * take one (facts/heroku-postgres-backups.ts). Pure.
 */
export function desiredBackups(environment: EnvironmentConfig): DesiredBackups {
  const out: DesiredBackups = { resources: [], diagnostics: [] };
  for (const [local, addon] of Object.entries(environment.addons)) {
    const schedule = addon.backupSchedule;
    if (schedule === undefined) continue;
    const path = `addons.${local}.backups.schedule`;
    const where = environment.sources[path] ?? environment.sources[`addons.${local}`];
    const refuse = (message: string, hint: string) =>
      out.diagnostics.push({
        severity: 'error',
        message,
        path: `environments.${environment.name}.${path}`,
        ...(where ?? {}),
        hint,
      });
    if (addon.service !== 'heroku-postgresql') {
      refuse(
        `add-on "${local}" (${addon.plan}) cannot have backups: scheduled backups are a Heroku Postgres feature`,
        `remove backups from addons.${local}`,
      );
      continue;
    }
    if (schedule !== 'off' && postgresBackupFacts(addon.plan)?.schedules !== true) {
      refuse(
        `add-on "${local}" is on ${addon.plan}, which takes no backup schedule (Heroku schedules backups on the ${SCHEDULED_BACKUP_TIERS} tiers)`,
        `choose a plan of one of those tiers (e.g. heroku-postgresql:essential-0), or remove backups from addons.${local}`,
      );
      continue;
    }
    out.resources.push({
      address: makeAddress('heroku.backup-schedule', environment.name, local),
      provider: 'heroku',
      kind: 'heroku.backup-schedule',
      scope: environment.name,
      attributes: { at: schedule === 'off' ? NO_SCHEDULE : formatBackupSchedule(schedule) },
      sensitive: [],
      dependsOn: [makeAddress('heroku.addon', environment.name, local)],
      ...located(environment, `addons.${local}.backups`, { at: path }),
    });
  }
  return out;
}
