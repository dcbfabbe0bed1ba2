import { describe, expect, it } from 'vitest';
import type { LockRecord, LockStore } from '../../../src/providers/provider.js';
import { type DaffError, ExitCode, ProviderError } from '../../../src/runtime/errors.js';
import { LockedError, takeLocks } from '../../../src/workflows/lock.js';
import { describeHolder, holderFields as fields } from '../../../src/workflows/lock-holder.js';

/**
 * Locks in memory, per environment (an environment not given has no app: list says undefined,
 * create fails); `calls` logs each request as `method environment`; `afterCreate` lets a test
 * slip a rival in between create and list; `delay` makes every request take a while, for
 * interleavings.
 */
class MemoryLocks implements LockStore {
  readonly records = new Map<string, LockRecord[]>();
  readonly calls: string[] = [];
  afterCreate: ((environment: string) => void) | undefined;
  delay: (() => Promise<void>) | undefined;
  private next = 1;

  constructor(readonly environments: readonly string[]) {
    for (const e of environments) this.records.set(e, []);
  }

  async list(environment: string) {
    await this.delay?.();
    this.calls.push(`list ${environment}`);
    const records = this.records.get(environment)?.map((r) => ({ ...r }));
    await this.delay?.();
    return records;
  }

  async create(environment: string, holder: Readonly<Record<string, string>>) {
    await this.delay?.();
    this.calls.push(`create ${environment}`);
    const records = this.records.get(environment);
    if (records === undefined) throw new Error(`HTTP 404: no app for ${environment}`);
    const n = this.next++;
    const record = { key: `k${n}`, holder: { ...holder }, createdAt: `2026-11-22T12:00:${String(n).padStart(2, '0')}Z` };
    records.push(record);
    this.afterCreate?.(environment);
    await this.delay?.();
    return record;
  }

  /** The protocol never surveys; a report reads what a list would, once the read is done. */
  async survey(environment: string, read: Promise<unknown>) {
    await read.catch(() => undefined);
    return this.list(environment);
  }

  async remove(environment: string, key: string) {
    await this.delay?.();
    this.calls.push(`remove ${environment}`);
    this.records.set(environment, (this.records.get(environment) ?? []).filter((r) => r.key !== key));
    await this.delay?.();
  }

  plant(environment: string, holder: Record<string, string>, createdAt = '2026-11-21T08:00:00Z') {
    this.records.get(environment)?.push({ key: `planted-${this.next++}`, holder, createdAt });
  }
}

