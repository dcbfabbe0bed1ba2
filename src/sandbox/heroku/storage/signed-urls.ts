/**
 * Paths of the sandbox's own "signed URL" endpoints (served by files.ts without API credentials;
 * the unguessable key in the path is the credential, as in S3 presigned URLs). State stores these
 * paths; responses prefix them with the origin the client used (`baseUrlOf`).
 */
export const BLOB_PREFIX = '/__sandbox/blobs/';
export const SLUG_PREFIX = '/__sandbox/slugs/';
export const STREAM_PREFIX = '/__sandbox/streams/';
/** Log session streams (`logplex_url`), see runner/log-sessions.ts. */
export const LOGS_PREFIX = '/__sandbox/logs/';
/** Heroku Postgres backups: `to_url` names one, a signed URL downloads it (pg/backup-urls.ts). */
export const PG_BACKUP_PREFIX = '/__sandbox/pg-backups/';
