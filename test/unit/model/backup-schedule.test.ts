import { describe, expect, it } from 'vitest';
import { backupScheduleProblem, parseBackupSchedule } from '../../../src/model/backup-schedule.js';

describe('parseBackupSchedule', () => {
  it('reads an hour and a canonical zone, UTC, or off', () => {
    expect(parseBackupSchedule('02:00 Europe/Berlin')).toEqual({ hour: 2, timezone: 'Europe/Berlin' });
    expect(parseBackupSchedule(' 23:00 UTC ')).toEqual({ hour: 23, timezone: 'UTC' });
    expect(parseBackupSchedule('off')).toBe('off');
  });

  it('takes a zone the runtime knows by another name (an alias outside its canonical list)', () => {
    const canonical = new Set(Intl.supportedValuesOf('timeZone'));
    const alias = ['Asia/Kolkata', 'Asia/Calcutta'].find((zone) => !canonical.has(zone)) as string;
    expect(parseBackupSchedule(`04:00 ${alias}`)).toEqual({ hour: 4, timezone: alias });
  });

  it('refuses an unknown zone, a malformed one and an hour not on the hour', () => {
    expect(parseBackupSchedule('02:00 Europe/Berln')).toBeUndefined();
    expect(parseBackupSchedule('02:00 Berlin')).toBeUndefined();
    expect(parseBackupSchedule('02:30 Europe/Berlin')).toBeUndefined();
    expect(backupScheduleProblem('02:00 Europe/Berln')).toBe('"Europe/Berln" is not a time zone: use a tz database name such as Europe/Berlin, or UTC');
  });
});
