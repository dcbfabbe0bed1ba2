/**
 * The contract between the sandbox's Heroku Postgres API emulation (schedules, backups, restores)
 * and what stands behind a `heroku-postgresql` add-on's `DATABASE_URL`.
 *
 * When the machine has PostgreSQL's server binaries and the sandbox runs processes, the runtime's
 * `databases` is a real local server: every Postgres add-on is a real database, a capture is a real
 * `pg_dump` archive and a restore a real `pg_restore`. Without it, `databases` is undefined and the
 * emulation records metadata only (and says so in its answers and the admin state).
 *
 * Handlers are synchronous, so work that takes time is started here and observed through `job`,
 * the way the real API's transfers move from pending to running to completed.
 */
export interface SandboxDatabases {
  /** Reserves the add-on's database and returns its connection URL (usable once `ready` says so). */
  provision(addonId: string): string;
  /** Whether the add-on's database exists and accepts connections. */
  ready(addonId: string): boolean;
  /** Drops the add-on's database; archives captured from it stay until `dropArchive`. */
  deprovision(addonId: string): void;
  /** Starts a `pg_dump` of the add-on's database into the archive `archiveId`; observe it as job `archiveId`. */
  capture(addonId: string, archiveId: string): void;
  /** Starts a `pg_restore` of archive `archiveId` into the add-on's database (replacing its contents); job `jobId`. */
  restore(archiveId: string, targetAddonId: string, jobId: string): void;
  /** The file of a completed capture (`pg_dump -Fc`), to download; undefined when there is none. */
  archiveFile(archiveId: string): string | undefined;
  /** Deletes a captured archive (a deleted or expired backup). */
  dropArchive(archiveId: string): void;
  /** A started capture's or restore's state; undefined for an unknown id. */
  job(jobId: string): DatabaseJob | undefined;
  /** The add-on's database size in bytes as PostgreSQL reports it; undefined until it is ready. */
  sizeOf(addonId: string): number | undefined;
}

export type DatabaseJob =
  | { readonly state: 'running' }
  | { readonly state: 'completed'; readonly bytes: number }
  | { readonly state: 'failed'; readonly message: string };
