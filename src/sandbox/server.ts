import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdminControls, createAdminRouter, handleAdmin } from './admin.js';
import { AuthPolicy, isLoopbackHost } from './auth.js';
import { registerCloudflareAdmin } from './cloudflare/admin.js';
import { seedZones, type ZoneSeed } from './cloudflare/model.js';
import { CloudflareRateLimiter } from './cloudflare/rate-limit.js';
import { CloudflareSurface } from './cloudflare/surface.js';
import { type FaultOptions, FaultPlan, validateFaultOptions } from './faults.js';
import { registerHerokuAdmin } from './heroku/admin/routes.js';
import { RateLimiter } from './heroku/protocol/rate-limit.js';
import { DynoRunner } from './heroku/runner/dyno-runner.js';
import { WebRouter } from './heroku/runner/web-router.js';
import { openPostgres, type SandboxPostgres } from './heroku/postgres/open.js';
import { herokuRuntime } from './heroku/runtime.js';
import { slugDirFor } from './heroku/storage/blobs.js';
import { HerokuFiles } from './heroku/storage/files.js';
import { HerokuSurface } from './heroku/surface.js';
import type { SandboxRequest } from './http.js';
import type { SandboxHandle, SandboxOptions } from './options.js';
import { StateFile } from './persistence.js';
import { serveApi } from './pipeline/api.js';
import { appHosts } from './pipeline/app-hosts.js';
import { RequestCounter } from './pipeline/count.js';
import { frontDoor } from './pipeline/front-door.js';
import { persistStep, persistTo } from './pipeline/persist.js';
import { send } from './pipeline/send.js';
import { RequestLog } from './request-log.js';
import { initialState, parseState, type SandboxState } from './state.js';
import { World } from './world.js';

/**
 * How long the sandbox keeps an idle keep-alive connection open: far above the idle timeout of
 * every client it serves (daffeinated's Heroku client 4 s, providers/heroku/connections.ts;
 * undici's default, under fetch and the Cloudflare SDK, 4 s), so clients give idle connections up
 * first and a request is not written to a connection the sandbox is closing. With Node's default
 * (5 s) a loaded machine's late timers let that race through, failing POSTs that cannot be resent.
 */
export const KEEP_ALIVE_MS = 60_000;

/**
 * Node's server announces its idle timeout (`Keep-Alive: timeout=N`), and undici keeps an idle
 * connection until N − 2 s when told so: the same race, at any N. A response that says
 * `Connection: keep-alive` itself gets no announcement, and clients keep their own idle timeouts.
 */
function unannouncedKeepAlive(res: ServerResponse): void {
  if (res.shouldKeepAlive) res.setHeader('Connection', 'keep-alive');
}

