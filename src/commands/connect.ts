import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../model/config.js';
import type { ProviderId } from '../model/resource.js';
import { DEFAULT_POLL } from '../providers/heroku/apply-support.js';
import { HerokuBackups } from '../providers/heroku/backups.js';
import { HerokuClient, type HttpLogEntry } from '../providers/heroku/client.js';
import { herokuToken } from '../providers/heroku/credentials.js';
import { HerokuDelivery } from '../providers/heroku/delivery.js';
import { HerokuProvider } from '../providers/heroku/index.js';
import { HEROKU_DATA_API_URL } from '../providers/heroku/postgres-api.js';
import type { CachePurger, Provider } from '../providers/provider.js';
import { RetryBudget } from '../runtime/budget.js';
import { UsageError } from '../runtime/errors.js';
import { directProbe, sandboxProbe } from '../runtime/http-probe.js';
import type { Io } from '../runtime/io.js';
import { DEFAULT_RETRY_POLICY } from '../runtime/retry.js';
import { VERSION } from '../version.js';
import type { Connection, WebAccess } from '../workflows/connection.js';
import { slugCacheDir } from './cache-dir.js';

export const HEROKU_API_URL = 'https://api.heroku.com';
export const CLOUDFLARE_API_URL = 'https://api.cloudflare.com/client/v4';
/** Where the sandbox serves Cloudflare's API, relative to its base URL (as on api.cloudflare.com). */
const SANDBOX_CLOUDFLARE_PATH = '/client/v4';

export interface ConnectOptions {
  /** `undefined`: the real APIs; `true`: an in-process sandbox; a string: a sandbox at that URL. */
  readonly sandbox: string | true | undefined;
  readonly debug: boolean;
  /** Whether the command touches Cloudflare (its token is required only then). Default false. */
  readonly cloudflare?: boolean;
}

/**
 * The one place that decides which API base URLs and tokens daffeinated talks to. Everything past
 * this point runs the same code against Heroku and the sandbox. `config` is undefined for commands
 * that work without app.yaml (`import`): no environments, no zones.
 */
export async function connect(config: Config | undefined, io: Io, options: ConnectOptions): Promise<Connection> {
  const endpoint = await resolveEndpoint(config, io, options);
  const onHttp = options.debug
    ? (e: HttpLogEntry) =>
        io.stderr(
          `debug: ${e.method} ${e.path} → ${e.status ?? 'no response'} in ${e.ms} ms${e.requestId ? ` (request id ${e.requestId})` : ''}${e.attempt > 1 ? ` attempt ${e.attempt}` : ''}${e.connection === undefined ? '' : CONNECTION_NOTES[e.connection]}\n`,
        )
    : undefined;
  const onRetry = retryNotices(io);
  const waits = testWaits(io);
  const limits = testLimits(io);
  const common = {
    ...(onHttp === undefined ? {} : { onHttp }),
    ...(waits === undefined ? {} : { retryPolicy: waits.retryPolicy }),
    ...(limits.deadlineMs === undefined ? {} : { timeoutMs: limits.deadlineMs }),
    // One budget for the command, shared by both APIs' clients (runtime/budget.ts).
    budget: new RetryBudget(limits.budgetMs),
    onRetry,
  };
  const heroku = new HerokuClient({
    baseUrl: endpoint.herokuUrl,
    token: endpoint.herokuToken,
    userAgent: `daffeinated/${VERSION}`,
    ...common,
    onPace: paceNotices(io, 'Heroku', options.debug),
  });
  // The Heroku Postgres API: its own host, the same token (providers/heroku/postgres-api.ts).
  const postgres = new HerokuClient({
    baseUrl: endpoint.postgresUrl,
    token: endpoint.herokuToken,
    userAgent: `daffeinated/${VERSION}`,
    ...common,
    onPace: paceNotices(io, 'Heroku', options.debug),
  });
  const apps = new Map(Object.values(config?.environments ?? {}).map((e) => [e.name, e.app] as const));
  const providers = new Map<ProviderId, Provider>([
    ['heroku', new HerokuProvider(heroku, apps, { postgres, ...(waits === undefined ? {} : { poll: waits.poll }) })],
  ]);
  let cache: CachePurger | undefined;
  if (endpoint.cloudflare !== undefined) {
    // The Cloudflare SDK costs ~0.5 s and ~50 MB to load: only commands that touch a zone load it.
    const [{ CloudflareClient }, { CloudflareProvider }] = await Promise.all([
      import('../providers/cloudflare/client.js'),
      import('../providers/cloudflare/index.js'),
    ]);
    const cloudflare = new CloudflareClient({
      baseUrl: endpoint.cloudflare.url,
      apiToken: endpoint.cloudflare.token,
      ...common,
      onPace: paceNotices(io, 'Cloudflare', options.debug),
    });
    const zones = new Map(Object.values(config?.cloudflare.zones ?? {}).map((z) => [z.name, z.owner] as const));
    const provider = new CloudflareProvider(cloudflare, zones);
    providers.set('cloudflare', provider);
    cache = provider;
  }
  return {
    providers,
    ...(cache === undefined ? {} : { cache }),
    digestKey: createHash('sha256').update(`daffeinated digest key\0${endpoint.herokuToken}`).digest('hex'),
    target: endpoint.description,
    delivery: new HerokuDelivery(heroku),
    backups: new HerokuBackups(heroku, postgres, ...(waits === undefined ? [] : [waits.poll])),
    web: endpoint.web,
    // The Heroku clients' pooled connections first: an in-process sandbox's server waits for them.
    close: async () => {
      heroku.close();
      postgres.close();
      await endpoint.close();
    },
  };
}

