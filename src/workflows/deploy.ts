import { createHash } from 'node:crypto';
import type { BuildStatus, Delivery, ReleaseStatus } from '../providers/provider.js';
import { DaffError } from '../runtime/errors.js';
import { follow } from './output-stream.js';
import { LineTail, waitFor } from './poll.js';
import { earlierBuild, releaseOfBuilt } from './ship-existing.js';
import { formatDuration, type Progress, type Timing } from './progress.js';

/** What to ship: the app, a .tar.gz of the commit, and the commit itself. */
export interface ShipRequest {
  readonly app: string;
  readonly tarball: Uint8Array;
  readonly commit: { readonly sha: string; readonly subject: string };
  /** Default 30 minutes (Heroku stops builds after 15). */
  readonly buildTimeoutMs?: number;
  /** Default 60 minutes (Heroku's release-phase limit is 1 hour). */
  readonly releaseTimeoutMs?: number;
}

export interface ShipResult {
  readonly build: BuildStatus;
  readonly release: ReleaseStatus;
  /** From the build's creation (or from when this run started following it) to its end; 0 when reused. */
  readonly buildMs: number;
  /** Built by this run, an earlier run's build followed to its end, or an earlier succeeded build reused. */
  readonly origin: 'built' | 'followed' | 'reused';
}

/**
 * What a caller may follow of a shipment as it happens, so that it can report the build and the
 * release also when one fails (`deploy --format json`). Each is called when the build (started,
 * followed or reused) or the release is known, and again with its final status.
 */
export interface ShipObserver {
  readonly build: (build: BuildStatus) => void;
  readonly release: (release: ReleaseStatus) => void;
}

/** How many lines of output a failure report repeats. */
const TAIL_LINES = 25;

/**
 * Builds a commit and waits until its release is live: upload the tarball, start a build with the
 * commit as version and the tarball's SHA-256 as checksum, stream the build output as it arrives,
 * wait for the build, then for its release (including a release phase, whose output is streamed
 * too). A failed build or release throws a DaffError carrying the last lines of its output.
 * One build per commit: when a build of the commit is already running on the app (an earlier run
 * was killed), it is followed instead; when one succeeded, its slug is released without building
 * (see `earlierBuild`, `releaseOfBuilt`).
 */
export async function shipCommit(
  delivery: Delivery,
  request: ShipRequest,
  progress: Progress,
  timing: Timing,
  observe?: ShipObserver,
): Promise<ShipResult> {
  const short = request.commit.sha.slice(0, 7);
  const earlier = await earlierBuild(delivery, request.app, request.commit.sha);
  if (earlier?.status === 'succeeded' && earlier.slugId !== null) {
    progress.info(`${short} was already built on ${request.app} (build ${earlier.id}, by an earlier run): not building it again`);
    observe?.build(earlier);
    const slugBuild = { ...earlier, slugId: earlier.slugId };
    const initial = await releaseOfBuilt(delivery, request.app, slugBuild, `Deploy ${request.commit.sha.slice(0, 8)}`, progress);
    observe?.release(initial);
    const release = await awaitRelease(delivery, request.app, initial, progress, timing, request.releaseTimeoutMs, observe?.release);
    return { build: earlier, release, buildMs: 0, origin: 'reused' };
  }
  const started = timing.now();
  let build: BuildStatus;
  if (earlier !== undefined) {
    progress.info(`build ${earlier.id} of ${short} is already running on ${request.app} (started by an earlier run): following it instead of building again`);
    build = earlier;
  } else {
    const upload = progress.step(`Uploading the source of ${short} (${Math.ceil(request.tarball.length / 1024)} KB)`);
    const url = await delivery.uploadSource(request.tarball).catch((error: unknown) => {
      upload.fail();
      throw error;
    });
    upload.done();
    const checksum = `SHA256:${createHash('sha256').update(request.tarball).digest('hex')}`;
    build = await delivery.startBuild(request.app, { url, version: request.commit.sha, checksum });
  }
  observe?.build(build);
  const building = progress.step(`Building ${short} on ${request.app} (build ${build.id})`);
  const tail = new LineTail(TAIL_LINES);
  const stream = follow(delivery, build.outputStreamUrl, tail, progress, timing);
  try {
    build = await waitFor(
      () => delivery.build(request.app, build.id),
      (b) => b.status !== 'pending',
      {
        timing,
        timeoutMs: request.buildTimeoutMs ?? 30 * 60_000,
        what: `build ${build.id} of ${request.app}`,
        hint: `The build may still finish: \`heroku builds:info ${build.id} -a ${request.app}\`. Deploy again to start a new one.`,
        idle: stream.done,
      },
    );
  } finally {
    await stream.finish(timing);
  }
  const buildMs = timing.now() - started;
  observe?.build(build);
  if (build.status === 'failed') {
    building.fail(`Build ${build.id} of ${short} failed after ${formatDuration(buildMs)}`);
    throw new DaffError(failureReport(`The build of ${short} on ${request.app} failed (build ${build.id})`, tail), {
      hint: 'Fix what the build output above says, commit, and deploy again. Nothing was released: the app still runs its previous release.',
    });
  }
  building.done(`Built ${short} in ${formatDuration(buildMs)}`);
  const initial = await releaseOf(delivery, request.app, build);
  observe?.release(initial);
  const release = await awaitRelease(delivery, request.app, initial, progress, timing, request.releaseTimeoutMs, observe?.release);
  return { build, release, buildMs, origin: earlier === undefined ? 'built' : 'followed' };
}

