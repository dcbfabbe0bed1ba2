/**
 * What-if measurements for fixes proposed in areas this benchmark does not edit: the same read
 * path as `plan`, with one knob changed, against the same sandbox and latency.
 *
 * - Heroku concurrency: HerokuClient defaults to 32 requests in flight (providers/heroku/client.ts),
 *   while a plan of 20 apps sends 9 reads per app in one logical round; the rate limit is a token
 *   bucket (4,500), not a connection limit, so the bound can be the round's size.
 * - heroku-client's per-request set-up: every request builds a new `Request`, which reads
 *   `SSL_CERT_FILE` and every file in `SSL_CERT_DIR` synchronously (getCerts) and makes a new
 *   http(s).Agent (no keep-alive: a TCP and TLS handshake per request against api.heroku.com).
 */
import { createRequire } from 'node:module';
import type { Resource } from '../src/model/resource.js';
import { HerokuClient } from '../src/providers/heroku/client.js';
import { HerokuProvider } from '../src/providers/heroku/index.js';
import { median } from './scenarios.js';

export interface ConcurrencyWhatIf {
  readonly latencyMs: number;
  readonly requests: number;
  /** Median wall time of the Heroku reads of a plan, per concurrency bound. */
  readonly wallMs: Record<number, number>;
  readonly rounds: Record<number, number>;
}

export async function herokuConcurrencyWhatIf(
  sandboxUrl: string,
  desired: readonly Resource[],
  latencyMs: number,
  bounds: readonly number[],
  repeats: number,
): Promise<ConcurrencyWhatIf> {
  const heroku = desired.filter((r) => r.provider === 'heroku');
  const scopes = [...new Set(heroku.map((r) => r.scope))].sort();
  const apps = new Map(
    heroku.filter((r) => r.kind === 'heroku.app').map((r) => [r.scope, String(r.attributes['name'])] as const),
  );
  const wallMs: Record<number, number> = {};
  let requests = 0;
  for (const concurrency of bounds) {
    const runs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      let count = 0;
      const client = new HerokuClient({
        baseUrl: sandboxUrl,
        token: 'sandbox-token',
        userAgent: 'daffeinated-bench',
        concurrency,
        onHttp: () => count++,
      });
      const started = performance.now();
      await new HerokuProvider(client, apps).read({ scopes, desired: heroku });
      runs.push(performance.now() - started);
      requests = count;
    }
    wallMs[concurrency] = median(runs);
  }
  const rounds = Object.fromEntries(Object.entries(wallMs).map(([c, ms]) => [Number(c), ms / latencyMs]));
  return { latencyMs, requests, wallMs, rounds };
}

export interface RequestSetupCost {
  readonly sslCertDir: string | undefined;
  readonly sslCertFile: string | undefined;
  /** Synchronous milliseconds heroku-client spends building one request, with the variables as found. */
  readonly msPerRequestAsFound: number;
  /** The same with both variables unset. */
  readonly msPerRequestUnset: number;
}

/** Times `new Request()` of heroku-client (what HerokuClient does for every API call). */
export function herokuRequestSetupCost(original: { SSL_CERT_DIR?: string; SSL_CERT_FILE?: string }): RequestSetupCost {
  const Request = createRequire(import.meta.url)('heroku-client/lib/request.js') as new (options: object) => unknown;
  const time = (env: { SSL_CERT_DIR?: string; SSL_CERT_FILE?: string }) => {
    const saved = { dir: process.env['SSL_CERT_DIR'], file: process.env['SSL_CERT_FILE'] };
    setEnv('SSL_CERT_DIR', env.SSL_CERT_DIR);
    setEnv('SSL_CERT_FILE', env.SSL_CERT_FILE);
    const n = 20;
    const started = performance.now();
    for (let i = 0; i < n; i++) new Request({ host: 'http://127.0.0.1:9', path: '/apps', method: 'GET' });
    const ms = (performance.now() - started) / n;
    setEnv('SSL_CERT_DIR', saved.dir);
    setEnv('SSL_CERT_FILE', saved.file);
    return ms;
  };
  return {
    sslCertDir: original.SSL_CERT_DIR,
    sslCertFile: original.SSL_CERT_FILE,
    msPerRequestAsFound: time(original),
    msPerRequestUnset: time({}),
  };
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
