/**
 * A Postgres add-on's daily backup schedule as app.yaml writes it: `"02:00 Europe/Berlin"` (an
 * hour on the hour, then an IANA time zone or `UTC`), or `off` for none. Heroku schedules by the
 * hour (`pg:backups:schedule --at '[HOUR]:00 [TIMEZONE]'`) and takes full tz database names.
 */
export type BackupSchedule = { readonly hour: number; readonly timezone: string } | 'off';

const FORM = /^([01]?\d|2[0-3]):00\s+(\S+)$/;

/** The schedule `text` declares; undefined when it is neither `off` nor an hour and a known zone. */
export function parseBackupSchedule(text: string): BackupSchedule | undefined {
  if (text.trim() === 'off') return 'off';
  const m = FORM.exec(text.trim());
  if (m === null) return undefined;
  const timezone = m[2] as string;
  return isTimeZone(timezone) ? { hour: Number(m[1]), timezone } : undefined;
}

/** Why `text` is no schedule, for the message. */
export function backupScheduleProblem(text: string): string {
  const m = FORM.exec(text.trim());
  if (m === null)
    return `${JSON.stringify(text)} is not a backup schedule: write "HH:00 Zone" (e.g. "02:00 Europe/Berlin") or off`;
  return `${JSON.stringify(m[2])} is not a time zone: use a tz database name such as Europe/Berlin, or UTC`;
}

/** The schedule as app.yaml and the plan show it: `02:00 Europe/Berlin`. */
export function formatBackupSchedule(schedule: { readonly hour: number; readonly timezone: string }): string {
  return `${String(schedule.hour).padStart(2, '0')}:00 ${schedule.timezone}`;
}

let canonicalZones: ReadonlySet<string> | undefined;

/**
 * A tz database name (`Region/City`, or `UTC`) the runtime's time zone data knows. The runtime's
 * list of canonical zones answers most names (a few ms, once); only a name outside it (an alias
 * such as Asia/Kolkata, or a typo) costs a `DateTimeFormat`, whose first one loads the locale's
 * date formats (~60 ms). Both ways accept the same names.
 */
function isTimeZone(name: string): boolean {
  if (name === 'UTC') return true;
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(name)) return false;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
