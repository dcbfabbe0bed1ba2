import type { BackupEntry, TransferStatus } from '../../model/backups.js';
import { boolean, list, nullable, number, object, optional, type Shape, string, unknown } from '../../runtime/shape.js';

/**
 * The Heroku Postgres API's transfers (backups, restores, copies) and transfer schedules as it
 * sends them (`/client/v11/...` on api.data.heroku.com), and what daffeinated makes of them. Pure:
 * no I/O. Field names and semantics follow the official Heroku CLI (`src/lib/pg/types.ts`,
 * `src/lib/pg/backups.ts`).
 */

/** Where a transfer reads from or writes to: `pg_dump` → `gof3r` is a backup, `… → pg_restore` a restore. */
export type TransferEnd = 'gof3r' | 'htcat' | 'pg_dump' | 'pg_restore';

export interface PgTransfer {
  readonly uuid: string;
  /** Per-app sequence number: the `3` of `b003`. */
  readonly num: number;
  readonly from_name: string | null;
  readonly from_type: TransferEnd;
  readonly to_name: string | null;
  readonly to_type: TransferEnd;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly canceled_at?: string | null;
  readonly succeeded: boolean;
  readonly processed_bytes: number;
  readonly source_bytes?: number | null;
  readonly warnings?: number;
  /** Set on backups a schedule took (their id starts with `a`). */
  readonly schedule?: { readonly uuid: string } | null;
  readonly options?: Readonly<Record<string, unknown>> | null;
  readonly logs?: readonly { readonly created_at: string; readonly message: string }[];
}

export interface PgTransferSchedule {
  readonly uuid: string;
  /** The attachment's config var, e.g. `DATABASE_URL`. */
  readonly name: string;
  /** 0–23; the API has sent it as a number and as a string of digits. */
  readonly hour: number;
  /** IANA name (`Europe/Berlin`) or `UTC`. */
  readonly timezone: string;
  readonly retain_weeks?: number | null;
  readonly retain_months?: number | null;
}

export const TRANSFER: Shape<unknown> = object({
  uuid: string,
  num: number,
  from_type: string,
  to_type: string,
  created_at: string,
  started_at: optional(nullable(string)),
  finished_at: optional(nullable(string)),
  succeeded: optional(nullable(boolean)),
  processed_bytes: optional(nullable(number)),
});
export const TRANSFERS: Shape<unknown> = list(TRANSFER);

export const SCHEDULE: Shape<unknown> = object({ uuid: string, name: string, hour: unknown, timezone: string });
export const SCHEDULES: Shape<unknown> = list(SCHEDULE);

export const PUBLIC_URL: Shape<unknown> = object({ url: string });

export function transferStatus(t: PgTransfer): TransferStatus {
  if (t.finished_at && t.succeeded) return 'completed';
  if (t.canceled_at) return 'canceled';
  if (t.finished_at) return 'failed';
  if (t.started_at) return 'running';
  return 'pending';
}

export function isBackup(t: PgTransfer): boolean {
  return t.from_type === 'pg_dump' && t.to_type === 'gof3r';
}

/**
 * The id people use (`b001`, `a002` scheduled, `r003` restore, `c004` copy), as the CLI names
 * transfers; legacy PGBackups transfers keep their old name behind an `o`.
 */
export function transferName(t: PgTransfer): string {
  const legacy = t.options?.['pgbackups_name'];
  if (typeof legacy === 'string' && legacy !== '') return `o${legacy}`;
  return `${transferPrefix(t)}${String(t.num).padStart(3, '0')}`;
}

function transferPrefix(t: PgTransfer): 'a' | 'b' | 'c' | 'r' {
  if (t.from_type === 'pg_dump') {
    if (t.to_type === 'pg_restore') return 'c';
    return t.schedule ? 'a' : 'b';
  }
  return t.to_type === 'pg_restore' ? 'r' : 'b';
}

/** The transfer number in an id such as `b001`, `a12` or `r003`; undefined for anything else. */
export function transferNumber(id: string): number | undefined {
  const m = /^[abcr](\d+)$/.exec(id.trim());
  return m === null ? undefined : Number.parseInt(m[1] as string, 10);
}

/** A schedule's hour as a number (0–23), whichever form the API sent; undefined when neither. */
export function scheduleHour(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 23 ? n : undefined;
}

/** One backup as `daffeinated backups` lists it. */
export function backupEntry(t: PgTransfer): BackupEntry {
  return {
    id: transferName(t),
    uuid: t.uuid,
    database: t.from_name,
    createdAt: t.created_at,
    finishedAt: t.finished_at,
    status: transferStatus(t),
    bytes: t.processed_bytes ?? 0,
    sourceBytes: typeof t.source_bytes === 'number' && t.source_bytes > 0 ? t.source_bytes : null,
    scheduled: Boolean(t.schedule),
  };
}

/** The app's backups, newest first (ties by number), as the CLI sorts them. */
export function backupsOf(transfers: readonly PgTransfer[]): PgTransfer[] {
  return transfers.filter(isBackup).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.num - a.num);
}
