import { createHmac, timingSafeEqual } from 'node:crypto';
import { capabilityKey } from '../storage/blobs.js';
import { PG_BACKUP_PREFIX } from '../storage/signed-urls.js';
import type { PgTransferRecord } from './records.js';

/**
 * A backup's URLs. `to_url` (the transfers list) names the backup, as Heroku's S3 object URL does,
 * and is what restores read; only a signed URL (`pg:backups:url`, the `public-url` action) can be
 * downloaded, until it expires: S3 query-string authentication's `Expires` (epoch seconds) and
 * `Signature`, here an HMAC of the backup's uuid and that time under a key of the backup's own.
 */

/** How long a signed URL lasts: Dev Center "Heroku PGBackups", downloading backups (60 minutes). */
export const BACKUP_URL_LIFETIME_MS = 3_600_000;

export function backupUrl(baseUrl: string, uuid: string): string {
  return `${baseUrl}${PG_BACKUP_PREFIX}${uuid}`;
}

/** A download URL of `backup` valid until `expiresMs` (rounded down to the second). */
export function signedBackupUrl(baseUrl: string, backup: PgTransferRecord, expiresMs: number): string {
  backup.urlKey ??= capabilityKey();
  const expires = Math.floor(expiresMs / 1000);
  return `${backupUrl(baseUrl, backup.uuid)}?Expires=${expires}&Signature=${signature(backup.urlKey, backup.uuid, expires)}`;
}

/** The backup uuid a URL of this sandbox names (signed or not); undefined for any other URL. */
export function backupUuidIn(url: string): string | undefined {
  try {
    const path = new URL(url).pathname;
    return path.startsWith(PG_BACKUP_PREFIX) ? path.slice(PG_BACKUP_PREFIX.length) : undefined;
  } catch {
    return undefined;
  }
}

export type UrlCheck = 'valid' | 'unsigned' | 'forged' | 'expired';

/** Whether `query` signs a download of `backup` at `nowMs`. */
export function checkSignature(backup: PgTransferRecord, query: URLSearchParams, nowMs: number): UrlCheck {
  const expires = query.get('Expires');
  const given = query.get('Signature');
  if (expires === null && given === null) return 'unsigned';
  if (expires === null || given === null || !/^\d{1,12}$/.test(expires) || backup.urlKey === undefined) return 'forged';
  const expected = Buffer.from(signature(backup.urlKey, backup.uuid, Number(expires)));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'forged';
  return Number(expires) * 1000 <= nowMs ? 'expired' : 'valid';
}

function signature(key: string, uuid: string, expires: number): string {
  return createHmac('sha256', key).update(`${uuid}\n${expires}`).digest('hex');
}