const now = new Date('2026-11-22T12:00:00Z');
const alice = describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: 4242, now });
const ci = describeHolder({ env: { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra', GITHUB_RUN_ID: '991' }, host: 'runner-7', pid: 77, now });

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

  it('removes its own record when a create failed after the store recorded it', async () => {
    const store = new MemoryLocks(['staging']);
    const create = store.create.bind(store);
    store.create = async (environment, holder) => {
      await create(environment, holder);
      throw new Error('connection reset after the drain was created');
    };
    const warnings: string[] = [];
    await expect(takeLocks(store, ['staging'], alice, options(warnings))).rejects.toThrow(/connection reset/);
    expect(store.records.get('staging')).toEqual([]);
    expect(store.calls).toEqual(['create staging', 'list staging', 'remove staging']);
    expect(warnings).toEqual([]);
  });

  it('refuses when another run removed its record between its create and its list (--break-lock)', async () => {
    const store = new MemoryLocks(['staging']);
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.records.set(environment, []);
    };
    const error = await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Another run removed this run's lock on staging \(--break-lock\)/);
    expect((error as { exitCode: number }).exitCode).toBe(ExitCode.Refused);
    expect(store.calls).toEqual(['create staging', 'list staging']);
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
      store.plant(environment, fields(ci), '2026-11-22T12:00:59Z');
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

  it('takes a lock in two rounds (create, then list) and every environment at once; releases at once', async () => {
    const store = new MemoryLocks(['production', 'staging']);
    const held = await takeLocks(store, ['staging', 'production'], alice, options());
    expect(store.calls).toEqual(['create production', 'create staging', 'list production', 'list staging']);
    store.calls.length = 0;
    await held.release();
    expect(store.calls).toEqual(['remove production', 'remove staging']);
  });

  it('refused by a lock: its own record is removed again, and the rival is left alone', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci));
    await expect(takeLocks(store, ['staging'], alice, options())).rejects.toBeInstanceOf(LockedError);
    expect(store.calls).toEqual(['create staging', 'list staging', 'remove staging']);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['GitHub Actions daff/infra run 991']);
  });

  it('a rival recorded in the same second as ours may be a holder that goes on: it is named as one', async () => {
    const store = new MemoryLocks(['staging']);
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.plant(environment, fields(ci), '2026-11-22T12:00:01Z');
    };
    const error = await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e);
    expect((error as LockedError).message).toMatch(/^staging is locked: another apply is running/);
  });

  it('a stale lock found after recording ours is removed, and ours held without another list', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: 999, now })));
    const warnings: string[] = [];
    const held = await takeLocks(store, ['staging'], alice, options(warnings, (pid) => pid !== 999));
    expect(held.environments).toEqual(['staging']);
    expect(store.calls).toEqual(['create staging', 'list staging', 'remove staging']);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['alice']);
  });

  it('--break-lock lists first and removes only what that list shows; a lock recorded after it refuses', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci));
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.plant(environment, fields(describeHolder({ env: { USER: 'bob' }, host: 'desk', pid: 5, now })), '2026-11-21T08:00:00Z');
    };
    const warnings: string[] = [];
    const error = await takeLocks(store, ['staging'], alice, { ...options(warnings), breakLock: true }).catch((e: unknown) => e);
    expect(store.calls).toEqual(['list staging', 'remove staging', 'create staging', 'list staging', 'remove staging']);
    expect(warnings).toHaveLength(1);
    expect((error as LockedError).message).toMatch(/^Another run started applying to staging at the same moment \(bob on desk/);
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['bob']);
  });

  it('a list that fails after our record was made removes it again', async () => {
    const store = new MemoryLocks(['staging']);
    const list = store.list.bind(store);
    store.list = async (environment) => {
      if (store.calls.includes(`create ${environment}`)) throw new Error('HTTP 503');
      return list(environment);
    };
    await expect(takeLocks(store, ['staging'], alice, options())).rejects.toThrow('HTTP 503');
    expect(store.records.get('staging')).toEqual([]);
  });

  it('a failed create whose list fails too throws the create error, never "no app, nothing to lock"', async () => {
    const store = new MemoryLocks(['staging']);
    store.create = async () => {
      throw new Error('HTTP 503 on create');
    };
    store.list = async () => {
      throw new Error('HTTP 503 on list');
    };
    await expect(takeLocks(store, ['staging'], alice, options())).rejects.toThrow('HTTP 503 on create');
  });

  it('--break-lock never removes a record of this run itself (it still blocks, as any record does)', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(alice));
    store.plant('staging', fields(ci));
    const planted = store.records.get('staging')?.[0]?.key;
    const warnings: string[] = [];
    await expect(takeLocks(store, ['staging'], alice, { ...options(warnings), breakLock: true })).rejects.toBeInstanceOf(LockedError);
    expect(warnings).toEqual([expect.stringMatching(/^removing the lock on staging held by GitHub Actions daff\/infra run 991/)]);
    expect(store.records.get('staging')?.map((r) => r.key)).toEqual([planted]);
  });

  it('an app gone since the plan: the failed create is not an error, the environment is just not locked', async () => {
    const store = new MemoryLocks([]);
    const held = await takeLocks(store, ['staging'], alice, options());
    expect(held.environments).toEqual([]);
    expect(store.calls).toEqual(['create staging', 'list staging']);
  });

  it('runs taking the same locks at once, in any interleaving: never two hold the same environment', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const holding = new Map<string, string>();
    let wentOn = 0;
    for (let trial = 0; trial < 80; trial++) {
      const store = new MemoryLocks(['production', 'staging']);
      store.delay = () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
      // A lock of a process of this machine: stale (gone) in odd trials, held in even ones.
      if (trial % 3 === 0) store.plant('staging', fields(describeHolder({ env: { USER: 'ci' }, host: 'laptop', pid: 77, now })));
      const runs = ['a', 'b', 'c'].map(async (who, i) => {
        const holder = describeHolder({ env: { USER: who }, host: 'laptop', pid: 100 + i, now });
        const alive = (pid: number) => pid !== 77 || trial % 2 === 0;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 8)));
        return takeLocks(store, i === 2 ? ['staging'] : ['production', 'staging'], holder, options([], alive))
          .then(async (held) => {
            for (const environment of held.environments) {
              expect(holding.get(environment), `trial ${trial}: ${who} and ${holding.get(environment)} both hold ${environment}`).toBeUndefined();
              holding.set(environment, who);
            }
            wentOn += 1;
            await new Promise((resolve) => setTimeout(resolve, 2));
            for (const environment of held.environments) holding.delete(environment);
            await held.release();
          })
          .catch((error: unknown) => {
            if (!(error instanceof LockedError)) throw error;
          });
      });
      await Promise.all(runs);
    }
    expect(wentOn).toBeGreaterThan(0);
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

  it('names every holder it is refused by, and says so in one sentence', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci), '2026-11-22T11:58:00Z');
    store.plant('staging', fields(describeHolder({ env: { USER: 'bob' }, host: 'desk', pid: 5, now })), '2026-11-22T11:59:00Z');
    const error = (await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e)) as LockedError;
    expect(error.message).toBe(
      'staging is locked: another apply is running (GitHub Actions daff/infra run 991 on runner-7 (pid 77) since 2026-11-22T11:58:00Z; bob on desk (pid 5) since 2026-11-22T11:59:00Z)',
    );
  });

  it('a rival recorded after ours is left out of the holders named when one recorded before is there', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci), '2026-11-22T11:58:00Z');
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.plant(environment, fields(describeHolder({ env: { USER: 'bob' }, host: 'desk', pid: 5, now })), '2026-11-22T12:00:59Z');
    };
    const error = (await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e)) as LockedError;
    expect(error.message).toMatch(/^staging is locked: another apply is running \(GitHub Actions daff\/infra run 991 on runner-7 \(pid 77\) since 2026-11-22T11:58:00Z\)$/);
    expect(error.holders.map((r) => r.holder['who'])).toEqual(['GitHub Actions daff/infra run 991']);
  });

  it('a race says to run again; a lock removed under it says another apply is starting', async () => {
    const raced = new MemoryLocks(['staging']);
    raced.afterCreate = (environment) => {
      raced.afterCreate = undefined;
      raced.plant(environment, fields(ci), '2026-11-22T12:00:59Z');
    };
    expect(((await takeLocks(raced, ['staging'], alice, options()).catch((e: unknown) => e)) as LockedError).hint).toBe(
      'Run the command again in a moment.',
    );
    const removed = new MemoryLocks(['staging']);
    removed.afterCreate = (environment) => {
      removed.afterCreate = undefined;
      removed.records.set(environment, []);
    };
    expect(((await takeLocks(removed, ['staging'], alice, options()).catch((e: unknown) => e)) as { hint: string }).hint).toBe(
      'Another apply is starting; run the command again once it is done.',
    );
  });

  it('releases only the locks it took: none for a refused environment or one without an app', async () => {
    const store = new MemoryLocks(['production', 'staging']);
    store.plant('staging', fields(ci));
    await expect(takeLocks(store, ['production', 'staging', 'review'], alice, options())).rejects.toBeInstanceOf(LockedError);
    expect(store.calls.filter((c) => c.startsWith('remove'))).toEqual(['remove staging', 'remove production']);
    const held = await takeLocks(new MemoryLocks([]), ['review'], alice, options());
    expect(held.environments).toEqual([]);
  });

  it('an app deleted between the create and the list: held, as nothing is there to share it', async () => {
    const store = new MemoryLocks(['staging']);
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.records.delete(environment);
    };
    const held = await takeLocks(store, ['staging'], alice, options());
    expect(held.environments).toEqual(['staging']);
  });

  it('--break-lock on an environment without an app locks nothing and fails nothing', async () => {
    const store = new MemoryLocks(['staging']);
    const held = await takeLocks(store, ['review'], alice, { ...options(), breakLock: true });
    expect(held.environments).toEqual([]);
    expect(store.calls).toEqual(['list review']);
  });

  it('--break-lock whose removal fails stops before recording a lock, with that error', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci));
    store.remove = async () => {
      throw new Error('HTTP 503 on remove');
    };
    await expect(takeLocks(store, ['staging'], alice, { ...options(), breakLock: true })).rejects.toThrow('HTTP 503 on remove');
    expect(store.calls).toEqual(['list staging']);
  });

  it('a stale lock that cannot be removed: this run removes its own record again and fails with that error', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: 999, now })));
    const remove = store.remove.bind(store);
    store.remove = async (environment, key) => {
      if (key.startsWith('planted')) throw new Error('HTTP 503 on remove');
      return remove(environment, key);
    };
    await expect(takeLocks(store, ['staging'], alice, options([], (pid) => pid !== 999))).rejects.toThrow('HTTP 503 on remove');
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['alice']);
    expect(store.records.get('staging')?.[0]?.key).toMatch(/^planted/);
  });

  it('refused, with its own record that cannot be removed: the refusal stands and the leftover is reported', async () => {
    const store = new MemoryLocks(['staging']);
    store.plant('staging', fields(ci));
    store.remove = async () => {
      throw new Error('HTTP 503');
    };
    const warnings: string[] = [];
    await expect(takeLocks(store, ['staging'], alice, options(warnings))).rejects.toBeInstanceOf(LockedError);
    expect(warnings).toEqual(['could not remove the lock on staging (HTTP 503); the next run may need --break-lock']);
  });

  it('refuses when its record was removed and another taken in its place (--break-lock by a run that goes on)', async () => {
    const store = new MemoryLocks(['staging']);
    store.afterCreate = (environment) => {
      store.afterCreate = undefined;
      store.records.set(environment, [{ key: 'theirs', holder: fields(ci), createdAt: '2026-11-22T12:00:59Z' }]);
    };
    const error = await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Another run removed this run's lock on staging \(--break-lock\)/);
    expect(store.records.get('staging')?.map((r) => r.key)).toEqual(['theirs']);
  });
});

