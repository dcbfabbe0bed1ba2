import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import type { AppRecord, ReleaseRecord } from '../model/state.js';
import { capabilityKey } from '../storage/blobs.js';
import { STREAM_PREFIX } from '../storage/signed-urls.js';

/**
 * Release phase: when the released slug's Procfile declares `release`, Heroku runs that command
 * before the release goes live. The release stays `pending` with an `output_stream_url` for
 * `releasePhaseMs`, then becomes `succeeded` (and current: its slug is applied) or `failed` (the
 * previous release stays current). Heroku runs it for every new release of such a slug: deploys,
 * config changes, rollbacks, promotions, add-on changes. The sandbox does not execute the command;
 * it fails only when a failure was armed through `POST /__sandbox/apps/{app}/fail-next`.
 */
export function startReleasePhase(world: World, app: AppRecord, release: ReleaseRecord, command: string, atMs: number) {
  const failure = app.failNext.releasePhase ?? null;
  delete app.failNext.releasePhase;
  const streamKey = capabilityKey();
  release.status = 'pending';
  release.outputStreamUrl = `${STREAM_PREFIX}${streamKey}`;
  release.phase = {
    command,
    streamKey,
    dueMs: atMs + world.heroku.timings.releasePhaseMs,
    failure,
    output: [{ atMs, text: `Running release command for v${release.version}: ${command}` }],
  };
}

/** Ends a due release phase; `apply` makes a succeeded release's slug live. */
export function finishReleasePhase(app: AppRecord, release: ReleaseRecord, apply: (atMs: number) => void): void {
  const phase = release.phase;
  if (phase === null || release.status !== 'pending') return;
  const at = phase.dueMs;
  if (phase.failure !== null) {
    release.status = 'failed';
    phase.output.push(
      { atMs: at, text: `Release command failed: ${phase.failure}` },
      { atMs: at, text: `Release v${release.version} failed; the previous release remains current.` },
    );
  } else {
    release.status = 'succeeded';
    phase.output.push({ atMs: at, text: 'Release command finished with exit status 0.' });
    app.releasedAt = isoSeconds(new Date(at));
    apply(at);
  }
  release.updatedAt = isoSeconds(new Date(at));
}
