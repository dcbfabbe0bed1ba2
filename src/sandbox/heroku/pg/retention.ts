import { type LocalDay, localDay } from './schedule-times.js';

/**
 * Which scheduled backups of a database Heroku keeps (Dev Center "Heroku PGBackups", scheduled
 * backups retention limits: "a daily backup is retained for the last 7 days … A weekly backup
 * means that only one backup is saved over a 7 day period. A monthly backup means that only 1
 * backup is saved over the course of a month"; weeks and months kept by plan). Pure.
 *
 * Read strictly where the page is silent: periods are calendar days, ISO weeks (Monday first) and
 * calendar months in the schedule's zone, counted back from now (today is the first of the 7
 * days), and each period keeps its newest successful backup. So a backup is kept only while it is
 * the newest of a period still inside one of the windows; one that is not goes at once.
 */
export interface Retention {
  readonly dailyKept: number;
  readonly weeklyKept: number;
  readonly monthlyKept: number;
}

export interface DatedBackup {
  readonly id: string;
  /** When it was taken (epoch ms). */
  readonly atMs: number;
}

/** The ids of `backups` to keep at `nowMs`; every other one expires. */
export function keptBackups(
  backups: readonly DatedBackup[],
  nowMs: number,
  zone: string,
  retention: Retention,
): Set<string> {
  const kept = new Set<string>();
  const today = localDay(nowMs, zone);
  const periods: readonly [number, (day: LocalDay) => number][] = [
    [retention.dailyKept, (day) => day],
    [retention.weeklyKept, isoWeek],
    [retention.monthlyKept, month],
  ];
  for (const [count, period] of periods) {
    const current = period(today);
    const newest = new Map<number, DatedBackup>();
    for (const backup of backups) {
      const index = period(localDay(backup.atMs, zone));
      if (current - index >= count || index > current) continue;
      const known = newest.get(index);
      if (known === undefined || backup.atMs > known.atMs) newest.set(index, backup);
    }
    for (const backup of newest.values()) kept.add(backup.id);
  }
  return kept;
}

/** Weeks since the Monday before 1970-01-01 (a Thursday, day 0). */
function isoWeek(day: LocalDay): number {
  return Math.floor((day + 3) / 7);
}

function month(day: LocalDay): number {
  const date = new Date(day * 86_400_000);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}
