import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** One request as the sandbox sees it: already fully read, never streamed. */
export interface SandboxRequest {
  readonly method: string;
  /** Path without the query string, exactly as sent (still percent-encoded). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The raw body; empty when `bodyTooLarge` (the rest was drained and dropped). */
  readonly body: Buffer;
  readonly bodyTooLarge: boolean;
}

/**
 * What a handler answers. `payload`, when given, is sent verbatim; otherwise `body` is sent as
 * JSON, or nothing when it is `undefined`.
 */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly payload?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The bytes a reply sends, if any. */
export function payloadOf(reply: Reply): string | undefined {
  if (reply.payload !== undefined) return reply.payload;
  return reply.body === undefined ? undefined : JSON.stringify(reply.body);
}

/** Requests larger than this get 413 (the real APIs cap bodies too; ours only need a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this much we stop draining and drop the connection instead of reading forever. */
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;

/**
 * Reads the whole body. Over `limit` bytes it keeps draining (so the client can read our 413
 * instead of seeing a reset) but keeps nothing; far over it, it destroys the socket.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.destroy(new Error('request body far over the limit'));
        return;
      }
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > limit ? { body: Buffer.alloc(0), tooLarge: true } : { body: Buffer.concat(chunks), tooLarge: false },
      ),
    );
    req.on('error', reject);
  });
}

/** A single header value (the first one when repeated). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers === undefined ? { status, body } : { status, body, headers };
}