describe('a lock that cannot be read', () => {
  const unreadable = () =>
    new ProviderError('heroku', 'Heroku rejected GET /apps/shop-staging/webhooks: HTTP 500', { status: 500, requestId: 'r-1', hint: 'Heroku may be having trouble.' });

  it('says it was reading the apply lock, of which app, and what to do; nothing is left behind', async () => {
    const store = new MemoryLocks(['staging']);
    const list = store.list.bind(store);
    store.list = async (environment) => {
      if (store.calls.includes(`create ${environment}`)) throw unreadable();
      return list(environment);
    };
    const error = (await takeLocks(store, ['staging'], alice, options()).catch((e: unknown) => e)) as DaffError;
    expect(error.message).toBe('Could not read the apply lock of staging (on its Heroku app): Heroku rejected GET /apps/shop-staging/webhooks: HTTP 500 (HTTP 500, request id r-1)');
    expect(error.hint).toBe('Nothing was applied: without the lock, this run cannot tell whether another apply is running there. Heroku may be having trouble.');
    expect(error.cause).toBeInstanceOf(ProviderError);
    expect(store.records.get('staging')).toEqual([]);
  });

  it('--break-lock: the first list failing is said the same way, before anything is written', async () => {
    const store = new MemoryLocks(['staging']);
    store.list = async () => {
      throw new Error('socket hang up');
    };
    const error = (await takeLocks(store, ['staging'], alice, { ...options(), breakLock: true }).catch((e: unknown) => e)) as DaffError;
    expect(error.message).toBe('Could not read the apply lock of staging (on its Heroku app): socket hang up');
    expect(error.hint).toMatch(/ Run the same command again once the app answers/);
    expect(store.calls).toEqual([]);
  });
});