/**
 * Waits for a release to settle, streaming its release-phase output if it has one. Returns the
 * succeeded release; throws with the output's last lines when it failed (the previous release then
 * stays current, as Heroku guarantees). `settled` is told the release's final status either way.
 */
export async function awaitRelease(
  delivery: Delivery,
  app: string,
  initial: ReleaseStatus,
  progress: Progress,
  timing: Timing,
  timeoutMs = 60 * 60_000,
  settled?: (release: ReleaseStatus) => void,
): Promise<ReleaseStatus> {
  const phase = initial.outputStreamUrl === null ? '' : ' (release phase)';
  const step = progress.step(`Releasing v${initial.version} of ${app}${phase}`);
  const tail = new LineTail(TAIL_LINES);
  // A release phase that already failed is read too: its output says why.
  const stream = initial.status === 'pending' || initial.status === 'failed' ? follow(delivery, initial.outputStreamUrl, tail, progress, timing) : undefined;
  let release: ReleaseStatus;
  try {
    release = await waitFor(
      () => delivery.release(app, initial.id),
      (r) => r.status !== 'pending',
      {
        timing,
        timeoutMs,
        what: `release v${initial.version} of ${app}`,
        hint: `Follow it with \`heroku releases:info v${initial.version} -a ${app}\`.`,
        ...(stream === undefined ? {} : { idle: stream.done }),
      },
    );
  } finally {
    await stream?.finish(timing);
  }
  settled?.(release);
  if (release.status !== 'succeeded') {
    step.fail(`Release v${release.version} of ${app} ${release.status}`);
    throw new DaffError(failureReport(`Release v${release.version} of ${app} ${release.status}${phase}`, tail), {
      hint: `The previous release is still current. Fix the release command's error shown above, commit, and deploy again; its output: \`heroku releases:output v${release.version} -a ${app}\`.`,
    });
  }
  step.done(`Released v${release.version} of ${app}`);
  return release;
}

/** The release a successful build created (read back when the build does not name it yet). */
async function releaseOf(delivery: Delivery, app: string, build: BuildStatus): Promise<ReleaseStatus> {
  if (build.releaseId !== null) return delivery.release(app, build.releaseId);
  const found = (await delivery.releases(app, 10)).find((r) => r.slugId !== null && r.slugId === build.slugId);
  if (found === undefined) {
    throw new DaffError(`Build ${build.id} of ${app} succeeded but no release of its slug was found`, {
      hint: `Check \`heroku releases -a ${app}\`; deploying again builds and releases anew.`,
    });
  }
  return found;
}

function failureReport(title: string, tail: LineTail): string {
  const lines = tail.all.filter((l) => l.trim() !== '');
  if (lines.length === 0) return `${title}; it printed no output.`;
  return `${title}. Its last ${lines.length} line${lines.length === 1 ? '' : 's'} of output:\n${lines.map((l) => `  | ${l}`).join('\n')}`;
}
