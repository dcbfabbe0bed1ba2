import type { ServerResponse } from 'node:http';
import { payloadOf, type Reply } from '../http.js';

/** Writes a whole reply (JSON unless it names its own Content-Type); nothing once the socket is gone. */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const payload = payloadOf(reply);
  const headers: Record<string, string> = { ...reply.headers };
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
