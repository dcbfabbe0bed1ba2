import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminRouter, handleAdmin, type AdminControls } from './admin.js';
import { AuthPolicy, isLoopbackHost } from './auth.js';
import { registerCloudflareAdmin } from './cloudflare/admin.js';
import { seedZones } from './cloudflare/model.js';
import { CloudflareRateLimiter } from './cloudflare/rate-limit.js';
import { CloudflareSurface } from './cloudflare/surface.js';
import { FaultPlan, type FaultOptions, validateFaultOptions } from './faults.js';
import { registerHerokuAdmin } from './heroku/admin/routes.js';
import { slugDirFor } from './heroku/storage/blobs.js';
import { DynoRunner } from './heroku/runner/dyno-runner.js';
import { HerokuFiles } from './heroku/storage/files.js';
import { RateLimiter } from './heroku/protocol/rate-limit.js';
import { herokuRuntime } from './heroku/runtime.js';
import { HerokuSurface } from './heroku/surface.js';
import { appForHost, notRunning, WebRouter } from './heroku/runner/web-router.js';
import { payloadOf, readBody, type Reply, type SandboxRequest } from './http.js';
import type { SandboxHandle, SandboxOptions } from './options.js';
import { StateFile } from './persistence.js';
import { RequestLog } from './request-log.js';
import { initialState, parseState, type SandboxState } from './state.js';
import type { Surface } from './surface.js';
import { World } from './world.js';

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Starts the sandbox: one HTTP server serving the Heroku API at the root, the Cloudflare API
 * under `/client/v4` and admin routes under `/__sandbox/`. Per API request: read the body (1 MiB
 * limit), number it, apply the fault plan (latency, then maybe a fault instead of the request),
 * let the surface answer, persist if the method can mutate, respond, log.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? (() => new Date());
  const zones = options.zones ?? [];
  const auth = new AuthPolicy(isLoopbackHost(host), options.token);
  const faultOptions = validateFaultOptions({ ...options.faults, ...latency(options) });

  let world: World;
  let stateFile: StateFile | undefined;
  let loaded: SandboxState | undefined;
  if (options.stateFile !== undefined) {
    stateFile = new StateFile(options.stateFile, () => JSON.stringify(world.state));
    const text = await stateFile.read();
    if (text !== undefined) loaded = parseState(text, options.stateFile);
  }
  const seed = options.seed ?? loaded?.rng.seed ?? randomInt(0, 2 ** 31);
  world = new World(
    loaded ?? initialState(seed, clock, zones),
    clock,
    herokuRuntime(options.heroku, options.stateFile, clock),
  );
  seedZones(world.state.cloudflare, zones, world.ids, world.now());
  await stateFile?.save();
  // Apps' web processes run only when the embedder hands over a launcher (processes.ts).
  const runner =
    options.processes === undefined ? undefined : new DynoRunner(world, options.processes, slugDirFor(options.stateFile));
  const webRouter = runner === undefined ? undefined : new WebRouter(world, runner);

  const rateLimiter = new RateLimiter(options.rateLimit ?? {}, clock);
  const cloudflareLimiter = new CloudflareRateLimiter(options.cloudflareRateLimit ?? {}, clock);
  const log = new RequestLog();
  const surfaces: Surface[] = [
    new CloudflareSurface(world, auth, cloudflareLimiter),
    new HerokuSurface(world, auth, rateLimiter),
  ];
  let plan = new FaultPlan(faultOptions, seed);
  let count = 0;
  let closing: Promise<void> | undefined;
  let runnerReset: Promise<void> | undefined;

  const controls: AdminControls = {
    seed,
    processes: runner !== undefined,
    reset() {
      world.state = initialState(seed, clock, zones);
      world.heroku.blobs.clear();
      world.heroku.logs.clear();
      world.heroku.logSessions.clear();
      runnerReset = runner?.reset();
      log.clear();
      rateLimiter.reset();
      cloudflareLimiter.reset();
      count = 0;
    },
    requestLog: () => log.list(),
    clearLog: () => log.clear(),
    faults: () => structuredClone(plan.options),
    setFaults(next) {
      plan = new FaultPlan(validateFaultOptions(next), seed);
      count = 0;
    },
    requestCount: () => count,
  };
  const adminRouter = createAdminRouter([registerHerokuAdmin, registerCloudflareAdmin]);

  const persist = async (): Promise<string | undefined> => {
    if (stateFile === undefined) return undefined;
    try {
      await stateFile.save();
      return undefined;
    } catch (e) {
      return `could not save sandbox state: ${(e as Error).message}`;
    }
  };
  // Heroku's signed-URL stand-ins (uploads, output streams): no API protocol, bodies of their own size.
  const files = new HerokuFiles(world, persist);

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const routed = appForHost(world, req.headers.host);
    if (routed !== undefined) {
      if (webRouter === undefined) {
        req.resume();
        notRunning(res);
      } else await webRouter.serve(req, res, routed);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      // The sandbox's own health, for platforms that run it (open: it tells nothing about the world).
      req.resume();
      send(res, { status: 200, body: { status: 'ok' } });
      return;
    }
    if (files.owns(url.pathname)) {
      await files.serve(req, res, url.pathname);
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
      const reply = handleAdmin(adminRouter, auth, world, controls, request);
      const failure = READ_ONLY.has(request.method) ? undefined : await persist();
      send(
        res,
        failure === undefined ? reply : { status: 500, body: { id: 'internal_server_error', message: failure } },
      );
      return;
    }

    const surface = surfaces.find((s) => s.owns(request.path)) as Surface;
    count += 1;
    const seq = count;
    const decision = plan.decide(seq);
    const retryAfter = plan.retryAfterSeconds;
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    // Closed while waiting: the connection is gone, and the state must not change after close().
    if (closing !== undefined) return;
    const record = (status: number, extra: { requestId?: string; error?: string } = {}) =>
      log.add({
        seq,
        method: request.method,
        path: req.url ?? request.path,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        api: surface.name,
        ...extra,
        ...(decision.kind === undefined ? {} : { fault: decision.kind }),
        ...(request.body.length === 0 ? {} : { bodyDigest: createHash('sha256').update(request.body).digest('hex').slice(0, 16) }),
      });

    if (decision.kind === 'reset') {
      req.socket.destroy();
      record(0);
      return;
    }
    if (decision.kind === 'rate_limit' || decision.kind === 'server_error' || decision.kind === 'unavailable') {
      const reply = surface.faultReply(decision.kind, retryAfter, request);
      send(res, reply);
      record(reply.status, reply.requestId === undefined ? {} : { requestId: reply.requestId });
      return;
    }
    let reply = surface.handle(request);
    const failure = READ_ONLY.has(request.method) && reply.mutated !== true ? undefined : await persist();
    if (failure !== undefined) reply = { ...surface.faultReply('server_error', retryAfter, request), error: failure };
    if (decision.kind === 'reset_after') {
      req.socket.destroy();
      record(0, reply.requestId === undefined ? {} : { requestId: reply.requestId });
      return;
    }
    send(res, reply);
    record(reply.status, {
      ...(reply.requestId === undefined ? {} : { requestId: reply.requestId }),
      ...(reply.error === undefined ? {} : { error: reply.error }),
    });
  };

  const server = createServer((req, res) => {
    // After every request: start, restart or stop app processes to match the state (if run at all).
    onRequest(req, res).finally(() => runner?.poke()).catch((error: unknown) => {
      // Last line of defence: a bug must never take the server down.
      if (!res.headersSent && !res.destroyed) {
        send(res, {
          status: 500,
          body: { id: 'internal_server_error', message: error instanceof Error ? error.message : String(error) },
        });
      } else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(address.address)}:${address.port}`;

  return {
    url,
    host: address.address,
    port: address.port,
    seed,
    stateFile: options.stateFile,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(() => runner?.close())
        .then(() => stateFile?.idle());
      return closing;
    },
    requestLog: () => log.list(),
    resetLog: () => log.clear(),
    requestCount: () => count,
    faults: () => controls.faults(),
    setFaults: (next: FaultOptions) => controls.setFaults(next),
    async reset() {
      controls.reset();
      await runnerReset;
      await stateFile?.save();
    },
    state: () => structuredClone(world.state),
    flush: async () => stateFile?.idle(),
  };
}

function latency(options: SandboxOptions): FaultOptions {
  return options.latencyMs === undefined || options.faults?.latencyMs !== undefined
    ? {}
    : { latencyMs: options.latencyMs };
}

function send(res: ServerResponse, reply: Reply): void {
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

/** The address to put in the URL: wildcard binds are reached through loopback; IPv6 in brackets. */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
