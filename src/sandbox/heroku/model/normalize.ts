import { stableUuid } from '../../ids.js';
import { capabilityKey } from '../storage/blobs.js';
import type { HerokuState } from './state.js';

/**
 * Brings a persisted Heroku state up to the current shape in place: collections added since it
 * was saved start empty, fields added to records get their neutral value. Nothing is removed, so
 * a state file written by an older sandbox keeps working (same format version, additive changes).
 */
export function normalizeHerokuState(heroku: HerokuState): void {
  const h = heroku as Partial<HerokuState> & HerokuState;
  h.pipelines ??= [];
  h.couplings ??= [];
  h.promotions ??= [];
  h.sources ??= [];
  for (const app of h.apps) {
    app.buildpacks ??= [];
    app.features ??= [];
    app.domains ??= [];
    for (const domain of app.domains) domain.acmFailingSinceMs ??= null;
    app.logDrains ??= [];
    app.webhooks ??= [];
    app.builds ??= [];
    app.failNext ??= {};
    for (const release of app.releases) {
      release.phase ??= null;
      if (release.phase !== null) {
        release.phase.runner ??= 'clock';
        release.phase.startedMs ??= 0;
      }
    }
    for (const slug of app.slugs) {
      slug.blobKey ??= capabilityKey();
      slug.sourceKey ??= null;
    }
    for (const addon of app.addons) {
      addon.attachment ??= {
        id: stableUuid('attachment', addon.id),
        name: addon.configVars[0]?.replace(/_URL$/, '') ?? addon.service.name.toUpperCase().replace(/-/g, '_'),
        createdAt: addon.createdAt,
        updatedAt: addon.updatedAt,
      };
      addon.config ??= {};
      addon.provisionDueMs ??= null;
    }
  }
}
