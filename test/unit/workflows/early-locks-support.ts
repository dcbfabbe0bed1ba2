import { parseConfig } from '../../../src/config/index.js';
import type { LockRecord, LockStore, Provider } from '../../../src/providers/provider.js';
import type { LockContext } from '../../../src/workflows/apply-lock.js';
import type { Connection } from '../../../src/workflows/connection.js';
import type { EarlyLocks } from '../../../src/workflows/early-locks.js';
import { type LockAttempt, LockedError } from '../../../src/workflows/lock.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';

/** What the tests of workflows/early-locks.ts share: three environments, a lock store in memory, this run's context. */
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
export const prepared = prepareEnvironments(parsed.config, { names: [], all: true, defaultAll: false }, {});

/**
 * Lock records in memory, per environment (an environment not given has no app: nothing to record
 * a lock on); `calls` logs `method environment`; `gate`, when set, holds every remove until opened.
 */
export class Locks implements LockStore {
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

  /** Taking a lock never surveys; a report reads what a list would, once the read is done. */
  async survey(environment: string, read: Promise<unknown>) {
    await read.catch(() => undefined);
    return this.list(environment);
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

export function connectionWith(locks: LockStore | undefined): Connection {
  const heroku = { id: 'heroku', ...(locks === undefined ? {} : { locks }) } as unknown as Provider;
  return { providers: new Map([['heroku', heroku]]) } as unknown as Connection;
}

export function context(warnings: string[], extra: Partial<LockContext> = {}): LockContext {
  return {
    env: { USER: 'alice' },
    host: 'laptop',
    pid: 42,
    now: () => new Date('2026-11-22T12:00:00Z'),
    warn: (message) => warnings.push(message),
    ...extra,
  };
}

export const bob = { who: 'bob', host: 'desk', pid: '7', since: '2026-11-22T11:00:00Z', id: 'bob-run' };

/** Attempts as `lockAlongsidePlan` returns them, over locks `store` holds under the keys given. */
export function early(store: Locks, attempts: readonly LockAttempt[]): EarlyLocks {
  for (const a of attempts)
    if (a.outcome === 'taken') store.plant(a.environment, a.key, { who: 'alice', id: 'this-run' });
  return { attempts, store };
}

export const taken = (environment: string): LockAttempt => ({
  environment,
  outcome: 'taken',
  key: `mine-${environment}`,
});
export const lockedBy = (environment: string): LockAttempt => ({
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
