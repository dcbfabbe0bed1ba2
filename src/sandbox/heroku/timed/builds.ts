import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import { finalLines } from '../api/build-output.js';
import { createRelease } from '../api/releases.js';
import type { BuildRecord } from '../model/deploy.js';
import type { AppRecord, SlugRecord } from '../model/state.js';
import { capabilityKey } from '../storage/blobs.js';
import type { TimedWork } from './work.js';

/** A `pending` build ends `buildMs` after it started (api/builds.ts starts it). */
export const builds: TimedWork = {
  scope: 'app',
  name: 'builds',
  *due(world, app) {
    for (const build of app.builds) {
      if (build.status === 'pending') yield { at: build.dueMs, run: () => settleBuild(world, app, build) };
    }
  },
};

/** Ends a due build at its due time: a slug and a release, or a failure. */
export function settleBuild(world: World, app: AppRecord, build: BuildRecord): void {
  if (build.status !== 'pending') return;
  const at = build.dueMs;
  const now = isoSeconds(new Date(at));
  build.updatedAt = now;
  const outcome = build.outcome;
  if (!outcome.ok) {
    build.status = 'failed';
    return;
  }
  const slug: SlugRecord = {
    id: world.ids.uuid(),
    processTypes: { ...outcome.processTypes },
    stack: build.stack,
    commit: build.sourceBlob.version,
    commitDescription: build.sourceBlob.versionDescription,
    checksum: outcome.checksum,
    buildpackProvidedDescription: outcome.language,
    size: outcome.size,
    blobKey: capabilityKey(),
    sourceKey: outcome.sourceKey,
    createdAt: now,
    updatedAt: now,
  };
  app.slugs.push(slug);
  const version = build.sourceBlob.version;
  const release = createRelease(world, app, {
    description: version === null ? 'Deploy' : `Deploy ${version.slice(0, 8)}`,
    slugId: slug.id,
    atMs: at,
  });
  build.status = 'succeeded';
  build.slugId = slug.id;
  build.releaseId = release.id;
  const webUrl = `https://${app.name}-${app.webSuffix}.herokuapp.com/`;
  build.output.push(...finalLines(at, release.version, webUrl, release.phase !== null));
}
