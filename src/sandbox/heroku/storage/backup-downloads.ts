import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { World } from '../../world.js';
import { checkSignature } from '../pg/backup-urls.js';
import type { PgTransferRecord } from '../pg/records.js';
import { METADATA_ONLY } from '../pg/transfers.js';
import { s3Error } from './s3-errors.js';

/**
 * `GET /__sandbox/pg-backups/{uuid}?Expires=…&Signature=…`: a backup's bytes, the `pg_dump -Fc`
 * archive of its real database, as `pg:backups:download` and `curl "$(heroku pg:backups:url)"`
 * fetch them from S3. Answers as S3 does: an unsigned URL 403 `AccessDenied`, a forged one 403
 * `SignatureDoesNotMatch`, an expired one 403 `AccessDenied` "Request has expired", a deleted
 * (or expired by retention) backup 404 `NoSuchKey`. A metadata-only backup has no bytes: 404
 * `NoSuchKey`, saying why.
 */
export async function serveBackup(
  world: World,
  res: ServerResponse,
  method: string,
  uuid: string,
  query: URLSearchParams,
): Promise<void> {
  const backup = backupNamed(world, uuid);
  if (backup === undefined) {
    s3Error(res, 403, 'AccessDenied', 'The backup URL is not valid.');
    return;
  }
  const check = checkSignature(backup, query, world.clock().getTime());
  switch (check) {
    case 'unsigned':
      s3Error(
        res,
        403,
        'AccessDenied',
        'This URL names the backup but is not signed: get a download URL with heroku pg:backups:url.',
      );
      return;
    case 'forged':
      s3Error(
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
      return;
    case 'expired':
      s3Error(res, 403, 'AccessDenied', 'Request has expired');
      return;
    case 'valid':
      break;
    default: {
      const unexpected: never = check;
      throw new Error(`unexpected signature check ${String(unexpected)}`);
    }
  }
  if (backup.deletedAt !== null) {
    s3Error(res, 404, 'NoSuchKey', 'The backup was deleted (or expired under the plan’s retention).');
    return;
  }
  const file = backup.data === 'local database' ? world.heroku.databases?.archiveFile(backup.jobId) : undefined;
  if (file === undefined) {
    const why =
      backup.data === 'metadata only'
        ? METADATA_ONLY
        : 'the archive is no longer stored (the sandbox was reset or its files removed)';
    s3Error(res, 404, 'NoSuchKey', `This backup has no bytes to download: ${why}.`);
    return;
  }
  const size = (await stat(file)).size;
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${backup.uuid}.dump"`,
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

/** A backup of this sandbox by uuid, deleted ones too (they answer 404 rather than 403). */
function backupNamed(world: World, uuid: string): PgTransferRecord | undefined {
  for (const app of world.state.heroku.apps) {
    const found = app.pgTransfers?.find((t) => t.uuid === uuid && t.kind === 'backup' && t.succeeded);
    if (found !== undefined) return found;
  }
  return undefined;
}
