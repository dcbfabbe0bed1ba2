import type { SandboxRequest } from '../http.js';
import type { Surface, SurfaceReply } from '../surface.js';

/**
 * Step 3 of an API request: the surface that owns the path (Cloudflare under `/client/v4`, Heroku
 * Postgres under `/client/v11`, Heroku for everything else) and its answer. The last surface must
 * own every path.
 */
export function surfaceFor(surfaces: readonly Surface[], path: string): Surface {
  const surface = surfaces.find((s) => s.owns(path));
  if (surface === undefined) throw new Error(`no sandbox API owns ${path}`);
  return surface;
}

export function routeStep(surface: Surface, request: SandboxRequest): SurfaceReply {
  return surface.handle(request);
}
