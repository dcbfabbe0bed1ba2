import { InternalError, ProviderError } from '../../runtime/errors.js';
import type { LockRecord, LockStore } from '../provider.js';
import type { ApiLogDrain, ApiWebhook } from './api-types.js';
import { type AppNames, createOrAdopt } from './apply-support.js';
import type { HerokuClient } from './client.js';
import { DRAINS, WEBHOOK, WEBHOOKS } from './shapes.js';

/**
 * Locks recorded on a Heroku app as app webhooks to `https://daffeinated-lock.invalid/v1?…`, the
 * holder's details in the query string, at level `notify` for `api:collaborator` events.
 *
 * Why a webhook: Heroku has no free-form metadata on an app. A config var would cut a release and
 * restart every dyno twice per apply (take, release); the `maintenance` flag takes the app offline;
 * domains are validated and get certificates; a log drain receives the app's whole log stream and
 * takes one of only 5 drain slots (Dev Center "Limits"). A webhook takes one of 10 subscription
 * slots, cuts no release, restarts nothing, is visible only to the app's collaborators and has a
 * server-side `created_at`. It can never deliver: its host is under `.invalid` (RFC 6761), its
 * level `notify` makes one attempt at most (Dev Center "App Webhooks"), and it subscribes to
 * collaborator changes, which daffeinated never makes.
 *
 * Older versions recorded locks as log drains to the same URL: those are still listed and removed
 * (their key is `drain:<id>`), so an upgrade mid-lock leaves none behind. daffeinated's own reads
 * leave such drains out (live.ts, import.ts), so they never show as unmanaged or get pruned.
 *
 * Those drains are listed only where this run's last read of the app (the plan's, which reads the
 * log drains anyway) saw one, or where it has not read the app: not on every list, which is every
 * lock taken. That is safe because a lock drain can appear only when a run of an older version
 * records one, and such a run lists drains alone: it never sees this version's webhook locks, so
 * no list of ours could keep it and us apart anyway. What listing drains is for — a drain lock an
 * older run left behind, removed as stale or refusing until --break-lock — is there to be seen by
 * the plan's read, made moments before the lock is taken, or alongside it (then the verifying
 * list cannot tell which answered first).
 *
 * So that the requests a run sends do not depend on which of two concurrent answers came first,
 * the list that verifies a create goes by what the run knew when it sent the create: a lock tried
 * alongside the plan's read (workflows/early-locks.ts) always lists the drains too.
 *
 * The survey of runs that take no lock (`plan`, `drift`, `apply` with nothing to change:
 * workflows/lock-report.ts) verifies nothing, so it lists no drains: it reads the webhooks alongside
 * the plan's read and adds the lock drains that read saw. Each app's drains are read once per run.
 */
export const LOCK_HOST = 'daffeinated-lock.invalid';
const LOCK_URL = `https://${LOCK_HOST}/v1`;
const LEGACY_DRAIN = 'drain:';

/** Whether a webhook or drain URL is a daffeinated lock. */
export function isLockDrain(url: string): boolean {
  try {
    return new URL(url).hostname === LOCK_HOST;
  } catch {
    return false;
  }
}

