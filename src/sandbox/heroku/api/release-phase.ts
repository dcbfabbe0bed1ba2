import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import type { AppRecord, ReleaseRecord } from '../model/state.js';
import { capabilityKey } from '../storage/blobs.js';
import { STREAM_PREFIX } from '../storage/signed-urls.js';

/** How a release command ended: exit status 0, or why it failed. */
export type ReleasePhaseResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Release phase (Dev Center "Release Phase"): when the released slug's Procfile declares
 * `release`, Heroku runs that command in a one-off dyno before the release goes live, for every
 * new release of such a slug (deploys, config changes, rollbacks, promotions, add-on changes). The
 * release stays `pending` with an `output_stream_url` that answers 404 until the command starts;
 * then it becomes `succeeded` (and current: its slug is applied) or `failed` (the previous release
 * stays current). When the sandbox runs processes, the command really runs and its exit status
 * decides (runner/release-phases.ts); otherwise the clock runs it: it starts `releaseStartMs` after
 * the release and ends `releasePhaseMs` later, failing only when a failure was armed through
 * `POST /__sandbox/apps/{app}/fail-next` (an armed failure is never run, in either mode).
 */
export function startReleasePhase(world: World, app: AppRecord, release: ReleaseRecord, command: string, atMs: number) {
  const failure = app.failNext.releasePhase ?? null;
  delete app.failNext.releasePhase;
  const streamKey = capabilityKey();
  release.status = 'pending';
  release.outputStreamUrl = `${STREAM_PREFIX}${streamKey}`;
  if (world.heroku.runsReleasePhases === true && failure === null) {
    release.phase = { command, streamKey, runner: 'process', startedMs: null, dueMs: null, failure, output: [] };
    return;
  }
  const startedMs = atMs + world.heroku.timings.releaseStartMs;
  release.phase = {
    command,
    streamKey,
    runner: 'clock',
    startedMs,
    dueMs: startedMs + world.heroku.timings.releasePhaseMs,
    failure,
    output: [startLine(release, command, startedMs)],
  };
}

export function startLine(release: ReleaseRecord, command: string, atMs: number) {
  return { atMs, text: `Running release command for v${release.version}: ${command}` };
}

/** Ends a pending release phase at `atMs`; `apply` makes a succeeded release's slug live. */
export function finishReleasePhase(
  app: AppRecord,
  release: ReleaseRecord,
  result: ReleasePhaseResult,
  atMs: number,
  apply: (atMs: number) => void,
): void {
  const phase = release.phase;
  if (phase === null || release.status !== 'pending') return;
  if (!result.ok) {
    release.status = 'failed';
    phase.output.push(
      { atMs, text: `Release command failed: ${result.reason}` },
      { atMs, text: `Release v${release.version} failed; the previous release remains current.` },
    );
  } else {
    release.status = 'succeeded';
    phase.output.push({ atMs, text: 'Release command finished with exit status 0.' });
    app.releasedAt = isoSeconds(new Date(atMs));
    apply(atMs);
  }
  release.updatedAt = isoSeconds(new Date(atMs));
}
