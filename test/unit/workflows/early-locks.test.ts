import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { LockRecord, LockStore, Provider } from '../../../src/providers/provider.js';
import type { LockContext } from '../../../src/workflows/apply-lock.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { type EarlyLocks, keepLocksFor, lockAlongsidePlan, releaseEarly } from '../../../src/workflows/early-locks.js';
import { type LockAttempt, LockedError } from '../../../src/workflows/lock.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';

const parsed = parseConfig(
  `version: 1
name: shop
environments:
  staging: { app: shop-staging }
  production: { app: shop-production }
  preview: { app: shop-preview }
`,
  'app.yaml',
  {},
);
if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
const prepared = prepareEnvironments(parsed.config, { names: [], all: true, defaultAll: false }, {});

/**
 * Lock records in memory, per environment (an environment not given has no app: nothing to record
 * a lock on); `calls` logs `method environment`; `gate`, when set, holds every remove until opened.
 */
class Locks implements LockStore {
  readonly records = new Map<string, LockRecord[]>();
  readonly calls: string[] = [];
  gate: Promise<void> | undefined;
  private next = 1;

  constructor(environments: readonly string[]) {
    for (const e of environments) this.records.set(e, []);
  }

  async list(environment: string) {
    this.calls.push(`list ${environment}`);
    return this.records.get(environment)?.map((r) => ({ ...r }));
  }

  async create(environment: string, holder: Readonly<Record<string, string>>) {
    this.calls.push(`create ${environment}`);
    const records = this.records.get(environment);
    if (records === undefined) return undefined;
    const record = { key: `k${this.next++}`, holder: { ...holder }, createdAt: '2026-11-22T12:00:00Z' };
    records.push(record);
    return record;
  }

  async remove(environment: string, key: string) {
    this.calls.push(`remove ${environment}`);
    await this.gate;
    this.records.set(
      environment,
      (this.records.get(environment) ?? []).filter((r) => r.key !== key),
    );
  }

  /** Records a lock of someone else on `environment`, with the key `key`. */
  plant(environment: string, key: string, holder: Record<string, string>): void {
    this.records.get(environment)?.push({ key, holder, createdAt: '2026-11-22T11:00:00Z' });
  }

  /** The environments with a lock recorded, in order. */
  locked(): string[] {
    return [...this.records.entries()].filter(([, records]) => records.length > 0).map(([e]) => e);
  }
}

function connectionWith(locks: LockStore | undefined): Connection {
  const heroku = { id: 'heroku', ...(locks === undefined ? {} : { locks }) } as unknown as Provider;
  return { providers: new Map([['heroku', heroku]]) } as unknown as Connection;
}

function context(warnings: string[], extra: Partial<LockContext> = {}): LockContext {
  return {
    env: { USER: 'alice' },
    host: 'laptop',
    pid: 42,
    now: () => new Date('2026-11-22T12:00:00Z'),
    warn: (message) => warnings.push(message),
    ...extra,
  };
}

const bob = { who: 'bob', host: 'desk', pid: '7', since: '2026-11-22T11:00:00Z', id: 'bob-run' };

/** Attempts as `lockAlongsidePlan` returns them, over locks `store` holds under the keys given. */
function early(store: Locks, attempts: readonly LockAttempt[]): EarlyLocks {
  for (const a of attempts)
    if (a.outcome === 'taken') store.plant(a.environment, a.key, { who: 'alice', id: 'this-run' });
  return { attempts, store };
}

const taken = (environment: string): LockAttempt => ({ environment, outcome: 'taken', key: `mine-${environment}` });
const lockedBy = (environment: string): LockAttempt => ({
  environment,
  outcome: 'failed',
  error: new LockedError(
    environment,
    [
      { key: 'b', holder: bob, createdAt: '2026-11-22T11:00:00Z' },
      { key: 'c', holder: { who: 'carol' }, createdAt: undefined },
    ],
    false,
  ),
});

