/**
 * What a recovery drill needs of the Postgres backups API (workflows/drill.ts): the newest
 * completed backup of a database, a capture, and a restore into another app's database, each
 * waited for to its end (a failed transfer throws an error saying why). Implemented over Heroku's
 * Postgres API by providers/heroku/drill-databases.ts.
 */
export interface DrillDatabases {
  /** The newest completed backup of `database` (an add-on of `app`); undefined when it has none. */
  newestBackup(app: string, database: DatabaseRef): Promise<DrillBackup | undefined>;
  /** Captures a backup of `database` (an add-on of `app`) now and waits for it. */
  capture(app: string, database: DatabaseRef, wait: TransferWait): Promise<DrillBackup>;
  /** Restores `backup` into the add-on `target.addonId` of `target.app`, replacing its contents, and waits for it. */
  restore(backup: DrillBackup, target: { readonly app: string; readonly addonId: string }, wait: TransferWait): Promise<Restored>;
}

/** A Postgres add-on: its Heroku id, its globally unique name and its attachment name on the app (backups name one of them as their source). */
export interface DatabaseRef {
  readonly id: string;
  readonly name: string;
  /** `DATABASE` (its config var is `DATABASE_URL`). */
  readonly attachment: string;
}

/** A completed backup (Heroku Postgres `pg:backups`). */
export interface DrillBackup {
  /** The app whose transfers list holds it. */
  readonly app: string;
  /** What `heroku pg:backups` calls it, e.g. `b012`. */
  readonly name: string;
  /** When it finished (ISO 8601): the recovery point. */
  readonly finishedAt: string;
  /** The database's size when it was captured (else the backup's own); null when the API says neither. */
  readonly sourceBytes: number | null;
}

export interface Restored {
  /** Bytes the restore processed; null when the API does not say. */
  readonly bytes: number | null;
}

/** How a transfer is waited for: the drill's clock and sleeps (which end the wait when it is interrupted), and progress. */
export interface TransferWait {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: (message: string) => void;
}
