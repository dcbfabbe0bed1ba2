import { randomUUID } from 'node:crypto';
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { World } from '../../world.js';
import { herokuHostname } from '../api/domains.js';
import type { AppRecord } from '../model/state.js';
import type { DynoRunner, Route } from './dyno-runner.js';

/** Heroku's router gives up on a request after 30 s (H12). */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The sandbox's stand-in for Heroku's router: a request whose `Host` is an app's
 * `<name>-<hex>.herokuapp.com` or one of its custom domains (as DNS would send it to Heroku) is
 * proxied to the app's running web dyno, with Heroku's `X-Forwarded-*` and `X-Request-Id`
 * headers. When no dyno can answer, the answer is Heroku's router error: 503 with an error page,
 * and an `at=error code=H… desc=…` line in the app's log (H10 crashed, H14 no web dynos, H20 boot
 * timeout, H12 request timeout, H13 connection closed). Each request adds one `heroku[router]`
 * line. Only active when the sandbox runs processes; TLS is not emulated (clients connect over
 * plain HTTP and say `X-Forwarded-Proto: https` themselves when they mean https).
 */
export class WebRouter {
  constructor(
    private readonly world: World,
    private readonly runner: DynoRunner,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse, app: AppRecord): Promise<void> {
    const started = performance.now();
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    const route = await this.runner.route(app);
    const meta = { method: req.method ?? 'GET', path: req.url ?? '/', host: headerValue(req, 'host') ?? '', requestId };
    if (route.kind === 'error') {
      req.resume();
      this.fail(res, app, meta, route, started);
      return;
    }
    await this.proxy(req, res, app, route.port, meta, started);
  }

  private proxy(req: IncomingMessage, res: ServerResponse, app: AppRecord, port: number, meta: Meta, started: number) {
    return new Promise<void>((resolve) => {
      const forwardedFor = [headerValue(req, 'x-forwarded-for'), req.socket.remoteAddress].filter(Boolean).join(', ');
      const upstream = request({
        host: '127.0.0.1',
        port,
        method: meta.method,
        path: meta.path,
        headers: {
          ...req.headers,
          'x-forwarded-for': forwardedFor,
          'x-forwarded-proto': headerValue(req, 'x-forwarded-proto') ?? 'http',
          'x-forwarded-port': headerValue(req, 'x-forwarded-port') ?? String(req.socket.localPort ?? ''),
          'x-request-id': meta.requestId,
          'x-request-start': String(Date.now()),
          via: '1.1 heroku-router (daffeinated sandbox)',
        },
        timeout: REQUEST_TIMEOUT_MS,
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let bytes = 0;
        answer.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        answer.pipe(res);
        answer.on('end', () => {
          this.log(app, `at=info ${describe(meta)} dyno=web.1 connect=0ms service=${ms(started)}ms status=${answer.statusCode} bytes=${bytes} protocol=http`);
          resolve();
        });
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      });
      upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
      upstream.on('error', (error) => {
        const timedOut = error.message === 'timeout';
        if (!res.headersSent) {
          this.fail(res, app, meta, { kind: 'error', code: timedOut ? 'H12' : 'H13', desc: timedOut ? 'Request timeout' : 'Connection closed without response' }, started);
        } else res.destroy();
        resolve();
      });
      req.pipe(upstream);
    });
  }

  private fail(res: ServerResponse, app: AppRecord, meta: Meta, route: Extract<Route, { kind: 'error' }> | RouterError, started: number) {
    this.log(app, `at=error code=${route.code} desc="${route.desc}" ${describe(meta)} dyno=web.1 service=${ms(started)}ms status=503 bytes=0 protocol=http`);
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache, no-store' });
    res.end(ERROR_PAGE);
  }

  private log(app: AppRecord, text: string): void {
    this.world.heroku.logs.append(app.id, 'heroku', 'router', text);
  }
}

/** The app a `Host` header names (its herokuapp.com hostname or a custom domain), if any. */
export function appForHost(world: World, hostHeader: string | undefined): AppRecord | undefined {
  if (hostHeader === undefined) return undefined;
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (host === '' || host.startsWith('[') || /^[\d.]+$/.test(host) || host === 'localhost') return undefined;
  return world.state.heroku.apps.find(
    (app) => herokuHostname(app) === host || app.domains.some((d) => hostMatches(d.hostname, host)),
  );
}

/**
 * The answer for an app's hostname when the sandbox runs no processes: 503 saying so. Never the
 * sandbox's own answer (its `/health` would look like a healthy app).
 */
export function notRunning(res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('This sandbox does not run apps\' processes, so nothing answers for this app. Start it with processes (daffeinated sandbox --processes).\n');
}

interface Meta {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly requestId: string;
}

interface RouterError {
  readonly kind: 'error';
  readonly code: 'H12' | 'H13';
  readonly desc: string;
}

const ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Application Error</title></head>' +
  '<body><h1>Application error</h1><p>An error occurred in the application and your page could not be served. ' +
  'Check the logs: <code>heroku logs --tail</code>.</p></body></html>\n';

function describe(meta: Meta): string {
  return `method=${meta.method} path="${meta.path}" host=${meta.host} request_id=${meta.requestId}`;
}

function ms(started: number): number {
  return Math.round(performance.now() - started);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Exact hostnames, and `*.example.com` wildcards for one label, as Heroku matches domains. */
function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}
