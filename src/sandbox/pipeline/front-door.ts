import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HerokuFiles } from '../heroku/storage/files.js';
import { type Reply, readBody, type SandboxRequest } from '../http.js';
import { send } from './send.js';

/**
 * Where a request goes, first match wins:
 * 1. app hosts: a Host naming a deployed app goes to its web dynos (heroku/runner/web-router.ts);
 * 2. `GET /health`: the sandbox's own health, for platforms that run it (open: it tells nothing
 *    about the world);
 * 3. signed files: Heroku's signed-URL stand-ins (uploads, slugs, output streams, log sessions),
 *    which have no API protocol and bodies of their own size (heroku/storage/files.ts);
 * 4. `/__sandbox/…`: admin (admin.ts), never counted, faulted or logged;
 * 5. everything else: the emulated APIs (api.ts).
 * Admin and API requests are read whole first (1 MiB limit, http.ts).
 */
export interface Destinations {
  /** Serves the request when its Host names a deployed app; false when it names none. */
  readonly appHost: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  readonly files: Pick<HerokuFiles, 'owns' | 'serve'>;
  readonly admin: (request: SandboxRequest) => Promise<Reply>;
  readonly api: (
    req: IncomingMessage,
    res: ServerResponse,
    request: SandboxRequest,
    startedMs: number,
  ) => Promise<void>;
}

export async function frontDoor(destinations: Destinations, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedMs = performance.now();
  if (await destinations.appHost(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  if (url.pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    req.resume();
    send(res, { status: 200, body: { status: 'ok' } });
    return;
  }
  if (destinations.files.owns(url.pathname)) {
    await destinations.files.serve(req, res, url.pathname);
    return;
  }
  const { body, tooLarge } = await readBody(req);
  const request: SandboxRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    bodyTooLarge: tooLarge,
  };
  if (request.path === '/__sandbox' || request.path.startsWith('/__sandbox/')) {
    send(res, await destinations.admin(request));
    return;
  }
  await destinations.api(req, res, request, startedMs);
}
