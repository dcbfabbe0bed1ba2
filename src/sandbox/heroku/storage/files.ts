import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../http.js';
import type { World } from '../../world.js';
import type { OutputLine } from '../model/deploy.js';
import { serveLogSession } from '../runner/log-sessions.js';
import { writeTarGz } from '../runner/tar.js';
import { advance } from '../timed/clock.js';
import { serveBackup } from './backup-downloads.js';
import { BLOB_KEY } from './blobs.js';
import { s3Error } from './s3-errors.js';
import { BLOB_PREFIX, LOGS_PREFIX, PG_BACKUP_PREFIX, SLUG_PREFIX, STREAM_PREFIX } from './signed-urls.js';

/**
 * The sandbox's stand-ins for Heroku's signed URLs (S3 uploads, build and release output streams,
 * slug downloads), served outside the API: no Accept header, no credentials (the key in the path
 * is the signature), no rate limit, never faulted, counted or logged. Errors are S3-style XML.
 *
 * - `PUT /__sandbox/blobs/{key}` stores a source tarball (up to 256 MiB) issued by `POST /sources`;
 *   `GET` returns it.
 * - `GET /__sandbox/slugs/{key}` downloads a slug archive.
 * - `GET /__sandbox/streams/{key}` streams a build's or release phase's output as chunked plain
 *   text, line by line as the injected clock reaches each line, and ends when that work ends. A
 *   release phase's stream answers 404 until its command has started.
 * - `GET /__sandbox/logs/{key}` is a log session's `logplex_url` (runner/log-sessions.ts).
 * - `GET /__sandbox/pg-backups/{uuid}` downloads a Postgres backup by its signed URL (backup-downloads.ts).
 */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;
/** How often an open output stream looks for new lines (wall-clock time). */
const STREAM_POLL_MS = 25;

export class HerokuFiles {
  constructor(
    private readonly world: World,
    /** Persists the state; resolves to an error message when that failed. */
    private readonly persist: () => Promise<string | undefined>,
  ) {}

  owns(path: string): boolean {
    return [BLOB_PREFIX, SLUG_PREFIX, STREAM_PREFIX, LOGS_PREFIX, PG_BACKUP_PREFIX].some((prefix) => path.startsWith(prefix));
  }

