import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { edgeErrorPage, edgeVerdict } from '../cloudflare/edge.js';
import { certificateIssued } from '../heroku/timed/acm.js';
import { advance } from '../heroku/timed/clock.js';
import { appForHost, notRunning, type WebRouter } from '../heroku/runner/web-router.js';
import { resolveName } from '../resolve.js';
import type { World } from '../world.js';

/**
 * The router to deployed apps: a request whose Host names an app (`<app>-<suffix>.herokuapp.com`
 * or one of its custom domains) goes where that name resolves through the sandbox's zones
 * (resolve.ts), as a client's connection would:
 * - to Heroku's router directly (herokuapp.com, or a DNS-only CNAME chain to a Heroku target):
 *   the app's web dynos, or Heroku's "no web processes" page when the sandbox runs no processes;
 * - to Cloudflare's edge (a proxied record): the zone's edge rules first (cloudflare/edge.ts: a 526
 *   under Full (strict) while the domain has no issued certificate), then the app as above;
 * - nowhere (no record, an address outside the sandbox): the connection is closed unanswered,
 *   as a client that could not resolve or reach the name would see it.
 * Resolves false, untouched, for a Host naming no app. Timed work (ACM checks) is brought up to
 * date first, as before any API request.
 */
export function appHosts(
  world: World,
  webRouter: WebRouter | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const routed = appForHost(world, req.headers.host);
    if (routed === undefined) return false;
    advance(world);
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const resolution = resolveName(world, host);
    if (resolution.kind === 'none' || resolution.kind === 'elsewhere') {
      req.resume();
      req.socket.destroy();
      return true;
    }
    if (resolution.kind === 'edge') {
      const proto = String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0]?.trim();
      const domain = routed.domains.find((d) => d.hostname === host || (d.hostname.startsWith('*.') && host.endsWith(d.hostname.slice(1))));
      const verdict = edgeVerdict(resolution.zone, { host, path: req.url ?? '/', https: proto === 'https' }, domain !== undefined && certificateIssued(domain));
      if (verdict.kind !== 'origin') {
        req.resume();
        const headers = { server: 'cloudflare', 'cf-ray': `${randomBytes(8).toString('hex')}-SBX` };
        if (verdict.kind === 'redirect') res.writeHead(301, { ...headers, location: verdict.location });
        else res.writeHead(verdict.status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
        res.end(verdict.kind === 'redirect' ? '' : edgeErrorPage(world, verdict.status, verdict.title, host));
        return true;
      }
    }
    if (webRouter === undefined) {
      req.resume();
      notRunning(res);
    } else await webRouter.serve(req, res, routed);
    return true;
  };
}
