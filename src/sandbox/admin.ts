import { bearerOrBasicToken, type AuthPolicy } from './auth.js';
import type { FaultOptions } from './faults.js';
import { validateFaultOptions } from './faults.js';
import { json, type Reply, type SandboxRequest } from './http.js';
import type { DatabasesStatus } from './heroku/postgres/open.js';
import { HerokuError } from './heroku/protocol/errors.js';
import type { RequestLogEntry } from './request-log.js';
import { type Params, Router } from './router.js';
import type { World } from './world.js';

/** What the admin routes can do to the running sandbox (implemented by the server). */
export interface AdminControls {
  readonly seed: number;
  /** Whether the sandbox runs apps' web processes (and routes their hostnames to them). */
  readonly processes: boolean;
  /** What Postgres add-ons stand for: real databases of a local server, or metadata only (and why). */
  readonly databases: DatabasesStatus;
  reset(): void;
  requestLog(): RequestLogEntry[];
  clearLog(): void;
  faults(): FaultOptions;
  setFaults(options: FaultOptions): void;
  requestCount(): number;
}

export interface AdminContext {
  readonly world: World;
  readonly controls: AdminControls;
  readonly params: Params;
  /** Parsed JSON body (`undefined` when empty). */
  readonly body: unknown;
  /** The request itself (e.g. for the host it was addressed to). */
  readonly request: SandboxRequest;
}

export type AdminHandler = (ctx: AdminContext) => Reply;
export type AdminRouter = Router<AdminHandler>;

/**
 * The sandbox's own routes under `/__sandbox/`: never faulted, never counted, never rate limited,
 * not in the request log. Open on loopback; bound elsewhere they need the sandbox token like the
 * API surfaces. Errors are `{id, message}` like Heroku's.
 */
export function createAdminRouter(extensions: ReadonlyArray<(router: AdminRouter) => void>): AdminRouter {
  const router = new Router<AdminHandler>();
  router.add('GET', '/__sandbox/health', (ctx) =>
    json(200, {
      ok: true,
      seed: ctx.controls.seed,
      requests: ctx.controls.requestCount(),
      processes: ctx.controls.processes,
      databases: ctx.controls.databases,
    }),
  );
  router.add('POST', '/__sandbox/reset', (ctx) => {
    ctx.controls.reset();
    return json(200, { ok: true });
  });
  router.add('GET', '/__sandbox/state', (ctx) => json(200, ctx.world.state));
  router.add('GET', '/__sandbox/requests', (ctx) => json(200, { requests: ctx.controls.requestLog() }));
  router.add('DELETE', '/__sandbox/requests', (ctx) => {
    ctx.controls.clearLog();
    return { status: 204 };
  });
  router.add('GET', '/__sandbox/faults', (ctx) =>
    json(200, { faults: ctx.controls.faults(), requests: ctx.controls.requestCount() }),
  );
  router.add('PUT', '/__sandbox/faults', (ctx) => {
    let options: FaultOptions;
    try {
      options = validateFaultOptions(ctx.body ?? {});
    } catch (e) {
      throw new AdminError(422, 'invalid_params', (e as Error).message);
    }
    ctx.controls.setFaults(options);
    return json(200, { faults: ctx.controls.faults(), requests: ctx.controls.requestCount() });
  });
  for (const extend of extensions) extend(router);
  return router;
}

export class AdminError extends HerokuError {}

/** Answers one admin request. */
export function handleAdmin(
  router: AdminRouter,
  auth: AuthPolicy,
  world: World,
  controls: AdminControls,
  req: SandboxRequest,
): Reply {
  try {
    if (!auth.loopback && !auth.accepts(bearerOrBasicToken(req.headers))) {
      throw new AdminError(401, 'unauthorized', 'The sandbox token is required (Authorization: Bearer <token>).');
    }
    if (req.bodyTooLarge)
      throw new AdminError(413, 'request_entity_too_large', 'Request body is too large (the limit is 1 MiB).');
    const match = router.match(req.method, req.path);
    if (match.kind === 'wrong-method')
      throw new AdminError(405, 'method_not_allowed', `Use ${match.allowed.join(' or ')} for ${req.path}.`);
    if (match.kind === 'none')
      throw new AdminError(404, 'not_found', `No sandbox admin route ${req.method} ${req.path}.`);
    let body: unknown;
    const text = req.body.toString('utf8');
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new AdminError(400, 'bad_request', `Invalid JSON in request body: ${(e as Error).message}`);
      }
    }
    return match.handler({ world, controls, params: match.params, body, request: req });
  } catch (e) {
    if (e instanceof HerokuError) return e.toReply();
    return json(500, { id: 'internal_server_error', message: e instanceof Error ? e.message : String(e) });
  }
}
