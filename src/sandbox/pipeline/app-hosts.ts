import type { IncomingMessage, ServerResponse } from 'node:http';
import { appForHost, notRunning, type WebRouter } from '../heroku/runner/web-router.js';
import type { World } from '../world.js';

/**
 * The router to deployed apps: a request whose Host names an app (`<app>-<suffix>.herokuapp.com`
 * or one of its custom domains) goes to its web dynos, or gets Heroku's "no web processes" page
 * when the sandbox does not run processes. Resolves false, untouched, for any other Host.
 */
export function appHosts(
  world: World,
  webRouter: WebRouter | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const routed = appForHost(world, req.headers.host);
    if (routed === undefined) return false;
    if (webRouter === undefined) {
      req.resume();
      notRunning(res);
    } else await webRouter.serve(req, res, routed);
    return true;
  };
}
