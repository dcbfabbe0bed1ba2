import { json } from '../../http.js';
import { findApp } from '../model/lookup.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { capabilityKey } from '../storage/blobs.js';
import { BLOB_PREFIX } from '../storage/signed-urls.js';

/**
 * Sources: `POST /sources` issues an upload slot: `put_url` to PUT a .tar.gz to (no credentials:
 * the unguessable key in the URL is the signature, as with Heroku's S3 URLs) and `get_url` to read
 * it back or hand to `POST /apps/{app}/builds`. Both point at the sandbox itself (storage/files.ts). Unlike
 * Heroku's, the URLs do not expire. `POST /apps/{app}/sources` is the deprecated per-app variant.
 */
function issue(ctx: HerokuContext) {
  const key = capabilityKey();
  ctx.world.state.heroku.sources.push({ key, createdAt: ctx.world.now(), uploadedAt: null, size: null, sha256: null });
  const url = `${ctx.baseUrl}${BLOB_PREFIX}${key}`;
  return json(201, { source_blob: { get_url: url, put_url: url } });
}

export function registerSources(router: HerokuRouter): void {
  router.add('POST', '/sources', { handler: issue });
  router.add('POST', '/apps/:app/sources', {
    handler: (ctx) => {
      findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return issue(ctx);
    },
  });
}
