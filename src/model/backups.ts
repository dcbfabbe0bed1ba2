/**
 * Heroku Postgres backups as daffeinated shows and uses them (`backups ENV`, the DR drill): the
 * Postgres API's transfers (providers/heroku/postgres-transfers.ts) in plain terms.
 */
export type TransferStatus = 'pending' | 'running' | 'completed' | 'failed' | 'canceled';

export interface BackupEntry {
  /** The id people use: `b001` (manual), `a002` (scheduled). */
  readonly id: string;
  readonly uuid: string;
  /** The attachment it was taken from (`DATABASE`); null when the API does not say. */
  readonly database: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly status: TransferStatus;
  /** Size of the backup as stored (PGBackups' `processed_bytes`). */
  readonly bytes: number;
  /** The database's size when it was captured (PGBackups' `source_bytes`); null when the API does not say. */
  readonly sourceBytes: number | null;
  readonly scheduled: boolean;
}

/** A transfer being waited for, at each poll. */
export interface TransferProgress {
  readonly id: string;
  readonly status: TransferStatus;
  readonly processedBytes: number;
}

/** An app's Heroku Postgres add-on, as backups address it. */
export interface DatabaseRef {
  /** The add-on's id (the Postgres API's database id). */
  readonly id: string;
  /** Its globally unique add-on name (`postgresql-shaped-12345`). */
  readonly name: string;
  /** `heroku-postgresql:standard-0`. */
  readonly plan: string;
  /** Attachment name on the app: `DATABASE`. */
  readonly attachment: string;
  /** The app that owns (bills) it: its transfers list shows its backups. */
  readonly app: string;
}
