import type {
  BuildRecord,
  CouplingRecord,
  PipelineRecord,
  PromotionRecord,
  ReleasePhaseRecord,
  SourceRecord,
} from './deploy.js';
import type { PgScheduleRecord, PgTransferRecord } from '../pg/records.js';

/**
 * The Heroku half of the sandbox state. Plain JSON data only (it is persisted as is); the API
 * shapes are produced from it by the serialisers next to each resource's routes. Catalogue data
 * (regions, stacks, dyno sizes, add-on plans, features) is not state: it lives in the catalogue
 * modules and is referenced by name. Timed transitions (provisioning, builds, …) store the epoch
 * millisecond they are due at on the injected clock (`…DueMs`); timed/clock.ts applies them.
 */
export interface HerokuState {
  /** The one account every accepted token acts as. */
  account: AccountRecord;
  teams: TeamRecord[];
  apps: AppRecord[];
  pipelines: PipelineRecord[];
  couplings: CouplingRecord[];
  promotions: PromotionRecord[];
  /** Source uploads issued by `POST /sources` (their bytes live in the blob store). */
  sources: SourceRecord[];
}

export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface AppRecord {
  id: string;
  name: string;
  /** Owning team; `null` for a personal app. */
  teamId: string | null;
  locked: boolean;
  region: string;
  stack: string;
  /** Stack of the next build (changes on PATCH; `stack` follows on the next build). */
  buildStack: string;
  maintenance: boolean;
  acm: boolean;
  /** Random part of the web hostname: `https://<name>-<webSuffix>.herokuapp.com/`. */
  webSuffix: string;
  buildpackProvidedDescription: string | null;
  slugSize: number | null;
  repoSize: number | null;
  createdAt: string;
  updatedAt: string;
  releasedAt: string | null;
  config: Record<string, string>;
  /** Ascending by version. */
  releases: ReleaseRecord[];
  slugs: SlugRecord[];
  formation: FormationRecord[];
  /** Add-ons billed to this app; their `configVars` are owned by them (read-only through the API). */
  addons: AddonRecord[];
  /** Ordered buildpack installations. */
  buildpacks: { url: string; name: string }[];
  /** App features switched away from their default (off); see api/features.ts for the catalogue. */
  features: { name: string; enabled: boolean; updatedAt: string }[];
  /** Custom domains (the built-in `kind: heroku` domain is derived from the app, not stored). */
  domains: DomainRecord[];
  logDrains: LogDrainRecord[];
  /** App webhook subscriptions (api/webhooks.ts); the sandbox never delivers to them. */
  webhooks: WebhookRecord[];
  builds: BuildRecord[];
  /** Failures armed through the admin routes, each consumed by the next matching operation. */
  failNext: FailNext;
  /** Heroku Postgres transfers of the app's databases (pg/transfers.ts); absent until the first. */
  pgTransfers?: PgTransferRecord[];
}

export interface FailNext {
  build?: string;
  releasePhase?: string;
  promotion?: string;
}

export interface ReleaseRecord {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  description: string;
  slugId: string | null;
  user: { id: string; email: string };
  /** Config vars as of this release (for rollback and `/releases/{id}/config-vars`). */
  config: Record<string, string>;
  addonPlanNames: string[];
  /** Path of the release-phase output stream (made absolute per request), `null` without a phase. */
  outputStreamUrl: string | null;
  /** The Procfile `release` command run for this release, if its slug declares one. */
  phase: ReleasePhaseRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface SlugRecord {
  id: string;
  processTypes: Record<string, string>;
  stack: string;
  commit: string | null;
  commitDescription: string | null;
  checksum: string | null;
  buildpackProvidedDescription: string | null;
  size: number | null;
  /** Capability key of the slug download URL (`/__sandbox/slugs/{key}`). */
  blobKey: string;
  /** The uploaded source the slug was built from; `null` for slugs declared out of band. */
  sourceKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormationRecord {
  id: string;
  type: string;
  quantity: number;
  /** Canonical dyno size name as the API displays it, e.g. `Standard-1X`. */
  size: string;
  command: string;
  createdAt: string;
  updatedAt: string;
}

export interface AddonRecord {
  id: string;
  name: string;
  service: { id: string; name: string };
  /** `plan.name` is the full `service:plan`. */
  plan: { id: string; name: string };
  state: 'provisioning' | 'provisioned' | 'deprovisioned';
  /** Names of the app config vars this add-on sets (and owns). */
  configVars: string[];
  providerId: string;
  provisionMessage: string;
  webUrl: string | null;
  billedPrice: { cents: number; contract: boolean; unit: string } | null;
  /** The add-on's attachment to its own app (`name` is the config var prefix, e.g. DATABASE). */
  attachment: { id: string; name: string; createdAt: string; updatedAt: string };
  /** Provider configuration given at creation (e.g. `{version: "16"}`). */
  config: Record<string, string>;
  /** While provisioning: when it completes (`null`: only the admin route completes it). */
  provisionDueMs: number | null;
  /** Heroku Postgres only: its daily backup schedule (pg/schedules.ts); absent or null when none. */
  backupSchedule?: PgScheduleRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface DomainRecord {
  id: string;
  hostname: string;
  /** DNS target, `<adjective>-<noun>-<hash>.herokudns.com`. */
  cname: string;
  /** `pending` until the DNS target is provisioned, then `succeeded` (admin may set anything). */
  status: string;
  statusDueMs: number | null;
  /**
   * `null` while ACM is off; `pending`, then `cert issued` once the domain succeeded and its name
   * resolves DNS-only to `cname`, else `failing` (retried) and at last `failed` (timed/acm.ts).
   */
  acmStatus: string | null;
  acmStatusReason: string | null;
  /** When ACM next checks the domain's DNS (`null`: no check scheduled). */
  acmDueMs: number | null;
  /** When the current run of failed checks began (`null`: not failing). */
  acmFailingSinceMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookRecord {
  id: string;
  url: string;
  include: string[];
  level: 'notify' | 'sync';
  createdAt: string;
  updatedAt: string;
}

export interface LogDrainRecord {
  id: string;
  url: string;
  /** `d.<uuid>`. */
  token: string;
  createdAt: string;
  updatedAt: string;
}
