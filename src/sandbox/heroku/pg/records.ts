/**
 * What the sandbox's Heroku Postgres API keeps (persisted inside the app and add-on records): an
 * app's transfers (backups and restores, numbered per app as Heroku numbers them) and an add-on's
 * backup schedule. Plain JSON.
 */
export interface PgTransferRecord {
  uuid: string;
  /** Per app, from 1: the `1` of `b001`. */
  num: number;
  kind: 'backup' | 'restore';
  /** Add-on whose database is read (backups) or written (restores). */
  addonId: string;
  /** Attachment names as the CLI lists them (`DATABASE`); for a restore, the source is the backup's URL. */
  fromName: string;
  toName: string;
  /** The backup this restore reads; null for a backup or a restore from a URL the sandbox does not know. */
  sourceUuid: string | null;
  scheduleUuid: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  succeeded: boolean;
  processedBytes: number;
  sourceBytes: number;
  /** pending → running at `startDueMs`, running → finished at `finishDueMs` (metadata only) or when the job ends. */
  startDueMs: number;
  finishDueMs: number;
  /** What stands behind it: a real local database (databases.ts), or nothing but this record. */
  data: 'local database' | 'metadata only';
  /** The archive (backups) or restore job id given to databases.ts. */
  jobId: string;
  /** Log lines, as `pg:backups:info` shows them. */
  logs: { createdAt: string; message: string }[];
  /** A deleted or expired backup stays listed by nobody. */
  deletedAt: string | null;
  /** Signs its download URLs (backup-urls.ts); made when the first one is issued. */
  urlKey?: string;
}

export interface PgScheduleRecord {
  uuid: string;
  /** The attachment's config var, e.g. `DATABASE_URL`. */
  name: string;
  hour: number;
  timezone: string;
  createdAt: string;
  updatedAt: string;
  /** The scheduled time of the last backup the sandbox took for it (scheduled-backups.ts); absent before the first. */
  lastRunAt?: string;
}
