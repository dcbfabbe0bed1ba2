import type { ServerResponse } from 'node:http';

/** An S3-style XML error, as the signed-URL stand-ins answer (files.ts, backup-downloads.ts). */
export function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escaped}</Message></Error>\n`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
