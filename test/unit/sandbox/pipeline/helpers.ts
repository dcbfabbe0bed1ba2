import type { SandboxRequest } from '../../../../src/sandbox/http.js';
import type { ReplyFault, Surface, SurfaceReply } from '../../../../src/sandbox/surface.js';

export function request(method: string, path: string, body = ''): SandboxRequest {
  return {
    method,
    path,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.from(body),
    bodyTooLarge: false,
  };
}

/** A surface that answers every request with `reply` and records what it was asked. */
export function fakeSurface(name: Surface['name'], prefix: string, reply: SurfaceReply = { status: 200 }) {
  const handled: SandboxRequest[] = [];
  const faults: { fault: ReplyFault; retryAfter: number }[] = [];
  const surface: Surface = {
    name,
    owns: (path) => path.startsWith(prefix),
    handle(req) {
      handled.push(req);
      return reply;
    },
    faultReply(fault, retryAfter) {
      faults.push({ fault, retryAfter });
      return {
        status: fault === 'rate_limit' ? 429 : fault === 'unavailable' ? 503 : 500,
        requestId: `fault-${fault}`,
      };
    },
  };
  return { surface, handled, faults };
}
