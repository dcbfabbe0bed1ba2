import { describe, expect, it } from 'vitest';
import { AuthPolicy } from '../../../src/sandbox/auth.js';
import { RateLimiter } from '../../../src/sandbox/heroku/protocol/rate-limit.js';
import { defaultHerokuRuntime } from '../../../src/sandbox/heroku/runtime.js';
import { HerokuSurface } from '../../../src/sandbox/heroku/surface.js';
import { initialState } from '../../../src/sandbox/state.js';
import { World } from '../../../src/sandbox/world.js';

// The sandbox takes a schedule's nightly backups on its injected clock (metadata only here): at
// the hour in the schedule's zone, as `a…` backups the CLI calls Scheduled, one catch-up after a
// gap, and the plan's scheduled retention.
interface Transfer {
  uuid: string;
  num: number;
  created_at: string;
  succeeded: boolean;
  schedule: { uuid: string } | null;
  logs?: { message: string }[];
}

function setUp(start: string, plan = 'heroku-postgresql:standard-0') {
  let now = Date.parse(start);
  const clock = () => new Date(now);
  const runtime = {
    ...defaultHerokuRuntime(),
    timings: { ...defaultHerokuRuntime().timings, addonProvisionMs: 0, pgTransferStartMs: 0, pgTransferMs: 1000 },
  };
  const world = new World(initialState(5, clock, []), clock, runtime);
  const auth = new AuthPolicy(true, undefined);
  const limiter = new RateLimiter({ capacity: 1_000_000 }, clock);
  const surfaces = [
    new HerokuSurface(world, auth, limiter, 'heroku-postgres'),
    new HerokuSurface(world, auth, limiter),
  ];
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const reply = surfaces
      .find((s) => s.owns(path))
      ?.handle({
        method,
        path,
        query: new URLSearchParams(),
        headers: {
          accept: 'application/vnd.heroku+json; version=3',
          authorization: 'Bearer t0ken',
          host: '127.0.0.1:5000',
        },
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
        bodyTooLarge: false,
      });
    return { status: reply?.status, body: JSON.parse(reply?.payload?.toString() ?? 'null') as T };
  };
  call('POST', '/apps', { name: 'nightly' });
  const addon = call('POST', '/apps/nightly/addons', { plan }).body;
  call('GET', '/apps/nightly');
  const id = String(addon['id']);
  const schedule = (hour: number, timezone: string) =>
    call('POST', `/client/v11/databases/${id}/transfer-schedules`, { hour, timezone, schedule_name: 'DATABASE_URL' });
  const transfers = () => call<Transfer[]>('GET', '/client/v11/apps/nightly/transfers').body;
  const setClock = (iso: string) => {
    now = Date.parse(iso);
  };
  return { call, schedule, transfers, setClock };
}

describe('scheduled backups in the sandbox', () => {
  it('takes one at the schedule’s hour in its zone, named like a scheduled backup, and none before', () => {
    const { schedule, transfers, setClock, call } = setUp('2026-03-28T12:00:00Z');
    const scheduleUuid = String(schedule(2, 'Europe/Berlin').body['uuid']);
    setClock('2026-03-29T00:59:59Z');
    expect(transfers()).toEqual([]);
    // Spring-forward night: 02:00 Berlin never shows, the clocks jump to 03:00 CEST at 01:00 UTC.
    setClock('2026-03-29T01:00:00Z');
    setClock('2026-03-29T01:00:05Z');
    const [backup] = transfers();
    expect(backup).toMatchObject({
      num: 1,
      created_at: '2026-03-29T01:00:00Z',
      succeeded: true,
      schedule: { uuid: scheduleUuid },
    });
    const info = call<Transfer>('GET', `/client/v11/apps/nightly/transfers/${backup?.uuid}`).body;
    expect(info.logs?.[0]?.message).toBe('scheduled backup (daily at 02:00 Europe/Berlin)');
    setClock('2026-03-29T23:59:59Z');
    expect(transfers()).toHaveLength(1);
    setClock('2026-03-30T00:00:00Z');
    expect(transfers().map((t) => t.created_at)).toEqual(['2026-03-29T01:00:00Z', '2026-03-30T00:00:00Z']);
  });

  it('catches up with one backup, at the latest time passed, after the sandbox did not run for days', () => {
    const { schedule, transfers, setClock, call } = setUp('2026-06-01T12:00:00Z');
    schedule(2, 'Europe/Berlin');
    setClock('2026-06-05T09:00:00Z');
    const list = transfers();
    expect(list.map((t) => t.created_at)).toEqual(['2026-06-05T00:00:00Z']);
    const logs = call<Transfer>('GET', `/client/v11/apps/nightly/transfers/${list[0]?.uuid}`).body.logs?.map(
      (l) => l.message,
    );
    expect(logs).toContain(
      'the scheduled times from 2026-06-02T00:00:00Z until this one passed while the sandbox handled no request: one backup catches up',
    );
  });

  it('does not run a schedule set after its hour until the next day', () => {
    const { schedule, transfers, setClock } = setUp('2026-06-01T12:00:00Z');
    schedule(2, 'UTC');
    setClock('2026-06-02T01:59:00Z');
    expect(transfers()).toEqual([]);
    setClock('2026-06-02T02:00:01Z');
    expect(transfers()).toHaveLength(1);
  });

  it('keeps the plan’s scheduled backups: on Essential, the last 7 days and one a week', () => {
    const { schedule, transfers, setClock } = setUp('2026-06-01T12:00:00Z', 'heroku-postgresql:essential-0');
    schedule(2, 'UTC');
    for (let night = 2; night <= 30; night++) {
      setClock(`2026-06-${String(night).padStart(2, '0')}T03:00:00Z`);
      transfers();
    }
    // 30 June 2026 is a Tuesday; Essential keeps 1 week, so only the last 7 days.
    expect(transfers().map((t) => t.created_at.slice(0, 10))).toEqual([
      '2026-06-24',
      '2026-06-25',
      '2026-06-26',
      '2026-06-27',
      '2026-06-28',
      '2026-06-29',
      '2026-06-30',
    ]);
  });

  it('stops when the schedule is removed, and leaves manual backups to their own limit', () => {
    const { call, schedule, transfers, setClock } = setUp('2026-06-01T12:00:00Z');
    const scheduleUuid = String(schedule(2, 'UTC').body['uuid']);
    setClock('2026-06-02T03:00:00Z');
    expect(transfers()).toHaveLength(1);
    const addonId = String(call<{ id: string }[]>('GET', '/apps/nightly/addons').body[0]?.id);
    call('DELETE', `/client/v11/databases/${addonId}/transfer-schedules/${scheduleUuid}`);
    call('POST', `/client/v11/databases/${addonId}/backups`);
    setClock('2026-06-09T03:00:00Z');
    expect(transfers().map((t) => t.schedule === null)).toEqual([false, true]);
  });
});
