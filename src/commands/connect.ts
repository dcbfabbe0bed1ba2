import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../model/config.js';
import type { ProviderId } from '../model/resource.js';
import { HerokuClient, type HttpLogEntry } from '../providers/heroku/client.js';
import { herokuToken } from '../providers/heroku/credentials.js';
import { HerokuProvider } from '../providers/heroku/index.js';
import type { Provider } from '../providers/provider.js';
import type { Io } from '../runtime/io.js';
import { VERSION } from '../version.js';

export const HEROKU_API_URL = 'https://api.heroku.com';

export interface ConnectOptions {
  /** `undefined`: the real APIs; `true`: an in-process sandbox; a string: a sandbox at that URL. */
  readonly sandbox: string | true | undefined;
  readonly debug: boolean;
}

export interface Connection {
  readonly providers: ReadonlyMap<ProviderId, Provider>;
  /** Key for hashing sensitive values into digests; derived from the credentials, never printed. */
  readonly digestKey: string;
  /** Where the APIs are, for messages (`sandbox at http://127.0.0.1:…` or `api.heroku.com`). */
  readonly target: string;
  close(): Promise<void>;
}

/**
 * The one place that decides which API base URLs and tokens daffeinated talks to. Everything past
 * this point runs the same code against Heroku and the sandbox.
 */
export async function connect(config: Config, io: Io, options: ConnectOptions): Promise<Connection> {
  const endpoint = await resolveEndpoint(config, io, options);
  const onHttp = options.debug
    ? (e: HttpLogEntry) =>
        io.stderr(
          `debug: ${e.method} ${e.path} → ${e.status ?? 'no response'} in ${e.ms} ms${e.requestId ? ` (request id ${e.requestId})` : ''}${e.attempt > 1 ? ` attempt ${e.attempt}` : ''}\n`,
        )
    : undefined;
  const heroku = new HerokuClient({
    baseUrl: endpoint.herokuUrl,
    token: endpoint.herokuToken,
    userAgent: `daffeinated/${VERSION}`,
    ...(onHttp === undefined ? {} : { onHttp }),
    onRetry: (message) => io.stderr(`warning: ${message}\n`),
  });
  const apps = new Map(Object.values(config.environments).map((e) => [e.name, e.app] as const));
  return {
    providers: new Map<ProviderId, Provider>([['heroku', new HerokuProvider(heroku, apps)]]),
    digestKey: createHash('sha256').update(`daffeinated digest key\0${endpoint.herokuToken}`).digest('hex'),
    target: endpoint.description,
    close: endpoint.close,
  };
}

interface Endpoint {
  readonly herokuUrl: string;
  readonly herokuToken: string;
  readonly description: string;
  close(): Promise<void>;
}

async function resolveEndpoint(config: Config, io: Io, options: ConnectOptions): Promise<Endpoint> {
  if (options.sandbox === undefined) {
    const token = await herokuToken(io.env, new URL(HEROKU_API_URL).host);
    return { herokuUrl: HEROKU_API_URL, herokuToken: token, description: 'api.heroku.com', close: async () => {} };
  }
  const token = io.env['DAFFEINATED_SANDBOX_TOKEN'] ?? 'sandbox-token';
  if (typeof options.sandbox === 'string') {
    return {
      herokuUrl: options.sandbox.replace(/\/+$/, ''),
      herokuToken: token,
      description: `sandbox at ${options.sandbox}`,
      close: async () => {},
    };
  }
  // The in-process sandbox is loaded only when asked for, keeping it off the real-API start-up path.
  const { startSandbox } = await import('../sandbox/index.js');
  const stateDir = join(io.cwd, '.daffeinated');
  await mkdir(stateDir, { recursive: true });
  const sandbox = await startSandbox({
    port: 0,
    stateFile: join(stateDir, 'sandbox.json'),
    zones: Object.keys(config.cloudflare.zones),
  });
  return {
    herokuUrl: sandbox.url,
    herokuToken: token,
    description: `in-process sandbox (state in .daffeinated/sandbox.json)`,
    close: () => sandbox.close(),
  };
}
