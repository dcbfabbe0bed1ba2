import { InternalError, ProviderError } from '../../runtime/errors.js';
import type { LockRecord, LockStore } from '../provider.js';
import type { ApiLogDrain } from './api-types.js';
import { type AppNames, createOrAdopt } from './apply-support.js';
import type { HerokuClient } from './client.js';
import { DRAIN, DRAINS } from './shapes.js';

/**
 * Locks recorded on a Heroku app as log drains to `https://daffeinated-lock.invalid/v1?…`, the
 * holder's details in the query string.
 *
 * Why a drain: Heroku has no free-form metadata on an app. A config var would cut a release and
 * restart every dyno twice per apply (take, release); the `maintenance` flag takes the app offline;
 * domains are validated, get certificates and show in DNS. Adding or removing a drain cuts no
 * release and restarts nothing, drains are visible only to the app's collaborators, each has a
 * server-side `created_at`, and a drain's host under `.invalid` (RFC 6761) can never resolve, so
 * Logplex can deliver none of the app's logs to it. daffeinated's own reads leave these drains out
 * (live.ts, import.ts), so they never show as unmanaged or get pruned.
 */
export const LOCK_HOST = 'daffeinated-lock.invalid';
const LOCK_URL = `https://${LOCK_HOST}/v1`;

/** Whether a drain URL is a daffeinated lock. */
export function isLockDrain(url: string): boolean {
  try {
    return new URL(url).hostname === LOCK_HOST;
  } catch {
    return false;
  }
}

/** The drain URL for a holder: its fields, sorted, as query parameters. */
export function lockUrl(holder: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams(Object.entries(holder).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${LOCK_URL}?${query.toString()}`;
}

function toRecord(drain: ApiLogDrain): LockRecord {
  const holder = Object.fromEntries(new URL(drain.url).searchParams.entries());
  return { key: drain.id, holder, createdAt: drain.created_at };
}

export class HerokuLocks implements LockStore {
  constructor(
    private readonly client: HerokuClient,
    private readonly apps: AppNames,
  ) {}

  async list(environment: string): Promise<readonly LockRecord[] | undefined> {
    const drains = await this.client.find<ApiLogDrain[]>(this.path(environment), DRAINS);
    return drains?.filter((d) => isLockDrain(d.url)).map(toRecord);
  }

  /** One POST; after an ambiguous failure the app's drains are read and this holder's is adopted. */
  async create(environment: string, holder: Readonly<Record<string, string>>): Promise<LockRecord> {
    const url = lockUrl(holder);
    const path = this.path(environment);
    const drain = await createOrAdopt(
      () => this.client.post<ApiLogDrain>(path, { body: { url }, shape: DRAIN }),
      async () => (await this.client.get<ApiLogDrain[]>(path, { shape: DRAINS })).find((d) => d.url === url),
    );
    return toRecord(drain);
  }

  async remove(environment: string, key: string): Promise<void> {
    try {
      await this.client.delete(`${this.path(environment)}/${encodeURIComponent(key)}`);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return;
      throw error;
    }
  }

  private path(environment: string): string {
    const app = this.apps.get(environment);
    if (app === undefined) throw new InternalError(`no Heroku app is declared for environment ${environment}`);
    return `/apps/${encodeURIComponent(app)}/log-drains`;
  }
}
