import { createHash } from 'node:crypto';
import { json } from '../../http.js';
import { isoSeconds, UUID_PATTERN } from '../../ids.js';
import type { World } from '../../world.js';
import type { BuildRecord } from '../model/deploy.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord, } from '../model/state.js';
import { type Body, objectBody, optionalObject, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';
import { inspectSource, type SourceInspection } from '../runner/build-source.js';
import { capabilityKey } from '../storage/blobs.js';
import { BLOB_PREFIX, STREAM_PREFIX } from '../storage/signed-urls.js';
import { buildOutput } from './build-output.js';
import { parseBuildpack } from './buildpacks.js';

/**
 * Builds. `POST /apps/{app}/builds {source_blob: {url, version?, checksum?}, buildpacks?}` starts a
 * `pending` build that streams its output at `output_stream_url` and ends after `buildMs`. The
 * source is fetched and read when the build starts: it must be a sandbox upload (`POST /sources`
 * then PUT), match `checksum` when given, and be a valid .tar.gz — otherwise the build fails and
 * its output says why. A successful build creates a slug (process types from the Procfile) and a
 * release "Deploy <version>"; new process types join the formation (web at 1, others at 0).
 */
export function buildJson(build: BuildRecord, appId: string, base: string): Record<string, unknown> {
  return {
    app: { id: appId },
    buildpacks: build.buildpacks === null ? null : build.buildpacks.map((b) => ({ ...b })),
    created_at: build.createdAt,
    generation: 'cedar',
    id: build.id,
    output_stream_url: `${base}${STREAM_PREFIX}${build.streamKey}`,
    release: build.releaseId === null ? null : { id: build.releaseId },
    slug: build.slugId === null ? null : { id: build.slugId },
    source_blob: {
      checksum: build.sourceBlob.checksum,
      url: build.sourceBlob.url,
      version: build.sourceBlob.version,
      version_description: build.sourceBlob.versionDescription,
    },
    stack: build.stack,
    status: build.status,
    updated_at: build.updatedAt,
    user: { ...build.user },
  };
}

const BUILD_RANGES: readonly RangeKey<BuildRecord>[] = [
  { name: 'id', value: (b) => b.id },
  { name: 'started_at', value: (b) => b.createdAt },
];

export function registerBuilds(router: HerokuRouter): void {
  router.add('POST', '/apps/:app/builds', { handler: create });
  router.add('GET', '/apps/:app/builds', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return paginate(app.builds, BUILD_RANGES, ctx.range, (b) => buildJson(b, app.id, ctx.baseUrl));
    },
  });
  router.add('GET', '/apps/:app/builds/:build', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const identity = (ctx.params['build'] as string).toLowerCase();
      const build = UUID_PATTERN.test(identity) ? app.builds.find((b) => b.id === identity) : undefined;
      if (build === undefined) throw notFound('build');
      return json(200, buildJson(build, app.id, ctx.baseUrl));
    },
  });
}

function appOf(ctx: HerokuContext): AppRecord {
  return findApp(ctx.world.state.heroku, ctx.params['app'] as string);
}

const CHECKSUM = /^SHA256:[0-9a-f]{64}$/i;

function create(ctx: HerokuContext) {
  const { world } = ctx;
  const app = appOf(ctx);
  const body = objectBody(ctx.body);
  const blob = optionalObject(body, 'source_blob');
  const url = blob === undefined ? undefined : optionalString(blob, 'url');
  if (blob === undefined || url === undefined) throw invalidParams('Invalid params: source_blob.url is required.');
  const checksum = optionalString(blob, 'checksum') ?? null;
  if (checksum !== null && !CHECKSUM.test(checksum))
    throw invalidParams('Invalid params: source_blob.checksum must look like SHA256:<64 hex digits>.');
  const buildpacks =
    requestedBuildpacks(body) ?? (app.buildpacks.length > 0 ? app.buildpacks.map((b) => ({ ...b })) : null);

  const startMs = world.clock().getTime();
  const dueMs = startMs + world.heroku.timings.buildMs;
  const fetched = fetchSource(world, url, checksum);
  const result: SourceInspection = fetched.ok ? inspectSource(fetched.data, buildpacks) : fetched;
  // An armed failure is spent on the next build that would otherwise succeed.
  const injected = result.ok ? (app.failNext.build ?? null) : null;
  if (injected !== null) delete app.failNext.build;
  const now = isoSeconds(new Date(startMs));
  const account = world.state.heroku.account;
  const build: BuildRecord = {
    id: world.ids.uuid(),
    status: 'pending',
    sourceBlob: {
      url,
      checksum,
      version: optionalString(blob, 'version') ?? null,
      versionDescription: optionalString(blob, 'version_description') ?? null,
    },
    buildpacks,
    stack: app.buildStack,
    user: { id: account.id, email: account.email },
    slugId: null,
    releaseId: null,
    streamKey: capabilityKey(),
    startedMs: startMs,
    dueMs,
    outcome:
      result.ok && fetched.ok && injected === null
        ? {
            ok: true,
            processTypes: result.processTypes,
            language: result.language,
            sourceKey: fetched.key,
            size: fetched.data.length,
            checksum: `SHA256:${createHash('sha256').update(fetched.data).digest('hex')}`,
          }
        : { ok: false },
    output: buildOutput(
      { stack: app.buildStack, buildpacks, sourceSize: fetched.ok ? fetched.data.length : null, result, injected },
      startMs,
      dueMs,
    ),
    createdAt: now,
    updatedAt: now,
  };
  app.builds.push(build);
  return json(201, buildJson(build, app.id, ctx.baseUrl));
}

function requestedBuildpacks(body: Body): { url: string; name: string }[] | undefined {
  const raw = body['buildpacks'];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidParams('Invalid params: buildpacks must be an array of {url} or {name}.');
  return raw.map((item: unknown, i) => {
    const ref =
      typeof item === 'object' && item !== null ? ((item as Body)['url'] ?? (item as Body)['name']) : undefined;
    const parsed = typeof ref === 'string' ? parseBuildpack(ref) : undefined;
    if (parsed === undefined)
      throw invalidParams(`Invalid params: buildpacks[${i}] must be {url} or {name} of a buildpack.`);
    return parsed;
  });
}

type Fetched = { ok: true; key: string; data: Buffer } | { ok: false; reason: string };

/** Reads an upload through its sandbox URL (any host: only the path's key matters). */
function fetchSource(world: World, url: string, checksum: string | null): Fetched {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return { ok: false, reason: `Unable to fetch source from ${url}: not a URL.` };
  }
  const key = path.startsWith(BLOB_PREFIX) ? path.slice(BLOB_PREFIX.length) : undefined;
  const record = world.state.heroku.sources.find((s) => s.key === key);
  const data = key === undefined ? undefined : world.heroku.blobs.get(key);
  if (key === undefined || record === undefined) {
    return {
      ok: false,
      reason: `Unable to fetch source from ${url}: the sandbox reaches no other host; upload with POST /sources and build from its get_url.`,
    };
  }
  if (record.uploadedAt === null || data === undefined)
    return { ok: false, reason: `Unable to fetch source from ${url}: nothing was uploaded to its put_url (404).` };
  const actual = `SHA256:${createHash('sha256').update(data).digest('hex')}`;
  if (checksum !== null && checksum.toLowerCase() !== actual.toLowerCase())
    return { ok: false, reason: `Checksum mismatch: the build asked for ${checksum}, the source is ${actual}.` };
  return { ok: true, key, data };
}
