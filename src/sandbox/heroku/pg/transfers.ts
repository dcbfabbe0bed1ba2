import { createHash } from 'node:crypto';
import { postgresBackupFacts } from '../../../facts/heroku-postgres-backups.js';
import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import type { AddonRecord, AppRecord } from '../model/state.js';
import { HerokuError, notFound } from '../protocol/errors.js';
import type { PgTransferRecord } from './records.js';
import { keptBackups } from './retention.js';
import { localDay } from './schedule-times.js';

/**
 * Transfers of the sandbox's Heroku Postgres API: created `pending`, `running` after
 * `pgTransferStartMs`, then finished. With real databases (`world.heroku.databases`,
 * databases.ts) a backup is a `pg_dump` and a restore a `pg_restore`, started when the transfer
 * starts; it finishes when that job ends, with the job's size. Without them only metadata is
 * kept: it finishes after `pgTransferMs` with a size derived from the add-on and the number, and
 * its log says "metadata only".
 */

const UNKNOWN_BACKUP = 'the backup URL does not name a backup of this sandbox';

export const METADATA_ONLY = 'metadata only: no PostgreSQL server behind this sandbox add-on';

/** The add-on's database, provisioned: the Postgres API knows no other (404, as the CLI expects). */
export function databaseOf(world: World, identity: string): { app: AppRecord; addon: AddonRecord } {
  for (const app of world.state.heroku.apps) {
    const addon = app.addons.find((a) => a.id === identity.toLowerCase() || a.name === identity);
    if (addon === undefined) continue;
    if (addon.service.name !== 'heroku-postgresql' || addon.state !== 'provisioned') break;
    return { app, addon };
  }
  throw notFound('database');
}

export function transfersOf(app: AppRecord): PgTransferRecord[] {
  app.pgTransfers ??= [];
  return app.pgTransfers;
}

/** By number (`7`) or uuid; deleted ones are gone. */
export function findTransfer(app: AppRecord, id: string): PgTransferRecord {
  const found = transfersOf(app).find(
    (t) => t.deletedAt === null && (t.uuid === id.toLowerCase() || String(t.num) === id.replace(/^0+/, '')),
  );
  if (found === undefined) throw notFound('transfer');
  return found;
}

interface NewTransfer {
  readonly kind: PgTransferRecord['kind'];
  readonly addon: AddonRecord;
  readonly fromName: string;
  readonly toName: string;
  readonly source: PgTransferRecord | null;
  readonly scheduleUuid: string | null;
  /** When it was created (epoch ms); default: the clock's now. A scheduled backup is created at its scheduled time. */
  readonly atMs?: number;
}

export function startTransfer(world: World, app: AppRecord, spec: NewTransfer): PgTransferRecord {
  const list = transfersOf(app);
  const now = spec.atMs ?? world.clock().getTime();
  const { pgTransferStartMs, pgTransferMs } = world.heroku.timings;
  const uuid = world.ids.uuid();
  const transfer: PgTransferRecord = {
    uuid,
    num: list.reduce((max, t) => Math.max(max, t.num), 0) + 1,
    kind: spec.kind,
    addonId: spec.addon.id,
    fromName: spec.fromName,
    toName: spec.toName,
    sourceUuid: spec.source?.uuid ?? null,
    scheduleUuid: spec.scheduleUuid,
    createdAt: isoSeconds(new Date(now)),
    startedAt: null,
    finishedAt: null,
    succeeded: false,
    processedBytes: 0,
    sourceBytes: 0,
    startDueMs: now + pgTransferStartMs,
    finishDueMs: now + pgTransferStartMs + pgTransferMs,
    data: world.heroku.databases === undefined ? 'metadata only' : 'local database',
    jobId: uuid,
    logs: [],
    deletedAt: null,
  };
  if (transfer.data === 'metadata only') transfer.logs.push({ createdAt: transfer.createdAt, message: METADATA_ONLY });
  list.push(transfer);
  return transfer;
}

/** pending → running: a real transfer's job starts now. */
export function runTransfer(world: World, app: AppRecord, transfer: PgTransferRecord, at: number): void {
  transfer.startedAt = isoSeconds(new Date(at));
  const databases = world.heroku.databases;
  if (transfer.data === 'metadata only' || databases === undefined) return;
  const source = transfer.sourceUuid === null ? undefined : findBackup(world, transfer.sourceUuid);
  if (!databases.ready(transfer.addonId))
    finish(world, app, transfer, { failed: 'the database does not accept connections yet' });
  else if (transfer.kind === 'backup') {
    log(world, transfer, 'pg_dump started');
    transfer.sourceBytes = databases.sizeOf(transfer.addonId) ?? 0;
    databases.capture(transfer.addonId, transfer.jobId);
  } else if (source === undefined) finish(world, app, transfer, { failed: UNKNOWN_BACKUP });
  else {
    log(world, transfer, 'pg_restore started');
    databases.restore(source.jobId, transfer.addonId, transfer.jobId);
  }
}

/** running → finished, when due: a metadata-only one on the clock, a real one when its job ended. */
export function settleTransfer(world: World, app: AppRecord, transfer: PgTransferRecord): void {
  finish(world, app, transfer, outcomeOf(world, transfer));
}