  async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'PUT') req.resume();
    if (path.startsWith(BLOB_PREFIX)) return this.blob(req, res, method, path.slice(BLOB_PREFIX.length));
    if (method !== 'GET' && method !== 'HEAD') {
      s3Error(res, 405, 'MethodNotAllowed', `${method} is not allowed here.`);
      return;
    }
    if (path.startsWith(SLUG_PREFIX)) return this.slug(res, path.slice(SLUG_PREFIX.length));
    if (path.startsWith(PG_BACKUP_PREFIX)) {
      const query = new URL(req.url ?? '/', 'http://sandbox.invalid').searchParams;
      return serveBackup(this.world, res, method, path.slice(PG_BACKUP_PREFIX.length), query);
    }
    if (path.startsWith(LOGS_PREFIX)) {
      const eventStream = (req.headers.accept ?? '').includes('text/event-stream');
      return serveLogSession(this.world, res, path.slice(LOGS_PREFIX.length), eventStream);
    }
    return this.stream(res, path.slice(STREAM_PREFIX.length));
  }

  private async blob(req: IncomingMessage, res: ServerResponse, method: string, key: string): Promise<void> {
    const record = BLOB_KEY.test(key) ? this.world.state.heroku.sources.find((s) => s.key === key) : undefined;
    if (method === 'PUT') {
      const { body, tooLarge } = await readBody(req, MAX_BLOB_BYTES);
      if (record === undefined) {
        s3Error(res, 403, 'AccessDenied', 'The upload URL is not valid.');
        return;
      }
      if (tooLarge) {
        s3Error(res, 413, 'EntityTooLarge', 'Sources are limited to 256 MiB.');
        return;
      }
      this.world.heroku.blobs.put(key, body);
      const sha256 = createHash('sha256').update(body).digest('hex');
      Object.assign(record, { uploadedAt: this.world.now(), size: body.length, sha256 });
      const failure = await this.persist();
      if (failure !== undefined) {
        s3Error(res, 500, 'InternalError', failure);
        return;
      }
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      res.writeHead(200, { ETag: etag, 'Content-Length': '0' });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      s3Error(res, 405, 'MethodNotAllowed', `${method} is not allowed here.`);
      return;
    }
    if (record === undefined) {
      s3Error(res, 403, 'AccessDenied', 'The download URL is not valid.');
      return;
    }
    const data = record.uploadedAt === null ? undefined : this.world.heroku.blobs.get(key);
    if (data === undefined) {
      s3Error(res, 404, 'NoSuchKey', 'Nothing has been uploaded to this URL.');
      return;
    }
    sendBytes(res, data, method);
  }

  /** Built slugs are their source; slugs declared out of band are a tarball holding their Procfile. */
  private slug(res: ServerResponse, key: string): void {
    const slug = this.world.state.heroku.apps.flatMap((a) => a.slugs).find((s) => s.blobKey === key);
    if (slug === undefined) {
      s3Error(res, 403, 'AccessDenied', 'The download URL is not valid.');
      return;
    }
    const data =
      slug.sourceKey === null
        ? writeTarGz({
            Procfile: Object.entries(slug.processTypes)
              .map(([t, c]) => `${t}: ${c}\n`)
              .join(''),
          })
        : this.world.heroku.blobs.get(slug.sourceKey);
    if (data === undefined) {
      s3Error(res, 404, 'NoSuchKey', 'The slug archive is no longer stored.');
      return;
    }
    sendBytes(res, data, 'GET');
  }

  private async stream(res: ServerResponse, key: string): Promise<void> {
    if (advance(this.world)) await this.persist();
    if (this.output(key) === undefined) {
      s3Error(res, 404, 'NoSuchKey', 'No output stream at this URL (yet).');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    return new Promise<void>((resolve) => {
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;
      res.on('close', () => {
        closed = true;
        clearTimeout(timer);
        resolve();
      });
      const tick = async () => {
        if (closed) return;
        if (advance(this.world)) await this.persist();
        // Found afresh each time: a reset may have replaced the whole state.
        const view = this.output(key);
        const now = this.world.clock().getTime();
        while (view !== undefined && sent < view.lines.length && (view.lines[sent] as OutputLine).atMs <= now) {
          res.write(`${(view.lines[sent] as OutputLine).text}\n`);
          sent += 1;
        }
        if (view === undefined || (view.done && sent === view.lines.length)) {
          res.end();
          return;
        }
        timer = setTimeout(() => void tick(), STREAM_POLL_MS);
      };
      void tick();
    });
  }

  /** The lines of the build or release phase behind a stream key, and whether it has ended. */
  private output(key: string): { lines: readonly OutputLine[]; done: boolean } | undefined {
    for (const app of this.world.state.heroku.apps) {
      const build = app.builds.find((b) => b.streamKey === key);
      if (build !== undefined) return { lines: build.output, done: build.status !== 'pending' };
      const release = app.releases.find((r) => r.phase?.streamKey === key);
      const phase = release?.phase;
      // Like Heroku's, a release phase's stream does not exist (404) until its command has started.
      if (release === undefined || phase == null) continue;
      if (phase.startedMs === null || phase.startedMs > this.world.clock().getTime()) return undefined;
      return { lines: phase.output, done: release.status !== 'pending' };
    }
    return undefined;
  }
}

function sendBytes(res: ServerResponse, data: Buffer, method: string): void {
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(data.length),
    ETag: `"${createHash('md5').update(data).digest('hex')}"`,
  });
  res.end(method === 'HEAD' ? undefined : data);
}
