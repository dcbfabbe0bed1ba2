import { describe, expect, it } from 'vitest';
import { AuthPolicy } from '../../../src/sandbox/auth.js';
import type { DatabaseJob, SandboxDatabases } from '../../../src/sandbox/heroku/databases.js';
import { RateLimiter } from '../../../src/sandbox/heroku/protocol/rate-limit.js';
import { defaultHerokuRuntime } from '../../../src/sandbox/heroku/runtime.js';
import { HerokuSurface } from '../../../src/sandbox/heroku/surface.js';
import { initialState } from '../../../src/sandbox/state.js';
import { World } from '../../../src/sandbox/world.js';

// With real databases behind the add-ons (databases.ts), a backup is the database's capture job and
// a restore its restore job: each transfer starts its job when it starts and ends when the job
// does, with the job's size or its failure.
class FakeDatabases implements SandboxDatabases {
  readonly calls: string[] = [];
  readonly jobs = new Map<string, DatabaseJob>();
  provision(addonId: string): string {
    return `postgres://u:p@127.0.0.1/${addonId}`;
  }
  ready(): boolean {
    return true;
  }
  deprovision(): void {}
  capture(addonId: string, archiveId: string): void {
    this.calls.push(`capture ${addonId}`);
    this.jobs.set(archiveId, { state: 'running' });
  }
  restore(archiveId: string, targetAddonId: string, jobId: string): void {
    this.calls.push(`restore ${archiveId} ${targetAddonId}`);
    this.jobs.set(jobId, { state: 'running' });
  }
  archiveFile(): string | undefined {
    return undefined;
  }
  dropArchive(archiveId: string): void {
    this.calls.push(`drop ${archiveId}`);
  }
  job(jobId: string): DatabaseJob | undefined {
    return this.jobs.get(jobId);
  }
  sizeOf(): number | undefined {
    return 1;
  }
}

function setUp() {
  let now = Date.parse('2026-12-06T12:00:00Z');
  const clock = () => new Date(now);
  const databases = new FakeDatabases();
  const runtime = {
    ...defaultHerokuRuntime(),
    timings: { ...defaultHerokuRuntime().timings, addonProvisionMs: 0, pgTransferStartMs: 10 },
    databases,
  };
  const world = new World(initialState(3, clock, []), clock, runtime);
  const auth = new AuthPolicy(true, undefined);
  const limiter = new RateLimiter({}, clock);
  const surfaces = [
    new HerokuSurface(world, auth, limiter, 'heroku-postgres'),
    new HerokuSurface(world, auth, limiter),
  ];
  const call = (method: string, path: string, body?: unknown) => {
    const surface = surfaces.find((s) => s.owns(path));
    const reply = surface?.handle({
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
    return { status: reply?.status, body: JSON.parse(reply?.payload?.toString() ?? 'null') as Record<string, unknown> };
  };
  return { world, databases, call, tick: (ms: number) => (now += ms) };
}

describe('the Postgres API over real databases', () => {
  it('runs a capture job, completes with its size, then restores that archive into another database', () => {
    const { databases, call, tick } = setUp();
    call('POST', '/apps', { name: 'pg-real' });
    const source = call('POST', '/apps/pg-real/addons', { plan: 'heroku-postgresql:standard-0' }).body;
    const target = call('POST', '/apps/pg-real/addons', { plan: 'heroku-postgresql:standard-0' }).body;
    const backup = call('POST', `/client/v11/databases/${String(source['id'])}/backups`).body;
    tick(10);
    expect(call('GET', `/client/v11/apps/pg-real/transfers/${String(backup['uuid'])}`).body).toMatchObject({
      succeeded: false,
      finished_at: null,
    });
    expect(databases.calls).toEqual([`capture ${String(source['id'])}`]);
    databases.jobs.set(String(backup['uuid']), { state: 'completed', bytes: 4242 });
    expect(call('GET', `/client/v11/apps/pg-real/transfers/${String(backup['uuid'])}`).body).toMatchObject({
      succeeded: true,
      processed_bytes: 4242,
    });

    const url = call('POST', `/client/v11/apps/pg-real/transfers/${String(backup['num'])}/actions/public-url`).body[
      'url'
    ];
    const restore = call('POST', `/client/v11/databases/${String(target['id'])}/restores`, { backup_url: url }).body;
    tick(10);
    call('GET', '/client/v11/apps/pg-real/transfers');
    expect(databases.calls.at(-1)).toBe(`restore ${String(backup['uuid'])} ${String(target['id'])}`);
    databases.jobs.set(String(restore['uuid']), { state: 'failed', message: 'pg_restore: error: could not connect' });
    const failed = call('GET', `/client/v11/apps/pg-real/transfers/${String(restore['uuid'])}`).body as {
      succeeded: boolean;
      logs: { message: string }[];
    };
    expect(failed.succeeded).toBe(false);
    expect(failed.logs.at(-1)?.message).toBe('failed: pg_restore: error: could not connect');
  });
});
