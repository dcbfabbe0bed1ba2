import { ProviderError } from '../../runtime/errors.js';
import type { TransferProgress } from '../../model/backups.js';
import { object, string } from '../../runtime/shape.js';
import { DEFAULT_POLL, type PollOptions } from './apply-support.js';
import type { HerokuClient } from './client.js';
import {
  backupsOf,
  type PgTransfer,
  type PgTransferSchedule,
  PUBLIC_URL,
  SCHEDULE,
  SCHEDULES,
  scheduleHour,
  TRANSFER,
  TRANSFERS,
  transferName,
  transferNumber,
  transferStatus,
} from './postgres-transfers.js';

/**
 * The Heroku Postgres API client: backups (transfers) and their schedules. It is a separate host
 * from the Platform API (`https://api.data.heroku.com`, the official CLI's `utils.pg.host()`),
 * reached with the same token; the `pg` argument of every function is a `HerokuClient` whose base
 * URL is that host (commands/connect.ts picks it, like the Platform API's: the sandbox serves
 * both). Add-ons are named by id (the Platform API's add-on `id`), apps by name or id.
 *
 * Exported API (stable; the DR drill builds on it):
 * - `listTransfers(pg, app)`: every transfer of the app (backups, restores, copies), as sent.
 * - `listBackups(pg, app)`: the app's backups (`pg_dump` → storage), newest first.
 * - `getTransfer(pg, app, id)`: one transfer by number, uuid or name (`b001`).
 * - `waitForTransfer(pg, app, uuid, options)`: polls until it finishes; resolves the finished
 *   transfer, throws a ProviderError when it failed or was canceled. `options.onProgress` sees
 *   each poll.
 * - `captureBackup(pg, {app, addonId}, options)`: starts a backup of the add-on's database and
 *   waits for it (`pg:backups:capture`); `app` is the add-on's billing app (its transfers list).
 * - `backupUrl(pg, app, id)`: a short-lived download URL of a finished backup (`pg:backups:url`).
 * - `restoreBackup(pg, {app, addonId, backupUrl}, options)`: restores a backup's URL into the
 *   add-on's database, replacing its contents, and waits (`pg:backups:restore`); `app` is the
 *   target add-on's billing app.
 * - `listSchedules(pg, addonId)`, `putSchedule(pg, addonId, schedule)` (create or replace: the API
 *   keeps one per database), `deleteSchedule(pg, addonId, uuid)`.
 * Pure helpers (names, statuses, summaries) live in postgres-transfers.ts.
 *
 * Being a `HerokuClient`, it resends what the Platform API's client does: reads, DELETEs and the
 * backup URL after a 5xx or a lost connection, and at once on a new connection after a stale
 * pooled one (connections.ts); never a capture, a restore or a schedule's POST.
 */

export const HEROKU_DATA_API_URL = 'https://api.data.heroku.com';

/** A restore's answer: the CLI reads only its uuid, to follow it. */
const STARTED = object({ uuid: string });

export type { TransferProgress } from '../../model/backups.js';

export interface WaitOptions {
  readonly poll?: PollOptions;
  readonly onProgress?: (progress: TransferProgress) => void;
}

export async function listTransfers(pg: HerokuClient, app: string): Promise<PgTransfer[]> {
  return pg.get<PgTransfer[]>(`/client/v11/apps/${encodeURIComponent(app)}/transfers`, { shape: TRANSFERS });
}

export async function listBackups(pg: HerokuClient, app: string): Promise<PgTransfer[]> {
  return backupsOf(await listTransfers(pg, app));
}

/** By number (`3`), uuid, or the CLI's name (`b003`). */
export async function getTransfer(pg: HerokuClient, app: string, id: string | number): Promise<PgTransfer> {
  const key = transferKey(id);
  return pg.get<PgTransfer>(`/client/v11/apps/${encodeURIComponent(app)}/transfers/${encodeURIComponent(key)}`, {
    shape: TRANSFER,
  });
}

export async function waitForTransfer(
  pg: HerokuClient,
  app: string,
  uuid: string,
  options: WaitOptions = {},
): Promise<PgTransfer> {
  const poll = options.poll ?? DEFAULT_POLL;
  const started = poll.now();
  let delay = poll.firstDelayMs;
  for (;;) {
    const transfer = await getTransfer(pg, app, uuid);
    const status = transferStatus(transfer);
    options.onProgress?.({ id: transferName(transfer), status, processedBytes: transfer.processed_bytes ?? 0 });
    if (status === 'completed') return transfer;
    if (status === 'failed' || status === 'canceled') throw transferFailed(app, transfer, status);
    if (poll.now() - started + delay > poll.timeoutMs) {
      throw new ProviderError(
        'heroku',
        `${transferName(transfer)} of ${app} is still ${status} after ${waited(poll.timeoutMs)}`,
        {
          hint: `It keeps running on Heroku; check it later with \`heroku pg:backups:info ${transferName(transfer)} --app ${app}\`.`,
        },
      );
    }
    await poll.sleep(delay);
    delay = Math.min(delay * 2, poll.maxDelayMs);
  }
}

