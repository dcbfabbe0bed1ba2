import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import { entry, STACKS } from '../model/catalog.js';
import { findApp } from '../model/lookup.js';
import type { SlugRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { notFound } from '../protocol/errors.js';
import { SLUG_PREFIX } from '../storage/signed-urls.js';

/**
 * Slugs: what a build produced (or a promotion/`POST /releases {slug}` copied in). `blob.url` is a
 * signed download of the slug archive: the uploaded source for built slugs (buildpacks are not
 * run), a tarball holding just the Procfile for slugs declared out of band.
 */
export function slugJson(slug: SlugRecord, base: string): Record<string, unknown> {
  const stack = entry(STACKS, slug.stack);
  return {
    blob: { method: 'get', url: `${base}${SLUG_PREFIX}${slug.blobKey}` },
    buildpack_provided_description: slug.buildpackProvidedDescription,
    checksum: slug.checksum,
    commit: slug.commit,
    commit_description: slug.commitDescription,
    created_at: slug.createdAt,
    deleted_at: null,
    id: slug.id,
    process_types: { ...slug.processTypes },
    size: slug.size,
    stack: { id: stack.id, name: stack.name },
    updated_at: slug.updatedAt,
  };
}

export function registerSlugs(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/slugs/:slug', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const identity = (ctx.params['slug'] as string).toLowerCase();
      const slug = UUID_PATTERN.test(identity) ? app.slugs.find((s) => s.id === identity) : undefined;
      if (slug === undefined) throw notFound('slug');
      return json(200, slugJson(slug, ctx.baseUrl));
    },
  });
}