/** A pacing wait at least this long is shown without `--debug`: the command would seem to hang. */
const VISIBLE_PACE_MS = 1_000;

/**
 * Pacing waits (runtime/pacing.ts): each one with `--debug`; and, debug or not, each that lasts a
 * second or more as one line saying what the command waits for and how long.
 */
export function paceNotices(io: Io, api: 'Heroku' | 'Cloudflare', debug: boolean): (message: string, waitMs: number) => void {
  return (message, waitMs) => {
    if (debug) io.stderr(`debug: pacing: ${message}\n`);
    if (waitMs >= VISIBLE_PACE_MS) io.stderr(`waiting for ${api}'s rate limit: ${Math.ceil(waitMs / 1000)} s\n`);
  };
}

/** A retry that waits at least this long is worth a line of its own: the command seems to hang. */
const LONG_RETRY_MS = 5_000;

/**
 * Retries as few lines: the first one, then only retries that wait long (so a slow command says
 * why). An unreachable API thus prints one line, not one per request and attempt, before its error.
 */
/** What `--debug` says of an exchange on a stale pooled connection, and of its resend. */
const CONNECTION_NOTES: Readonly<Record<NonNullable<HttpLogEntry['connection']>, string>> = {
  stale: ' (on a kept-alive connection the server had closed; resent on a new one when safe)',
  fresh: ' (resent on a new connection)',
};

function retryNotices(io: Io): (message: string, delayMs: number) => void {
  let first = true;
  return (message, delayMs) => {
    const long = delayMs >= LONG_RETRY_MS;
    if (!first && !long) return;
    io.stderr(`warning: ${message}${first && !long ? ' (further short retries are not listed)' : ''}\n`);
    first = false;
  };
}

/**
 * `DAFFEINATED_RETRY_BASE_MS` (hidden; for tests and benchmarks against a local sandbox, which
 * fails requests on purpose): the first delay, in ms, of retry backoff after a 5xx or a lost
 * connection and of polling for asynchronous work (add-on provisioning). The backoff still doubles
 * and the number of retries stays the same; Retry-After is still honoured. Unset: the production
 * defaults (250 ms for both).
 */
function testWaits(io: Io): { retryPolicy: typeof DEFAULT_RETRY_POLICY; poll: typeof DEFAULT_POLL } | undefined {
  const raw = io.env['DAFFEINATED_RETRY_BASE_MS'];
  const base = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(base) || base < 0) return undefined;
  return {
    retryPolicy: { ...DEFAULT_RETRY_POLICY, minDelayMs: base },
    poll: { ...DEFAULT_POLL, firstDelayMs: Math.max(base, 1) },
  };
}

/**
 * `DAFFEINATED_REQUEST_DEADLINE_MS` and `DAFFEINATED_RETRY_BUDGET_MS` (hidden; for tests against
 * a sandbox that answers slowly on purpose): the deadline of each exchange and the command's retry
 * budget, in ms. Unset: the production defaults (runtime/budget.ts).
 */