export interface CaptureTarget {
  /** The add-on's billing app: its transfers list shows the backup. */
  readonly app: string;
  readonly addonId: string;
}

export async function captureBackup(
  pg: HerokuClient,
  target: CaptureTarget,
  options: WaitOptions = {},
): Promise<PgTransfer> {
  const started = await pg.post<PgTransfer>(`/client/v11/databases/${encodeURIComponent(target.addonId)}/backups`, {
    shape: TRANSFER,
  });
  return waitForTransfer(pg, target.app, started.uuid, options);
}

export async function backupUrl(pg: HerokuClient, app: string, id: string | number): Promise<string> {
  const num = transferKey(id);
  const body = await pg.post<{ url: string }>(
    `/client/v11/apps/${encodeURIComponent(app)}/transfers/${encodeURIComponent(num)}/actions/public-url`,
    // A POST that changes nothing: each one signs a new short-lived URL of the same backup, so a
    // lost answer or a stale connection is resent like a read.
    { idempotent: true, shape: PUBLIC_URL },
  );
  return body.url;
}

export interface RestoreTarget {
  /** The target add-on's billing app: its transfers list shows the restore. */
  readonly app: string;
  readonly addonId: string;
  /** A backup's URL (`backupUrl`, or a transfer's `to_url`). */
  readonly backupUrl: string;
}

export async function restoreBackup(
  pg: HerokuClient,
  target: RestoreTarget,
  options: WaitOptions = {},
): Promise<PgTransfer> {
  const started = await pg.post<{ uuid: string }>(
    `/client/v11/databases/${encodeURIComponent(target.addonId)}/restores`,
    {
      body: { backup_url: target.backupUrl },
      shape: STARTED,
    },
  );
  return waitForTransfer(pg, target.app, started.uuid, options);
}

export async function listSchedules(pg: HerokuClient, addonId: string): Promise<PgTransferSchedule[]> {
  const raw = await pg.get<(Omit<PgTransferSchedule, 'hour'> & { hour: unknown })[]>(
    `/client/v11/databases/${encodeURIComponent(addonId)}/transfer-schedules`,
    { shape: SCHEDULES },
  );
  return raw.map((s) => withHour(s, addonId));
}

export interface ScheduleSpec {
  readonly hour: number;
  readonly timezone: string;
  /** The attachment's config var (`DATABASE_URL`), as the CLI sends it. */
  readonly name: string;
}

/** Creates the database's schedule, or replaces it (the API keeps one per database). */
export async function putSchedule(pg: HerokuClient, addonId: string, spec: ScheduleSpec): Promise<PgTransferSchedule> {
  const raw = await pg.post<Omit<PgTransferSchedule, 'hour'> & { hour: unknown }>(
    `/client/v11/databases/${encodeURIComponent(addonId)}/transfer-schedules`,
    // Same body as `pg:backups:schedule`: the hour as a string, the attachment's var as schedule_name.
    // Sent once, as every POST: a lost answer is settled by the next plan's read, not by resending.
    {
      body: { hour: String(spec.hour).padStart(2, '0'), timezone: spec.timezone, schedule_name: spec.name },
      shape: SCHEDULE,
    },
  );
  return withHour(raw, addonId);
}

export async function deleteSchedule(pg: HerokuClient, addonId: string, uuid: string): Promise<void> {
  await pg.delete(
    `/client/v11/databases/${encodeURIComponent(addonId)}/transfer-schedules/${encodeURIComponent(uuid)}`,
  );
}

function withHour(raw: Omit<PgTransferSchedule, 'hour'> & { hour: unknown }, addonId: string): PgTransferSchedule {
  const hour = scheduleHour(raw.hour);
  if (hour === undefined) {
    throw new ProviderError(
      'heroku',
      `The Postgres API sent a backup schedule of add-on ${addonId} with an hour that is not 0–23 (${JSON.stringify(raw.hour)})`,
    );
  }
  return { ...raw, hour };
}

/** A transfer's path segment: its number for `b007` or `7`, else the id as given (a uuid). */
function transferKey(id: string | number): string {
  return String(typeof id === 'number' ? id : (transferNumber(id) ?? id));
}

function waited(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function transferFailed(app: string, transfer: PgTransfer, status: 'failed' | 'canceled'): ProviderError {
  const name = transferName(transfer);
  const last = transfer.logs?.at(-1)?.message;
  return new ProviderError(
    'heroku',
    `${name} of ${app} ${status === 'failed' ? 'failed' : 'was canceled'}${last === undefined ? '' : `: ${last}`}`,
    {
      hint: `See its logs with \`heroku pg:backups:info ${name} --app ${app}\`.`,
    },
  );
}
