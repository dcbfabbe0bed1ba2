import { describe, expect, it } from 'vitest';
import { keptBackups } from '../../../src/sandbox/heroku/pg/retention.js';
import { lastRunAtOrBefore, localDay, nextRunAfter, runOn } from '../../../src/sandbox/heroku/pg/schedule-times.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

describe('a daily schedule’s run times', () => {
  it('runs at the hour of the zone’s wall clock, winter and summer', () => {
    expect(iso(runOn(day('2026-01-15'), 2, BERLIN))).toBe('2026-01-15T01:00:00.000Z');
    expect(iso(runOn(day('2026-06-15'), 2, BERLIN))).toBe('2026-06-15T00:00:00.000Z');
    expect(iso(runOn(day('2026-06-15'), 0, 'UTC'))).toBe('2026-06-15T00:00:00.000Z');
    expect(iso(runOn(day('2026-06-15'), 23, 'America/New_York'))).toBe('2026-06-16T03:00:00.000Z');
  });

  it('runs when the clocks jump over the hour on the spring-forward day (Berlin, 29 March 2026)', () => {
    // 02:00 CET never happens: the clocks go from 01:59:59 CET to 03:00 CEST, at 01:00 UTC.
    expect(iso(runOn(day('2026-03-29'), 2, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(runOn(day('2026-03-29'), 1, BERLIN))).toBe('2026-03-29T00:00:00.000Z');
    expect(iso(runOn(day('2026-03-29'), 3, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    // That day is 23 hours long for the schedule: 02:00 CET on the 28th, 03:00 CEST on the 29th.
    expect(iso(nextRunAfter(at('2026-03-28T01:00:00Z'), 2, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(nextRunAfter(at('2026-03-29T01:00:00Z'), 2, BERLIN))).toBe('2026-03-30T00:00:00.000Z');
  });

  it('runs once, at the first 02:00, on the fall-back day (Berlin, 25 October 2026)', () => {
    // 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET).
    expect(iso(runOn(day('2026-10-25'), 2, BERLIN))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(nextRunAfter(at('2026-10-25T00:00:00Z'), 2, BERLIN))).toBe('2026-10-26T01:00:00.000Z');
    expect(iso(nextRunAfter(at('2026-10-24T23:59:59Z'), 2, BERLIN))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(runOn(day('2026-10-25'), 3, BERLIN))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('finds the minute the clocks jump to in a zone that moves by half an hour (Lord Howe, 4 October 2026)', () => {
    // Lord Howe goes from 02:00 +10:30 to 02:30 +11:00: the run of 02:00 is at that instant.
    expect(iso(runOn(day('2026-10-04'), 2, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
  });

  it('finds the last run at or before a moment, across midnight and the transition', () => {
    expect(iso(lastRunAtOrBefore(at('2026-03-29T00:59:59Z'), 2, BERLIN))).toBe('2026-03-28T01:00:00.000Z');
    expect(iso(lastRunAtOrBefore(at('2026-03-29T01:00:00Z'), 2, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(lastRunAtOrBefore(at('2026-06-15T23:30:00Z'), 2, BERLIN))).toBe('2026-06-15T00:00:00.000Z');
    expect(iso(lastRunAtOrBefore(at('2026-06-16T00:30:00Z'), 2, BERLIN))).toBe('2026-06-16T00:00:00.000Z');
  });

  it('dates a moment by the zone’s calendar', () => {
    expect(localDay(at('2026-06-15T22:30:00Z'), BERLIN)).toBe(day('2026-06-16'));
    expect(localDay(at('2026-06-15T22:30:00Z'), 'UTC')).toBe(day('2026-06-15'));
  });
});

describe('scheduled backups kept', () => {
  const STANDARD = { dailyKept: 7, weeklyKept: 4, monthlyKept: 0 };
  const PREMIUM = { dailyKept: 7, weeklyKept: 8, monthlyKept: 12 };
  /** One backup a night at 02:00 Berlin (CEST) for `nights` nights up to 2026-06-30. */
  const nightly = (nights: number) =>
    Array.from({ length: nights }, (_, i) => {
      const ms = runOn(day('2026-06-30') - i, 2, BERLIN);
      return { id: iso(ms).slice(0, 10), atMs: ms };
    });
  const kept = (backups: ReturnType<typeof nightly>, retention: typeof STANDARD, now = '2026-06-30T12:00:00Z') =>
    [...keptBackups(backups, at(now), BERLIN, retention)].sort();

  it('keeps the last 7 days and, on Standard, the newest of each of the last 4 weeks (Monday first)', () => {
    // 30 June 2026 is a Tuesday: its week began on Monday the 29th.
    expect(kept(nightly(60), STANDARD)).toEqual([
      '2026-06-14', // Sunday: newest of the week of 8 June
      '2026-06-21', // Sunday: newest of the week of 15 June
      '2026-06-24',
      '2026-06-25',
      '2026-06-26',
      '2026-06-27',
      '2026-06-28',
      '2026-06-29',
      '2026-06-30',
    ]);
  });

  it('keeps the newest of each of the last 12 months on Premium', () => {
    const result = kept(nightly(400), PREMIUM);
    expect(result).toContain('2026-05-31');
    expect(result).toContain('2025-07-31');
    expect(result).not.toContain('2025-06-30');
    expect(result).toHaveLength(7 + 6 + 10);
  });

  it('counts the windows back from now, so backups of days long past expire even without newer ones', () => {
    expect(kept(nightly(3), STANDARD, '2026-07-20T12:00:00Z')).toEqual(['2026-06-30']);
    expect(kept(nightly(3), { dailyKept: 7, weeklyKept: 1, monthlyKept: 0 }, '2026-07-20T12:00:00Z')).toEqual([]);
  });

  it('keeps the newest backup of a day when a day has several', () => {
    const morning = { id: 'early', atMs: at('2026-06-30T00:00:00Z') };
    const evening = { id: 'late', atMs: at('2026-06-30T18:00:00Z') };
    expect([...keptBackups([morning, evening], at('2026-06-30T20:00:00Z'), BERLIN, STANDARD)]).toEqual(['late']);
  });
});
