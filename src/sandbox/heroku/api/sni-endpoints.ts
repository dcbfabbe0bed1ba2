import { json } from '../../http.js';
import { findApp } from '../model/lookup.js';
import type { HerokuRouter } from '../protocol/context.js';

/**
 * SNI endpoints, read only. The sandbox's apps use ACM, so the list is always empty; uploading
 * certificates is not served. The official CLI's `domains:add` reads this list before adding a
 * domain, to offer an endpoint to attach it to (heroku/cli `src/commands/domains/add.ts`).
 */
export function registerSniEndpoints(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/sni-endpoints', {
    handler: (ctx) => {
      findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, []);
    },
  });
}
