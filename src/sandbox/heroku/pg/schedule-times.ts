/**
 * When a daily backup schedule (`{hour, timezone}`, as `pg:backups:schedule --at '02:00
 * Europe/Berlin'` sets it) fires, as epoch milliseconds. Pure: the zone's rules come from the
 * runtime's tz data (Intl), so daylight saving time is the zone's own.
 *
 * A day's run is the first instant whose local wall clock reads `hour:00` on that date or later:
 * when the clocks go back and `hour:00` happens twice, the first; when they spring forward over
 * it (Europe/Berlin's 02:00 on the last Sunday of March), the instant the clocks jump (03:00
 * CEST), so each local date has exactly one run. Heroku documents neither case.
 */
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** A local calendar date as days since 1970-01-01 (its UTC midnight over a day). */
export type LocalDay = number;

interface Wall {
  readonly day: LocalDay;
  /** The local wall clock as if it were UTC: `Date.UTC(y, m, d, h, min, s)`. */
  readonly ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let known = formatters.get(zone);
  if (known === undefined) {
    known = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, known);
  }
  return known;
}

/** The local wall clock in `zone` at instant `ms`. */
function wallAt(ms: number, zone: string): Wall {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const midnight = Date.UTC(year, month - 1, day);
  return { day: midnight / DAY_MS, ms: midnight + ((hour * 60 + minute) * 60 + second) * 1000 + (ms % 1000) };
}

/** The local date of instant `ms` in `zone`. */
export function localDay(ms: number, zone: string): LocalDay {
  return wallAt(ms, zone).day;
}

/** The instant the schedule runs on local date `day`. */
export function runOn(day: LocalDay, hour: number, zone: string): number {
  const wall = day * DAY_MS + hour * 3_600_000;
  // The offsets a day either side: one of them is in force at the run (zones change at most once a day).
  const offsets = [...new Set([-DAY_MS, DAY_MS].map((shift) => wallAt(wall + shift, zone).ms - (wall + shift)))];
  const exact = offsets.map((offset) => wall - offset).filter((at) => wallAt(at, zone).ms === wall);
  if (exact.length > 0) return Math.min(...exact);
  // A gap: the local clock jumps over `hour:00`; the run is the first minute that reads later.
  let low = wall - Math.max(...offsets);
  let high = wall - Math.min(...offsets);
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallAt(middle, zone).ms >= wall) high = middle;
    else low = middle;
  }
  return wallAt(low, zone).ms >= wall ? low : high;
}

/** The first run strictly after `ms`. */
export function nextRunAfter(ms: number, hour: number, zone: string): number {
  const today = localDay(ms, zone);
  for (let day = today; day <= today + 2; day++) {
    const at = runOn(day, hour, zone);
    if (at > ms) return at;
  }
  throw new Error(`no run of ${hour}:00 ${zone} within two days after ${new Date(ms).toISOString()}`);
}

/** The last run at or before `ms`. */
export function lastRunAtOrBefore(ms: number, hour: number, zone: string): number {
  const today = localDay(ms, zone);
  for (let day = today; day >= today - 2; day--) {
    const at = runOn(day, hour, zone);
    if (at <= ms) return at;
  }
  throw new Error(`no run of ${hour}:00 ${zone} within two days before ${new Date(ms).toISOString()}`);
}
