import type { Change, CostEstimate, KindPolicies, LiveState, Ordering } from '../engine/types.js';
import type { BackupEntry, DatabaseRef, TransferProgress } from '../model/backups.js';
import type { Address, ProviderId, Resource } from '../model/resource.js';
import type { Value } from '../model/value.js';
import type { DaffError } from '../runtime/errors.js';

/** What to read: the environments (Heroku) or zones (Cloudflare) being planned, with their desired resources. */
export interface ReadScope {
  readonly scopes: readonly string[];
  /** Desired resources of those scopes; a provider reads what they name (apps, zones). */
  readonly desired: readonly Resource[];
}

/** Progress and logging for long operations; writes to stderr only. */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** A step of a long wait (provisioning, builds); may be rendered as a spinner line. */
  progress(address: Address, message: string): void;
}

export interface ApplyContext {
  readonly reporter: Reporter;
  /** The step of the changes to apply, when it is a later one the provider declared (`Ordering.steps`); absent: their first. */
  readonly step?: string;
  /**
   * The later steps still to come for changes applied in several (`Ordering.steps`), by address;
   * a first step may leave for them what they do (a record written DNS-only before its `proxied` step).
   */
  readonly later?: ReadonlyMap<Address, readonly string[]>;
  /** Values produced by earlier applied changes, for resolving Unknown references. */
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

export interface ApplyResult {
  readonly applied: readonly Address[];
  readonly failed: readonly { readonly address: Address; readonly error: DaffError }[];
  readonly notAttempted: readonly Address[];
  /** Values the applied resources now have (e.g. a domain's DNS target), keyed by address. */
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

/**
 * A provider reads live state and applies changes. It must not mutate anything in `read`, must be
 * safe to re-run after a crash at any point (re-read and reconcile rather than retrying a POST),
 * and must report exactly what it applied.
 */
export interface Provider {
  readonly id: ProviderId;
  /** Safety policy of the kinds this provider owns (what destroying one loses, change thresholds); absent: none. */
  readonly kinds?: KindPolicies;
  read(scope: ReadScope): Promise<LiveState>;
  /**
   * Applies one group the engine formed (engine `executionGroups`): one change, or the members of
   * one batch key, served by one request (or as few as the API allows). Changes arrive in the
   * order to apply them; the provider does not reorder them. Failures are reported, not thrown;
   * after one, what the provider did not start is reported not attempted.
   */
  apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult>;
  /**
   * What the engine needs to order this provider's changes beyond the resources' `dependsOn`, as
   * data (engine `Ordering`): extra edges (which may name other providers' changes), later steps
   * of its changes, and the batch keys of its steps. `changes` are the plan's, every provider's.
   * Absent: each change is one step, applied on its own once its `dependsOn` are.
   */
  ordering?(changes: readonly Change[]): Ordering;
  /**
   * The monthly cost change of `changes` (this provider's only), from the API's own price data;
   * undefined when none of them has a price. Read-only; reads only the prices it needs.
   */
  estimateCost?(changes: readonly Change[]): Promise<CostEstimate | undefined>;
  /**
   * What runs now costs a month: this provider's `live` resources priced from the API's own price
   * data (each as a line with nothing before it), plus charges that are no resource (a Cloudflare
   * zone's plan, `cloudflare.zone[<zone>]`). Read-only; absent: nothing it runs is priced.
   */
  costNow?(live: readonly Resource[]): Promise<CostEstimate>;
  /** Where runs record that they are applying to an environment (workflows/lock.ts); absent: no locking. */
  readonly locks?: LockStore;
}

/** A lock as recorded on an environment: the store's own key, who holds it, and when the store recorded it. */
export interface LockRecord {
  readonly key: string;
  /** What the holder wrote about itself (workflows/lock.ts decides the fields; never secrets). */
  readonly holder: Readonly<Record<string, string>>;
  /** The store's own timestamp (ISO 8601), when it has one. */
  readonly createdAt: string | undefined;
}

/**
 * Records kept on an environment's live resources, one per run applying to it. The store gives no
 * mutual exclusion by itself: workflows/lock.ts builds it (create, then list, one holder wins).
 */
export interface LockStore {
  /** The locks recorded on the environment; undefined when there is nothing to record one on yet (no app). */
  list(environment: string): Promise<readonly LockRecord[] | undefined>;
  /**
   * Records a lock; undefined when there is nothing to record one on (no app). Never resent
   * blindly: after an ambiguous failure, the store lists and adopts its own.
   */
  create(environment: string, holder: Readonly<Record<string, string>>): Promise<LockRecord | undefined>;
  /** Removes a lock; one already gone is fine. */
  remove(environment: string, key: string): Promise<void>;
  /**
   * The locks on the environment for a report, never to verify a create: read alongside `read`
   * (this run's read of live state, which may already hold some of them) and complete once it is
   * done, whether it succeeded or not. Undefined as `list`.
   */
  survey(environment: string, read: Promise<unknown>): Promise<readonly LockRecord[] | undefined>;
}

/** A build, as `deploy` follows it (Heroku `build`). */
export interface BuildStatus {
  readonly id: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  /** Plain-text output, streamed while the build runs (a signed URL: no credentials needed). */
  readonly outputStreamUrl: string | null;
  /** The release a successful build created. */
  readonly releaseId: string | null;
  readonly slugId: string | null;
}

/** A release (Heroku `release`). `current` is the one serving traffic. */
export interface ReleaseStatus {
  readonly id: string;
  readonly version: number;
  readonly status: 'pending' | 'succeeded' | 'failed' | 'expired';
  readonly current: boolean;
  readonly slugId: string | null;
  readonly description: string;
  /** Release-phase output, when the slug declares a `release` process. */
  readonly outputStreamUrl: string | null;
  /** Who made it (an e-mail address) and when (ISO 8601), when the API says. */
  readonly user?: string;
  readonly createdAt?: string;
}

export interface SlugSummary {
  readonly id: string;
  readonly commit: string | null;
  /** Procfile process types, e.g. `{web: "node server.js", release: "…"}`. */
  readonly processTypes: Readonly<Record<string, string>>;
}

export interface AppSummary {
  readonly id: string;
  readonly name: string;
  readonly webUrl: string | null;
}

export interface FormationEntry {
  readonly type: string;
  readonly quantity: number;
  readonly size: string;
}

/** One dyno as `heroku ps` lists it. */
export interface DynoStatus {
  /** `web.1`, … */
  readonly name: string;
  readonly type: string;
  /** `starting`, `up`, `crashed`, `idle`, `down`, … (Heroku's values, passed through). */
  readonly state: string;
  /** The version of the release it runs. */
  readonly releaseVersion: number | null;
}

/** One add-on as `heroku addons` lists it. */
export interface AddonStatus {
  readonly name: string;
  /** `service:plan`. */
  readonly plan: string;
  /** `provisioning`, `provisioned`, `deprovisioned` (Heroku's values, passed through). */
  readonly state: string;
}

/** One custom domain as `heroku domains` lists it. */
export interface DomainStatus {
  readonly hostname: string;
  /** The DNS target Heroku wants the hostname to point at. */
  readonly cname: string | null;
  /** ACM's certificate state (`cert issued`, `pending`, `failed`, …); null without ACM. */
  readonly acmStatus: string | null;
}

/** One target of a pipeline promotion; the promotion's own status does not say whether it succeeded. */
export interface PromotionTargetStatus {
  readonly appId: string;
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly errorMessage: string | null;
  readonly releaseId: string | null;
}

/**
 * Heroku Postgres backups (PGBackups) of an app's databases, through the Postgres API
 * (providers/heroku/postgres-api.ts). Waits poll until the transfer finishes and reject when it
 * failed; `onProgress` sees each poll.
 */
export interface Backups {
  /** The app's Postgres add-on attached as `attachment` (default `DATABASE`); undefined when it has none. */
  database(app: string, attachment?: string): Promise<DatabaseRef | undefined>;
  /** The backups of the databases `app` owns, newest first. */
  list(app: string): Promise<BackupEntry[]>;
  /** Takes a backup of the database now and waits for it. */
  capture(database: DatabaseRef, onProgress?: (progress: TransferProgress) => void): Promise<BackupEntry>;
  /** A short-lived download URL of a completed backup of `app` (`b001`). */
  url(app: string, backupId: string): Promise<string>;
  /** Restores the backup at `backupUrl` into the database, replacing its contents, and waits. */
  restore(database: DatabaseRef, backupUrl: string, onProgress?: (progress: TransferProgress) => void): Promise<void>;
}

/**
 * Shipping code (`deploy`, `promote`): sources, builds, releases, pipeline promotions, logs. Reads
 * are retried; writes that create something (upload slot, build, promotion, rollback release) are
 * sent once: when one fails without a clear answer (`ProviderError` with no status or a 5xx) it
 * may have happened, and the caller must re-read before doing anything else (`startBuild` does
 * that itself: it looks for the build among the app's latest).
 */
export interface Delivery {
  app(app: string): Promise<AppSummary>;
  /** Stores a .tar.gz where the build system can fetch it (`POST /sources`, then PUT); returns its URL. */
  uploadSource(data: Uint8Array): Promise<string>;
  startBuild(app: string, source: { readonly url: string; readonly version: string; readonly checksum: string }): Promise<BuildStatus>;
  build(app: string, id: string): Promise<BuildStatus>;
  /** The app's recent builds (the newest 20) whose source version is `version`, newest first. */
  buildsOf(app: string, version: string): Promise<BuildStatus[]>;
  /** A new release of a slug the app already has, with the app's current config vars. */
  releaseSlug(app: string, slugId: string, description: string): Promise<ReleaseStatus>;
  /**
   * Reads a build or release-phase output stream to its end (or until `signal` aborts), line by
   * line; throws StreamUnavailableError when it answers an HTTP error (it may not exist yet).
   */
  followOutput(url: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<void>;
  /** The newest `count` releases, newest first. */
  releases(app: string, count: number): Promise<ReleaseStatus[]>;
  release(app: string, id: string): Promise<ReleaseStatus>;
  slug(app: string, id: string): Promise<SlugSummary>;
  /** Names of the app's config vars (values are read and dropped at once: they may be secrets). */
  configKeys(app: string): Promise<string[]>;
  formation(app: string): Promise<FormationEntry[]>;
  /** The pipeline's id, undefined when there is no such pipeline. */
  pipelineId(name: string): Promise<string | undefined>;
  promote(request: {
    readonly pipelineId: string;
    readonly sourceAppId: string;
    readonly sourceReleaseId: string;
    readonly targetAppIds: readonly string[];
  }): Promise<{ readonly id: string }>;
  promotionTargets(promotionId: string): Promise<PromotionTargetStatus[]>;
  /** A new release with the code and config vars of `releaseId` (Heroku's rollback). */
  rollback(app: string, releaseId: string): Promise<ReleaseStatus>;
  /** The app's newest log lines (`heroku logs -n`), for failure reports. */
  recentLogs(app: string, lines: number): Promise<string[]>;
  /** The app's dynos (`heroku ps`), to tell a crashed web process from one still starting. */
  dynos(app: string): Promise<DynoStatus[]>;
  /** The app's add-ons with their states (`status`). */
  addons(app: string): Promise<AddonStatus[]>;
  /** The app's custom domains with their DNS targets and certificate states (`status`). */
  domains(app: string): Promise<DomainStatus[]>;
  /** Names of the config vars a release was made with (`rollback` compares them; values are dropped at once). */
  releaseConfigKeys(app: string, releaseId: string): Promise<string[]>;
}

/** The kind policies of `providers` together, for safety: each provider declares only its own kinds. */
export function kindPolicies(providers: Iterable<Provider>): KindPolicies {
  return Object.assign({}, ...[...providers].map((provider) => provider.kinds ?? {}));
}

/** What to purge from one zone's cache: hostnames and URL prefixes (`host/path`), or everything. */
export type PurgeSelection =
  | { readonly kind: 'selected'; readonly hosts: readonly string[]; readonly prefixes: readonly string[] }
  | { readonly kind: 'everything' };

/** One zone's purge as sent: the plan its batches were sized by and how many requests it took. */
export interface ZonePurged {
  readonly zone: string;
  readonly selection: PurgeSelection;
  /** The zone's plan (`free` when the API does not say: the smallest batches). */
  readonly plan: string;
  readonly requests: number;
}

/**
 * Purging a CDN's cache (Cloudflare `POST /zones/{id}/purge_cache`), batched within the zone's
 * plan. Purging twice is harmless, so a failure may be retried by running the purge again; a
 * failure part-way says how many requests were accepted before it.
 */
export interface CachePurger {
  purge(zone: string, selection: PurgeSelection): Promise<ZonePurged>;
}
