import { describe, expect, it } from 'vitest';
import type { LockRecord } from '../../../src/providers/provider.js';
import { describeHolder, describeLock, type Holder, holderFields, isOwn, staleReason } from '../../../src/workflows/lock-holder.js';

const now = new Date('2026-11-22T12:00:00Z');
const actions = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra', GITHUB_RUN_ID: '991' };
const holder = (env: Record<string, string>, extra: { host?: string; pid?: number; machine?: string } = {}): Holder =>
  describeHolder({ env, host: extra.host ?? 'laptop', pid: extra.pid ?? 4242, ...(extra.machine === undefined ? {} : { machine: extra.machine }), now });
const record = (fields: Record<string, string>, createdAt?: string): LockRecord => ({ key: 'k1', holder: fields, createdAt });

describe('who holds an apply lock', () => {
  it('a person, by the first of USER, USERNAME, LOGNAME; else someone', () => {
    expect(holder({ USER: 'alice', USERNAME: 'bob', LOGNAME: 'carol' }).who).toBe('alice');
    expect(holder({ USERNAME: 'bob', LOGNAME: 'carol' }).who).toBe('bob');
    expect(holder({ LOGNAME: 'carol' }).who).toBe('carol');
    expect(holder({}).who).toBe('someone');
    expect(holder({ USER: 'alice' }).run).toBeUndefined();
  });

  it('a CI job by its machine; a GitHub Actions job by its repository, run and attempt', () => {
    expect(holder({ CI: 'true', USER: 'runner' }, { host: 'box' }).who).toBe('CI job on box');
    const job = holder({ ...actions, GITHUB_RUN_ATTEMPT: '2' });
    expect(job.who).toBe('GitHub Actions daff/infra run 991');
    expect(job.run).toEqual({ id: 'daff/infra/991', attempt: 2 });
    expect(holder(actions).run).toEqual({ id: 'daff/infra/991', attempt: 1 });
    expect(holder({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '991' })).toMatchObject({ who: 'GitHub Actions run 991', run: { id: '/991', attempt: 1 } });
    expect(holder({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'daff/infra' })).toMatchObject({ who: 'GitHub Actions daff/infra run ?', run: undefined });
    expect(holder({ ...actions, GITHUB_RUN_ID: '' }).run).toBeUndefined();
    expect(holder({ ...actions, GITHUB_RUN_ATTEMPT: 'x' }).run).toBeUndefined();
    expect(holder({ ...actions, GITHUB_ACTIONS: 'false', USER: 'alice' })).toMatchObject({ who: 'alice', run: undefined });
  });

  it('records who, where, since when and its id; pid, machine and run only when known', () => {
    const full = holder({ ...actions, GITHUB_RUN_ATTEMPT: '3' }, { machine: 'ns-1' });
    expect(holderFields(full)).toEqual({
      who: 'GitHub Actions daff/infra run 991',
      host: 'laptop',
      since: '2026-11-22T12:00:00.000Z',
      id: full.id,
      pid: '4242',
      machine: 'ns-1',
      run: 'daff/infra/991',
      attempt: '3',
    });
    const bare = describeHolder({ env: { USER: 'alice' }, host: 'laptop', pid: undefined, now });
    expect(holderFields(bare)).toStrictEqual({ who: 'alice', host: 'laptop', since: '2026-11-22T12:00:00.000Z', id: bare.id });
    expect(bare.id).toMatch(/^[0-9a-f]{12}$/);
    expect(isOwn(record(holderFields(bare)), bare)).toBe(true);
    expect(isOwn(record(holderFields(bare)), full)).toBe(false);
  });

  it('describes a lock by what it records, the store time first', () => {
    expect(describeLock(record({ who: 'alice', host: 'laptop', pid: '7', since: '2026-11-22T11:00:00Z' }, '2026-11-22T11:00:01Z'))).toBe(
      'alice on laptop (pid 7) since 2026-11-22T11:00:01Z',
    );
    expect(describeLock(record({ who: 'alice', host: 'laptop', since: '2026-11-22T11:00:00Z' }))).toBe('alice on laptop since 2026-11-22T11:00:00Z');
    expect(describeLock(record({ pid: '7' }))).toBe('an unknown holder since an unknown time');
  });
});

describe('a stale lock', () => {
  // This run's own process (4242) is the only one running.
  const running = (pid: number) => pid === 4242;
  const me = holder({ USER: 'alice' }, { machine: 'ns-1' });
  const mine = (fields: Record<string, string>) => record({ who: 'alice', host: 'laptop', pid: '999', ...fields });

  it('is one of a process of this machine that is gone', () => {
    expect(staleReason(mine({ machine: 'ns-1' }), me, running)).toBe('its process (pid 999) on this machine is no longer running');
    // Recorded by a version that did not record its process namespace: the host decides, as it did.
    expect(staleReason(mine({}), me, running)).toBe('its process (pid 999) on this machine is no longer running');
  });

  it('is not one of another process namespace with the same host name (a container), nor when this run cannot tell', () => {
    expect(staleReason(mine({ machine: 'ns-2' }), me, running)).toBeUndefined();
    expect(staleReason(mine({ machine: 'ns-1' }), holder({ USER: 'alice' }), running)).toBeUndefined();
    expect(staleReason(mine({ machine: 'ns-1' }), me, undefined)).toBeUndefined();
  });

  it('is not one of a process still running, of another host, or without a pid', () => {
    expect(staleReason(mine({ machine: 'ns-1', pid: '4242' }), me, running)).toBeUndefined();
    expect(staleReason(mine({ machine: 'ns-1', host: 'desk' }), me, running)).toBeUndefined();
    expect(staleReason(mine({ machine: 'ns-1', pid: 'x' }), me, running)).toBeUndefined();
  });

  it('is one of an earlier attempt of this GitHub Actions run, whatever machine it ran on', () => {
    const rerun = holder({ ...actions, GITHUB_RUN_ATTEMPT: '2' }, { host: 'runner-2' });
    const by = (attempt: string, run = 'daff/infra/991') => record({ who: 'GitHub Actions daff/infra run 991', host: 'runner-1', pid: '77', run, attempt });
    const alive = () => true;
    expect(staleReason(by('1'), rerun, alive)).toBe('it was taken by attempt 1 of this workflow run, which has ended');
    // Another job of the same attempt (a matrix) may be running; a later attempt is not this one's past.
    expect(staleReason(by('2'), rerun, alive)).toBeUndefined();
    expect(staleReason(by('3'), rerun, alive)).toBeUndefined();
    expect(staleReason(by('1', 'daff/infra/990'), rerun, alive)).toBeUndefined();
    expect(staleReason(by('1'), holder({ USER: 'alice' }, { host: 'runner-2' }), alive)).toBeUndefined();
  });
});
