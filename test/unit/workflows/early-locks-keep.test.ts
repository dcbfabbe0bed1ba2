import { describe, expect, it } from 'vitest';
import { keepLocksFor } from '../../../src/workflows/early-locks.js';
import type { LockAttempt } from '../../../src/workflows/lock.js';
import { context, early, Locks, lockedBy, taken } from './early-locks-support.js';

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
