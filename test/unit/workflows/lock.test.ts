import { describe, expect, it } from 'vitest';
import type { LockRecord, LockStore } from '../../../src/providers/provider.js';
import { ExitCode } from '../../../src/runtime/errors.js';
import { describeHolder, type Holder, LockedError, takeLocks } from '../../../src/workflows/lock.js';

/** Locks in memory, per environment; `afterCreate` lets a test slip a rival in between create and list. */
class MemoryLocks implements LockStore {
  readonly records = new Map<string, LockRecord[]>();
  afterCreate: ((environment: string) => void) | undefined;
  private next = 1;

  constructor(readonly environments: readonly string[]) {
    for (const e of environments) this.records.set(e, []);
  }

  async list(environment: string) {
    return this.records.get(environment)?.map((r) => ({ ...r }));
  }

  async create(environment: string, holder: Readonly<Record<string, string>>) {
    const record = { key: `k${this.next++}`, holder: { ...holder }, createdAt: `2026-11-22T12:00:0${this.next}Z` };
    this.records.get(environment)?.push(record);
    this.afterCreate?.(environment);
    return record;
  }

  async remove(environment: string, key: string) {
    this.records.set(environment, (this.records.get(environment) ?? []).filter((r) => r.key !== key));
  }

  plant(environment: string, holder: Record<string, string>, createdAt = '2026-11-21T08:00:00Z') {
    this.records.get(environment)?.push({ key: `planted-${this.next++}`, holder, createdAt });
  }
}

const now = new Date('2026-11-22T12:00:00Z');
const alice = describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: 4242, now });
const ci = describeHolder({ env: { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra', GITHUB_RUN_ID: '991' }, host: 'runner-7', pid: 77, now });
const fields = (h: Holder) => ({ who: h.who, host: h.host, since: h.since, id: h.id, ...(h.pid === undefined ? {} : { pid: String(h.pid) }) });

function options(warnings: string[] = [], alive?: (pid: number) => boolean) {
  return { breakLock: false, warn: (m: string) => warnings.push(m), ...(alive === undefined ? {} : { alive }) };
}

describe('apply locks', () => {
  it('describes a person and a CI job', () => {
    expect(alice.who).toBe('alice');
    expect(ci.who).toBe('GitHub Actions daff/infra run 991');
    expect(describeHolder({ env: { CI: 'true' }, host: 'box', pid: undefined, now }).who).toBe('CI job on box');
    expect(alice.id).not.toBe(ci.id);
  });

  it('takes the lock of each environment, and releases them all', async () => {
    const store = new MemoryLocks(['production', 'staging']);
    const held = await takeLocks(store, ['staging', 'production'], alice, options());
    expect(held.environments).toEqual(['production', 'staging']);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['alice']);
    await held.release();
    expect([...store.records.values()].flat()).toEqual([]);
  });

  it('refuses while another run holds it, naming who, where and since when (exit 3)', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci), '2026-11-22T11:58:00Z');
    const error = await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).message).toBe(
      'staging is locked: another apply is running (GitHub Actions daff/infra run 991 on runner-7 (pid 77) since 2026-11-22T11:58:00Z)',
    );
    expect((error as LockedError).hint).toContain('--break-lock');
    expect((error as LockedError).exitCode).toBe(ExitCode.Refused);
    expect(store.records.get('staging')).toHaveLength(1);
  });

  it('--break-lock removes the other lock, says so, and takes it', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci));
    const warnings: string[] = [];
    const held = await takeLocks(store, ['staging'], alice, { ...options(warnings), breakLock: true });
    expect(warnings).toEqual([expect.stringMatching(/^removing the lock on staging held by GitHub Actions daff\/infra run 991 on runner-7 \(pid 77\) since .*: --break-lock$/)]);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['alice']);
    await held.release();
  });

  it('removes a lock of a process of this machine that is gone, without asking', async () => {
    const store = new MemoryLocks(['staging']);
    const killed = describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: 999, now });
    store.plant('staging', fields(killed));
    const warnings: string[] = [];
    const held = await takeLocks(store, ['staging'], alice, options(warnings, (pid) => pid !== 999));
    expect(warnings[0]).toMatch(/its process \(pid 999\) on this machine is no longer running$/);
    expect(held.environments).toEqual(['staging']);
  });

  it('keeps a lock of a live process of this machine, and of any process elsewhere', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(describeHolder({ env: { USER: 'bob' }, host: 'laptop', pid: 1000, now })));
    store.plant('staging', fields(describeHolder({ env: { USER: 'carol' }, host: 'elsewhere', pid: 999, now })));
    const error = await takeLocks(store, ['staging'], alice, options([], (pid) => pid === 1000)).catch((e: unknown) => e);
    expect((error as LockedError).holders.map((h) => h.holder['who'])).toEqual(['bob', 'carol']);
  });

  it('two runs that record their locks at the same moment: neither goes on, and no lock is left', async () => {
    const store = new MemoryLocks(['staging']);
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.plant(environment, fields(ci));
    };
    const error = await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e);
    expect((error as LockedError).message).toMatch(/^Another run started applying to staging at the same moment \(GitHub Actions/);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['GitHub Actions daff/infra run 991']);
  });

  it('a refusal on a later environment releases the locks already taken', async () => {
    const store = new MemoryLocks(['production', 'staging']);
    store.plant('staging', fields(ci));
    await expect(takeLocks(store, ['production', 'staging'], alice, options())).rejects.toBeInstanceOf(LockedError);
    expect(store.records.get('production')).toEqual([]);
  });

  it('an environment with nothing to record a lock on (no app yet) is not locked', async () => {
    const store = new MemoryLocks(['staging']);
    const held = await takeLocks(store, ['production'], alice, options());
    expect(held.environments).toEqual([]);
  });

  it('a lock that cannot be removed is reported, not thrown', async () => {
    const store = new MemoryLocks(['staging']);
    const warnings: string[] = [];
    const held = await takeLocks(store, ['staging'], alice, options(warnings));
    store.remove = async () => {
      throw new Error('HTTP 503');
    };
    await held.release();
    expect(warnings).toEqual(['could not remove the lock on staging (HTTP 503); the next run may need --break-lock']);
  });
});
