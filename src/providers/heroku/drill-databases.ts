import type { DatabaseRef, DrillBackup, DrillDatabases, TransferWait } from '../../model/drill-databases.js';
import type { HerokuClient } from './client.js';
import { backupUrl, captureBackup, listBackups, restoreBackup, type WaitOptions } from './postgres-api.js';
import { type PgTransfer, type TransferStatus, transferName, transferStatus } from './postgres-transfers.js';

/** A capture or restore of a large database takes hours; past this the drill stops waiting (it keeps going on Heroku). */
const TRANSFER_TIMEOUT_MS = 6 * 60 * 60_000;

/**
 * The drill's backups API over the Heroku Postgres API (postgres-api.ts, `pg` on its host): the
 * newest completed backup of one database among the app's transfers, a capture, and a restore
 * from the backup's short-lived URL into the drill's database, each waited for on the drill's
 * clock (an interrupted drill stops waiting at its next poll).
 */
export function herokuDrillDatabases(pg: HerokuClient): DrillDatabases {
  return {
    async newestBackup(app, database) {
      const done = (await listBackups(pg, app)).find((t) => fromDatabase(t, database) && transferStatus(t) === 'completed');
      return done === undefined ? undefined : toBackup(app, done);
    },
    async capture(app, database, wait) {
      return toBackup(app, await captureBackup(pg, { app, addonId: database.id }, waitOptions(wait, `capturing a backup of ${database.name}`)));
    },
    async restore(backup, target, wait) {
      const url = await backupUrl(pg, backup.app, backup.name);
      const restore = await restoreBackup(pg, { ...target, backupUrl: url }, waitOptions(wait, `restoring ${backup.name} into ${target.app}`));
      return { bytes: restore.processed_bytes ?? null };
    },
  };
}

/**
 * Whether a backup is of `database`: the API names the source by the add-on's name (its
 * attachment's for some captures); a backup that names none is taken as the app's database.
 */
function fromDatabase(transfer: PgTransfer, database: DatabaseRef): boolean {
  const from = transfer.from_name;
  return from === null || from === undefined || [database.name, database.attachment, `${database.attachment}_URL`].includes(from);
}

function toBackup(app: string, transfer: PgTransfer): DrillBackup {
  return {
    app,
    name: transferName(transfer),
    finishedAt: iso(transfer.finished_at ?? transfer.created_at),
    sourceBytes: transfer.source_bytes ?? transfer.processed_bytes ?? null,
  };
}

/** The API's timestamps (`2026-12-01 02:00:09 +0000`) as ISO 8601; unchanged when unreadable. */
function iso(text: string): string {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

/** The drill's clock and sleeps, and a progress line whenever the transfer's status changes. */
function waitOptions(wait: TransferWait, what: string): WaitOptions {
  let last: TransferStatus | undefined;
  return {
    poll: { now: wait.now, sleep: wait.sleep, firstDelayMs: 500, maxDelayMs: 10_000, timeoutMs: TRANSFER_TIMEOUT_MS },
    onProgress: (progress) => {
      if (progress.status === last) return;
      last = progress.status;
      wait.progress(`${what}: ${progress.id} ${progress.status}`);
    },
  };
}
