import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/workflows/connection.js';
import { lockAlongsidePlan, releaseEarly } from '../../../src/workflows/early-locks.js';
import { LockedError } from '../../../src/workflows/lock.js';
import { bob, connectionWith, context, early, Locks, lockedBy, prepared, taken } from './early-locks-support.js';

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