describe('lockAlongsidePlan', () => {
  it("tries the lock of every environment the plan reads, as this run's holder, in sorted order", async () => {
    const store = new Locks(['staging', 'production', 'preview']);
    const result = await lockAlongsidePlan(connectionWith(store), prepared, false, context([]));
    expect(result.store).toBe(store);
    expect(result.attempts.map((a) => `${a.environment} ${a.outcome}`)).toEqual([
      'preview taken',
      'production taken',
      'staging taken',
    ]);
    const holder = store.records.get('staging')?.[0]?.holder;
    expect([holder?.['who'], holder?.['host'], holder?.['pid'], holder?.['since']]).toEqual([
      'alice',
      'laptop',
      '42',
      '2026-11-22T12:00:00.000Z',
    ]);
  });

  it("never throws: a lock another run holds, or no app to record one on, is an attempt's outcome", async () => {
    const store = new Locks(['staging', 'production']);
    store.plant('staging', 'b', bob);
    const result = await lockAlongsidePlan(connectionWith(store), prepared, false, context([]));
    expect(result.attempts.map((a) => `${a.environment} ${a.outcome}`)).toEqual([
      'preview no-app',
      'production taken',
      'staging failed',
    ]);
    expect((result.attempts[2] as { error: unknown }).error).toBeInstanceOf(LockedError);
  });

  it("with --break-lock, removes the other run's lock (and says so) before taking its own", async () => {
    const store = new Locks(['staging']);
    store.plant('staging', 'b', bob);
    const warnings: string[] = [];
    const result = await lockAlongsidePlan(connectionWith(store), prepared, true, context(warnings));
    expect(result.attempts.find((a) => a.environment === 'staging')?.outcome).toBe('taken');
    expect(store.records.get('staging')?.map((r) => r.holder['who'])).toEqual(['alice']);
    expect(warnings).toEqual([
      expect.stringMatching(/^removing the lock on staging held by bob on desk \(pid 7\) .*: --break-lock$/),
    ]);
  });

  it("removes a lock whose process on this machine is gone, as the context's `alive` tells", async () => {
    const store = new Locks(['staging']);
    store.plant('staging', 'b', { ...bob, host: 'laptop' });
    const warnings: string[] = [];
    const result = await lockAlongsidePlan(
      connectionWith(store),
      prepared,
      false,
      context(warnings, { alive: (pid) => pid !== 7 }),
    );
    expect(result.attempts.find((a) => a.environment === 'staging')?.outcome).toBe('taken');
    expect(warnings).toEqual([expect.stringMatching(/its process \(pid 7\) on this machine is no longer running$/)]);
  });

  it('tries nothing without a lock store', async () => {
    expect(await lockAlongsidePlan(connectionWith(undefined), prepared, false, context([]))).toEqual({
      attempts: [],
      store: undefined,
    });
    const none = { providers: new Map() } as unknown as Connection;
    expect(await lockAlongsidePlan(none, prepared, false, context([]))).toEqual({ attempts: [], store: undefined });
  });
});