/** The lock URL for a holder: its fields, sorted, as query parameters. */
export function lockUrl(holder: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams(Object.entries(holder).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${LOCK_URL}?${query.toString()}`;
}

function toRecord(key: string, found: { readonly url: string; readonly created_at?: string | undefined }): LockRecord {
  const holder = Object.fromEntries(new URL(found.url).searchParams.entries());
  return { key, holder, createdAt: found.created_at };
}

function webhookLocks(webhooks: readonly ApiWebhook[]): LockRecord[] {
  return webhooks.filter((w) => isLockDrain(w.url)).map((w) => toRecord(w.id, w));
}

function drainLocks(drains: readonly ApiLogDrain[]): LockRecord[] {
  return drains.filter((d) => isLockDrain(d.url)).map((d) => toRecord(`${LEGACY_DRAIN}${d.id}`, d));
}

export class HerokuLocks implements LockStore {
  /** Per environment whose app's log drains were read, the lock drains among them (usually none). */
  private readonly drainLocks = new Map<string, readonly LockRecord[]>();
  /** Per environment, whether its drains were known to hold no lock when a lock was last created there. */
  private readonly knownAtCreate = new Map<string, boolean>();

  constructor(
    private readonly client: HerokuClient,
    private readonly apps: AppNames,
  ) {}

  /** What a read of the environment's app saw of its log drains (undefined: no app, or not read). */
  sawDrains(environment: string, drains: readonly ApiLogDrain[] | undefined): void {
    if (drains === undefined) this.drainLocks.delete(environment);
    else this.drainLocks.set(environment, drainLocks(drains));
  }

  /** The app's lock webhooks, then any lock drains an older version left (see the module comment). */
  async list(environment: string): Promise<readonly LockRecord[] | undefined> {
    const app = this.app(environment);
    const noLockDrains = this.knownAtCreate.get(environment) ?? this.noLockDrains(environment);
    this.knownAtCreate.delete(environment);
    const [webhooks, drains] = await Promise.all([
      this.client.find<ApiWebhook[]>(`${app}/webhooks`, WEBHOOKS),
      noLockDrains ? [] : this.client.find<ApiLogDrain[]>(`${app}/log-drains`, DRAINS),
    ]);
    if (webhooks === undefined) return undefined;
    return [...webhookLocks(webhooks), ...drainLocks(drains ?? [])];
  }

  /**
   * The app's lock webhooks, read alongside `read`, and the lock drains that read saw (see the
   * module comment). The webhooks are asked for one turn of the event loop later, once the plan's
   * read has queued its requests: the survey is needed by no one before the plan is done, so it
   * queues behind the reads instead of taking the first requests the rate-limit pacer lets out
   * before its first answer (20 apps' surveys sent first made a 20-app drift 4 rounds, not 3).
   */
  async survey(environment: string, read: Promise<unknown>): Promise<readonly LockRecord[] | undefined> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const [webhooks] = await Promise.all([
      this.client.find<ApiWebhook[]>(`${this.app(environment)}/webhooks`, WEBHOOKS),
      read.catch(() => undefined),
    ]);
    if (webhooks === undefined) return undefined;
    return [...webhookLocks(webhooks), ...(this.drainLocks.get(environment) ?? [])];
  }

  /**
   * One POST; after an ambiguous failure the app's webhooks are read and this holder's is adopted.
   * A 404 is no app (not yet, or not any more): nothing was recorded, so nothing is read.
   */
  async create(environment: string, holder: Readonly<Record<string, string>>): Promise<LockRecord | undefined> {
    const url = lockUrl(holder);
    const path = `${this.app(environment)}/webhooks`;
    const body = { url, include: ['api:collaborator'], level: 'notify' };
    this.knownAtCreate.set(environment, this.noLockDrains(environment));
    let webhook: ApiWebhook;
    try {
      webhook = await this.client.post<ApiWebhook>(path, { body, shape: WEBHOOK });
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return undefined;
      webhook = await createOrAdopt(
        () => Promise.reject(error),
        async () => (await this.client.get<ApiWebhook[]>(path, { shape: WEBHOOKS })).find((w) => w.url === url),
      );
    }
    return toRecord(webhook.id, webhook);
  }

  async remove(environment: string, key: string): Promise<void> {
    const app = this.app(environment);
    const path = key.startsWith(LEGACY_DRAIN)
      ? `${app}/log-drains/${encodeURIComponent(key.slice(LEGACY_DRAIN.length))}`
      : `${app}/webhooks/${encodeURIComponent(key)}`;
    try {
      await this.client.delete(path);
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return;
      throw error;
    }
  }

  /** Whether this run's last read of the environment's app saw its log drains, and no lock among them. */
  private noLockDrains(environment: string): boolean {
    return this.drainLocks.get(environment)?.length === 0;
  }

  private app(environment: string): string {
    const app = this.apps.get(environment);
    if (app === undefined) throw new InternalError(`no Heroku app is declared for environment ${environment}`);
    return `/apps/${encodeURIComponent(app)}`;
  }
}
