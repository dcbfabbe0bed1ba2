import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one GET got: the status and the start of the body, or why there was no answer. */
export type ProbeResult =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | {
      readonly ok: false;
      readonly error: string;
      /** `unreachable`: no connection (DNS, refused, TLS); `timeout`: connected or waiting, but no answer in time. */
      readonly reason: 'unreachable' | 'timeout';
    };

/**
 * How health checks reach an app over HTTP. Real apps are reached directly (DNS, TLS); a sandbox
 * that runs apps is reached the way Heroku's router is: every hostname goes to the sandbox, which
 * picks the app by `Host`. Either way a probe only reports what a real server answered — it never
 * makes an answer up.
 */
export interface WebProbe {
  /** Whether requests for `hostname` can reach a server at all (DNS resolves it, or the sandbox routes it). */
  resolves(hostname: string): Promise<boolean>;
  /** One GET; never throws (network failures are `ok: false`). */
  get(url: URL, timeoutMs: number): Promise<ProbeResult>;
  /** How requests travel, for messages (`directly`, `through the sandbox at …`). */
  readonly route: string;
}

/** The internet: DNS, then HTTP or HTTPS to the host itself. */
export function directProbe(): WebProbe {
  return {
    route: 'directly',
    resolves: async (hostname) => {
      try {
        await lookup(hostname);
        return true;
      } catch {
        return false;
      }
    },
    get: (url, timeoutMs) => send(url.protocol === 'https:' ? httpsRequest : httpRequest, url, {}, timeoutMs),
  };
}

/**
 * A sandbox at `base` that routes apps' hostnames to their processes: the request goes to the
 * sandbox over plain HTTP with the app's `Host`, and `X-Forwarded-Proto` says whether the URL was
 * https (the sandbox does not emulate TLS). Whether a name resolves is the sandbox's to say: it
 * resolves names through its own zones (`GET /__sandbox/resolve/{name}`); no answer counts as not
 * resolving.
 */
export function sandboxProbe(base: URL, token?: string): WebProbe {
  return {
    route: `through the sandbox at ${base.origin}`,
    resolves: async (hostname) => {
      try {
        const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
        const response = await fetch(new URL(`/__sandbox/resolve/${encodeURIComponent(hostname)}`, base), { headers, signal: AbortSignal.timeout(10_000) });
        const answer = (await response.json()) as { resolves?: unknown };
        return response.ok && answer.resolves === true;
      } catch {
        return false;
      }
    },
    get: (url, timeoutMs) => {
      const target = new URL(`${url.pathname}${url.search}`, base);
      const headers = { host: url.host, 'x-forwarded-proto': url.protocol.replace(/:$/, '') };
      return send(httpRequest, target, headers, timeoutMs);
    },
  };
}

type RequestFn = typeof httpRequest;

const BODY_LIMIT = 2048;

function send(request: RequestFn, url: URL, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'daffeinated-healthcheck', ...headers } }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < BODY_LIMIT) body += chunk;
      });
      res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0, body: body.slice(0, BODY_LIMIT) }));
      res.on('error', (error) => finish({ ok: false, error: error.message, reason: 'unreachable' }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `no answer within ${Math.round(timeoutMs)} ms`, reason: 'timeout' });
    }, Math.max(1, timeoutMs));
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code ?? error.message, reason: 'unreachable' }));
    req.end();
  });
}