describe('keepLocksFor', () => {
  it('holds the locks of the changed environments and releases the others at once', async () => {
    const store = new Locks(['staging', 'production', 'preview']);
    const warnings: string[] = [];
    const held = await keepLocksFor(
      early(store, [taken('preview'), taken('production'), taken('staging')]),
      ['staging', 'production'],
      context(warnings),
    );
    expect(held.environments).toEqual(['production', 'staging']);
    expect(store.locked()).toEqual(['staging', 'production']);
    await held.release();
    expect(store.locked()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns of a lock another run holds on an environment it does not change, naming every holder, and goes on', async () => {
    const store = new Locks(['staging', 'production']);
    const warnings: string[] = [];
    const held = await keepLocksFor(
      early(store, [lockedBy('production'), taken('staging')]),
      ['staging'],
      context(warnings),
    );
    expect(held.environments).toEqual(['staging']);
    expect(warnings).toEqual([
      'production is locked by an apply: bob on desk (pid 7) since 2026-11-22T11:00:00Z; carol since an unknown time; if that run is gone, `daffeinated apply production --break-lock` removes the lock',
    ]);
    await held.release();
  });

  it('warns of a lock it could not try on an environment it does not change, with the reason', async () => {
    const store = new Locks(['staging']);
    const warnings: string[] = [];
    const failed: LockAttempt = { environment: 'production', outcome: 'failed', error: new Error('HTTP 503') };
    const held = await keepLocksFor(
      early(store, [failed, { environment: 'preview', outcome: 'no-app' }, taken('staging')]),
      ['staging'],
      context(warnings),
    );
    expect(warnings).toEqual(['could not lock production (HTTP 503)']);
    await held.release();
  });

  it('keeps nothing for a changed environment without an app (the lock is taken once it exists)', async () => {
    const store = new Locks(['staging']);
    const held = await keepLocksFor(
      early(store, [{ environment: 'preview', outcome: 'no-app' }, taken('staging')]),
      ['preview', 'staging'],
      context([]),
    );
    expect(held.environments).toEqual(['staging']);
    await held.release();
  });

  it('refuses with the refusal of a changed environment, every lock released before it throws (the changed ones too)', async () => {
    const store = new Locks(['staging', 'production', 'preview']);
    const warnings: string[] = [];
    const attempts = [taken('preview'), lockedBy('production'), taken('staging')];
    const error = await keepLocksFor(early(store, attempts), ['production', 'staging'], context(warnings)).catch(
      (e: unknown) => e,
    );
    expect(error).toBe((attempts[1] as { error: unknown }).error);
    expect(store.locked()).toEqual([]);
    expect(store.calls.sort()).toEqual(['remove preview', 'remove staging']);
    // The refusal is the error; only the lock on an environment it does not change is a warning.
    expect(warnings).toEqual([]);
  });

  it('does not refuse for a lock held on an environment it does not change, however the others went', async () => {
    const store = new Locks(['staging', 'production']);
    const held = await keepLocksFor(early(store, [lockedBy('production'), taken('staging')]), ['staging'], context([]));
    expect(held.environments).toEqual(['staging']);
    expect(store.locked()).toEqual(['staging']);
    await held.release();
    expect(store.locked()).toEqual([]);
  });

  it('waits for the released locks before throwing a refusal', async () => {
    const store = new Locks(['staging', 'production']);
    let open: () => void = () => {};
    store.gate = new Promise((resolve) => {
      open = resolve;
    });
    let settled = false;
    const refusing = keepLocksFor(
      early(store, [lockedBy('production'), taken('staging')]),
      ['production', 'staging'],
      context([]),
    ).catch(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([settled, store.locked()]).toEqual([false, ['staging']]);
    open();
    await refusing;
    expect([settled, store.locked()]).toEqual([true, []]);
  });

  it('its release ends once the others are released too', async () => {
    const store = new Locks(['staging', 'production']);
    let open: () => void = () => {};
    store.gate = new Promise((resolve) => {
      open = resolve;
    });
    const held = await keepLocksFor(early(store, [taken('production'), taken('staging')]), ['staging'], context([]));
    let released = false;
    const releasing = held.release().then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toBe(false);
    open();
    await releasing;
    expect(store.locked()).toEqual([]);
  });

  it('holds nothing without a lock store', async () => {
    const held = await keepLocksFor({ attempts: [], store: undefined }, ['staging'], context([]));
    expect(held.environments).toEqual([]);
    await held.release();
  });
});

describe('releaseEarly', () => {
  it('releases every lock taken alongside the plan and reports those it could not take', async () => {
    const store = new Locks(['staging', 'production', 'preview']);
    const warnings: string[] = [];
    await releaseEarly(
      early(store, [taken('preview'), lockedBy('production'), taken('staging')]),
      context(warnings),
      true,
    );
    expect(store.locked()).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^production is locked by an apply: bob on desk/)]);
  });

  it('reports nothing when told not to (the run was refused for another reason)', async () => {
    const store = new Locks(['staging', 'production']);
    const warnings: string[] = [];
    await releaseEarly(early(store, [lockedBy('production'), taken('staging')]), context(warnings), false);
    expect(store.locked()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('waits for the locks to be removed', async () => {
    const store = new Locks(['staging']);
    let open: () => void = () => {};
    store.gate = new Promise((resolve) => {
      open = resolve;
    });
    let released = false;
    const releasing = releaseEarly(early(store, [taken('staging')]), context([]), true).then(() => {
      released = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(released).toBe(false);
    open();
    await releasing;
    expect(store.locked()).toEqual([]);
  });

  it('does nothing without a lock store', async () => {
    const warnings: string[] = [];
    await releaseEarly({ attempts: [lockedBy('production')], store: undefined }, context(warnings), true);
    expect(warnings).toEqual([]);
  });
});