function outcomeOf(world: World, transfer: PgTransferRecord): { bytes: number } | { failed: string } {
  if (transfer.data === 'metadata only') {
    const source = transfer.sourceUuid === null ? undefined : findBackup(world, transfer.sourceUuid);
    if (transfer.kind === 'restore' && source === undefined) return { failed: UNKNOWN_BACKUP };
    return { bytes: source?.processedBytes ?? derivedSize(transfer) };
  }
  const job = world.heroku.databases?.job(transfer.jobId);
  if (job === undefined) return { failed: 'the sandbox lost the job (restarted while it ran)' };
  if (job.state === 'failed') return { failed: job.message };
  if (job.state === 'completed') return { bytes: job.bytes };
  throw new Error(`transfer ${transfer.uuid} was settled while its job still runs`);
}

/** Whether a running transfer's job has ended (metadata-only ones end on the clock instead). */
export function jobEnded(world: World, transfer: PgTransferRecord): boolean {
  if (transfer.data === 'metadata only') return false;
  return world.heroku.databases?.job(transfer.jobId)?.state !== 'running';
}

function finish(
  world: World,
  app: AppRecord,
  transfer: PgTransferRecord,
  outcome: { bytes: number } | { failed: string },
): void {
  transfer.finishedAt = world.now();
  if ('failed' in outcome) {
    transfer.succeeded = false;
    log(world, transfer, `failed: ${outcome.failed}`);
    return;
  }
  transfer.succeeded = true;
  transfer.processedBytes = outcome.bytes;
  // A real capture measured its database when it started; otherwise the source is what was processed.
  if (transfer.sourceBytes === 0) transfer.sourceBytes = outcome.bytes;
  log(world, transfer, `${transfer.kind} done: ${outcome.bytes} bytes`);
  if (transfer.kind !== 'backup') return;
  if (transfer.scheduleUuid === null) keepManualBackups(world, app, transfer.addonId);
  else keepScheduledBackups(world, app, transfer.addonId);
}

/** The plan's manual-backup limit: the oldest completed manual backups of the database beyond it go. */
function keepManualBackups(world: World, app: AppRecord, addonId: string): void {
  const addon = app.addons.find((a) => a.id === addonId);
  const kept = addon === undefined ? undefined : postgresBackupFacts(addon.plan.name)?.manualKept;
  if (kept === undefined) return;
  const manual = transfersOf(app).filter(
    (t) =>
      t.kind === 'backup' && t.addonId === addonId && t.scheduleUuid === null && t.succeeded && t.deletedAt === null,
  );
  for (const old of manual.slice(0, Math.max(0, manual.length - kept))) deleteBackup(world, old);
}

/**
 * The plan's retention of scheduled backups (retention.ts), in the zone of the database's schedule
 * (UTC once it has none): the successful ones it does not keep go, and failed ones once they are
 * older than the daily window.
 */
function keepScheduledBackups(world: World, app: AppRecord, addonId: string): void {
  const addon = app.addons.find((a) => a.id === addonId);
  const facts = addon === undefined ? undefined : postgresBackupFacts(addon.plan.name);
  if (addon === undefined || facts === undefined) return;
  const zone = addon.backupSchedule?.timezone ?? 'UTC';
  const scheduled = transfersOf(app).filter(
    (t) => t.kind === 'backup' && t.addonId === addonId && t.scheduleUuid !== null && t.finishedAt !== null && t.deletedAt === null,
  );
  const dated = (t: PgTransferRecord) => ({ id: t.uuid, atMs: Date.parse(t.createdAt) });
  const now = world.clock().getTime();
  const kept = keptBackups(scheduled.filter((t) => t.succeeded).map(dated), now, zone, facts);
  const today = localDay(now, zone);
  for (const backup of scheduled) {
    const recent = today - localDay(Date.parse(backup.createdAt), zone) < facts.dailyKept;
    if (backup.succeeded ? !kept.has(backup.uuid) : !recent) deleteBackup(world, backup);
  }
}

export function deleteBackup(world: World, backup: PgTransferRecord): void {
  backup.deletedAt = world.now();
  if (backup.data === 'local database') world.heroku.databases?.dropArchive(backup.jobId);
}

export function findBackup(world: World, uuid: string): PgTransferRecord | undefined {
  for (const app of world.state.heroku.apps) {
    const found = transfersOf(app).find((t) => t.uuid === uuid && t.kind === 'backup' && t.deletedAt === null);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A stable size for a metadata-only backup: 16–80 KiB, from the add-on and the number. */
function derivedSize(transfer: PgTransferRecord): number {
  const digest = createHash('sha256').update(`${transfer.addonId}:${transfer.num}`).digest();
  return 16_384 + (digest.readUInt32BE(0) % 65_536);
}

function log(world: World, transfer: PgTransferRecord, message: string): void {
  transfer.logs.push({ createdAt: world.now(), message });
}

export function conflict(message: string): HerokuError {
  return new HerokuError(422, 'unprocessable_entity', message);
}