/**
 * Starts the sandbox: one HTTP server serving the Heroku API at the root, the Cloudflare API
 * under `/client/v4` and admin routes under `/__sandbox/`. pipeline/front-door.ts says where a
 * request goes; an API request runs pipeline/api.ts (count → fault → route → persist → log).
 * This file wires the parts together and owns the server's life: listen, reset, close.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? (() => new Date());
  const zones = options.zones ?? [];
  const auth = new AuthPolicy(isLoopbackHost(host), options.token);
  const faultOptions = validateFaultOptions({ ...options.faults, ...latency(options) });
  const { world, stateFile, seed, postgres } = await openWorld(options, clock, zones);
  const persist = persistTo(stateFile);

  // Apps' web processes run only when the embedder hands over a launcher (runner/processes.ts).
  const runner =
    options.processes === undefined
      ? undefined
      : new DynoRunner(world, options.processes, slugDirFor(options.stateFile), persist);
  const webRouter = runner === undefined ? undefined : new WebRouter(world, runner);
  const rateLimiter = new RateLimiter(options.rateLimit ?? {}, clock);
  const cloudflareLimiter = new CloudflareRateLimiter(options.cloudflareRateLimit ?? {}, clock);
  const log = new RequestLog();
  const counter = new RequestCounter();
  let plan = new FaultPlan(faultOptions, seed);
  let closing: Promise<void> | undefined;
  let runnerReset: Promise<void> | undefined;
  let postgresReset: Promise<void> | undefined;

  const controls: AdminControls = {
    seed,
    processes: runner !== undefined,
    databases: postgres.status,
    reset() {
      world.state = initialState(seed, clock, zones);
      world.heroku.blobs.clear();
      world.heroku.logs.clear();
      world.heroku.logSessions.clear();
      runnerReset = runner?.reset();
      postgresReset = postgres.reset().catch((error: unknown) => options.notice?.(`Postgres: ${(error as Error).message}`));
      log.clear();
      rateLimiter.reset();
      cloudflareLimiter.reset();
      plan = new FaultPlan(plan.options, seed);
      counter.reset();
    },
    requestLog: () => log.list(),
    clearLog: () => log.clear(),
    faults: () => structuredClone(plan.options),
    setFaults(next) {
      plan = new FaultPlan(validateFaultOptions(next), seed);
      counter.reset();
    },
    requestCount: () => counter.count,
  };
  const adminRouter = createAdminRouter([registerHerokuAdmin, registerCloudflareAdmin]);
  const api = {
    surfaces: [
      new CloudflareSurface(world, auth, cloudflareLimiter),
      new HerokuSurface(world, auth, rateLimiter, 'heroku-postgres'),
      new HerokuSurface(world, auth, rateLimiter),
    ],
    counter,
    plan: () => plan,
    persist,
    log,
    closing: () => closing !== undefined,
  };
  const files = new HerokuFiles(world, persist);
  const destinations = {
    appHost: appHosts(world, webRouter),
    files,
    admin: (request: SandboxRequest) =>
      persistStep(request, handleAdmin(adminRouter, auth, world, controls, request), persist, (message) => ({
        status: 500,
        body: { id: 'internal_server_error', message },
      })),
    api: (req: IncomingMessage, res: ServerResponse, request: SandboxRequest, startedMs: number) =>
      serveApi(api, req, res, request, startedMs),
  };

  const server = createServer((req, res) => {
    unannouncedKeepAlive(res);
    // After every request: start, restart or stop app processes to match the state (if run at all).
    frontDoor(destinations, req, res)
      .finally(() => runner?.poke())
      .catch((error: unknown) => {
        // Last line of defence: a bug must never take the server down.
        if (!res.headersSent && !res.destroyed) {
          send(res, {
            status: 500,
            body: { id: 'internal_server_error', message: error instanceof Error ? error.message : String(error) },
          });
        } else res.destroy();
      });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
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
  }).catch(async (error: unknown) => {
    // A reopened state may have started its PostgreSQL already.
    await postgres.close();
    throw error;
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${urlHost(address.address)}:${address.port}`,
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
        .then(() => postgres.close())
        .then(() => stateFile?.idle());
      return closing;
    },
    requestLog: () => log.list(),
    resetLog: () => log.clear(),
    requestCount: () => counter.count,
    faults: () => controls.faults(),
    setFaults: (next: FaultOptions) => controls.setFaults(next),
    async reset() {
      controls.reset();
      await runnerReset;
      await postgresReset;
      await stateFile?.save();
    },
    state: () => structuredClone(world.state),
    flush: async () => stateFile?.idle(),
  };
}

/**
 * The world to serve: the state file's when it has one (its seed too, unless `seed` is given),
 * else a fresh one; the configured zones are seeded and the result saved at once.
 */
async function openWorld(
  options: SandboxOptions,
  clock: () => Date,
  zones: readonly ZoneSeed[],
): Promise<{ world: World; stateFile: StateFile | undefined; seed: number; postgres: SandboxPostgres }> {
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
  const postgres = await openPostgres(world, options.processes, options.stateFile, options.notice ?? (() => undefined));
  await stateFile?.save();
  return { world, stateFile, seed, postgres };
}

function latency(options: SandboxOptions): FaultOptions {
  return options.latencyMs === undefined || options.faults?.latencyMs !== undefined
    ? {}
    : { latencyMs: options.latencyMs };
}

/** The address to put in the URL: wildcard binds are reached through loopback; IPv6 in brackets. */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}