function testLimits(io: Io): { deadlineMs?: number; budgetMs?: number } {
  const read = (name: string) => {
    const raw = io.env[name];
    const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const deadlineMs = read('DAFFEINATED_REQUEST_DEADLINE_MS');
  const budgetMs = read('DAFFEINATED_RETRY_BUDGET_MS');
  return { ...(deadlineMs === undefined ? {} : { deadlineMs }), ...(budgetMs === undefined ? {} : { budgetMs }) };
}

interface Endpoint {
  readonly herokuUrl: string;
  readonly herokuToken: string;
  /** The Heroku Postgres API's base URL: its own host on Heroku; the sandbox serves it too. */
  readonly postgresUrl: string;
  /** Absent when the command does not touch Cloudflare. */
  readonly cloudflare: { readonly url: string; readonly token: string } | undefined;
  readonly description: string;
  web(): Promise<WebAccess>;
  close(): Promise<void>;
}

async function resolveEndpoint(config: Config | undefined, io: Io, options: ConnectOptions): Promise<Endpoint> {
  if (options.sandbox === undefined) {
    const token = await herokuToken(io.env, new URL(HEROKU_API_URL).host);
    return {
      herokuUrl: HEROKU_API_URL,
      herokuToken: token,
      postgresUrl: HEROKU_DATA_API_URL,
      cloudflare: options.cloudflare ? { url: CLOUDFLARE_API_URL, token: cloudflareToken(io) } : undefined,
      description: 'api.heroku.com',
      web: async () => ({ kind: 'probe', probe: directProbe() }),
      close: async () => {},
    };
  }
  const token = io.env['DAFFEINATED_SANDBOX_TOKEN'] ?? 'sandbox-token';
  const sandboxCloudflare = (base: string) => (options.cloudflare ? { url: `${base}${SANDBOX_CLOUDFLARE_PATH}`, token } : undefined);
  if (typeof options.sandbox === 'string') {
    const base = options.sandbox.replace(/\/+$/, '');
    return {
      herokuUrl: base,
      herokuToken: token,
      postgresUrl: base,
      cloudflare: sandboxCloudflare(base),
      description: `sandbox at ${options.sandbox}`,
      web: () => sandboxWeb(base, token),
      close: async () => {},
    };
  }
  // The in-process sandbox and its process launcher (execa: ~130 modules) are loaded only when
  // asked for, keeping them off the start-up path of every other command.
  const [{ startSandbox }, { runProgram, startProcessGroup }] = await Promise.all([import('../sandbox/index.js'), import('../runtime/exec.js')]);
  const stateDir = join(io.cwd, '.daffeinated');
  await mkdir(stateDir, { recursive: true });
  const sandbox = await startSandbox({
    port: 0,
    stateFile: join(stateDir, 'sandbox.json'),
    // The zones app.yaml declares exist already (daffeinated never creates zones). They are seeded
    // on Cloudflare's Pro plan: the platform's WAF (OWASP, 60 s rate limits) needs a paid plan.
    zones: Object.keys(config?.cloudflare.zones ?? {}).map((name) => ({ name, plan: 'pro' as const })),
    // Apps' web processes run locally (so health checks reach real code) unless switched off; their
    // compiled slugs (installed packages) go to the user's cache, not the working tree.
    // …and its Postgres add-ons are real local databases when the machine has PostgreSQL.
    ...(processesOff(io) ? {} : { processes: { launch: startProcessGroup, run: runProgram, env: processEnv(io), slugDir: slugCacheDir(io) } }),
    notice: (message) => io.stderr(`${message}\n`),
  });
  return {
    herokuUrl: sandbox.url,
    herokuToken: token,
    postgresUrl: sandbox.url,
    cloudflare: sandboxCloudflare(sandbox.url),
    description: `in-process sandbox (state in .daffeinated/sandbox.json)`,
    web: async () =>
      processesOff(io)
        ? { kind: 'unavailable', reason: 'the in-process sandbox runs no app processes (DAFFEINATED_SANDBOX_PROCESSES=off)' }
        : { kind: 'probe', probe: sandboxProbe(new URL(sandbox.url)) },
    close: () => sandbox.close(),
  };
}

function cloudflareToken(io: Io): string {
  const token = io.env['CLOUDFLARE_API_TOKEN']?.trim();
  if (token) return token;
  throw new UsageError('No Cloudflare API token: CLOUDFLARE_API_TOKEN is not set', {
    hint: 'Create a token limited to your zones (Zone Read, DNS Edit, Zone Settings Edit, Zone WAF Edit; read-only scopes for drift) and export CLOUDFLARE_API_TOKEN; to try daffeinated without an account, add --sandbox.',
  });
}

/** `DAFFEINATED_SANDBOX_PROCESSES=off` (or 0/false/no) keeps the in-process sandbox from running apps. */
function processesOff(io: Io): boolean {
  return ['off', '0', 'false', 'no'].includes((io.env['DAFFEINATED_SANDBOX_PROCESSES'] ?? '').trim().toLowerCase());
}

/** What the sandbox's processes may see of ours: PATH to find node and npm, HOME for npm's cache. Nothing else. */
function processEnv(io: Io): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME']) {
    const value = io.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** A sandbox at a URL says itself whether it runs apps (`GET /__sandbox/health`). */
async function sandboxWeb(base: string, token: string): Promise<WebAccess> {
  try {
    const response = await fetch(`${base}/__sandbox/health`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    const health = (await response.json()) as { processes?: unknown };
    if (health.processes === true) return { kind: 'probe', probe: sandboxProbe(new URL(base), token) };
    return { kind: 'unavailable', reason: `the sandbox at ${base} runs no app processes (start it with \`daffeinated sandbox --processes\`)` };
  } catch (error) {
    return { kind: 'unavailable', reason: `the sandbox at ${base} did not say whether it runs app processes (${(error as Error).message})` };
  }
}
