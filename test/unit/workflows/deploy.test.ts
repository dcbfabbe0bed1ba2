import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BuildStatus, Delivery, ReleaseStatus } from '../../../src/providers/provider.js';
import { DaffError, StreamUnavailableError } from '../../../src/runtime/errors.js';
import { awaitRelease, shipCommit } from '../../../src/workflows/deploy.js';
import type { Progress, Timing } from '../../../src/workflows/progress.js';

const timing: Timing = { now: () => 0, sleep: async () => {} };

function recorder(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (m) => {
      lines.push(`step ${m}`);
      return { update: () => {}, done: (d) => lines.push(`done ${d ?? m}`), fail: (d) => lines.push(`fail ${d ?? m}`) };
    },
    output: (l) => lines.push(`| ${l}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
  };
}

const build = (status: BuildStatus['status'], extra: Partial<BuildStatus> = {}): BuildStatus => ({
  id: 'b1',
  status,
  outputStreamUrl: 'https://streams.example/b1',
  releaseId: null,
  slugId: null,
  ...extra,
});
const release = (extra: Partial<ReleaseStatus> = {}): ReleaseStatus => ({
  id: 'r5',
  version: 5,
  status: 'succeeded',
  current: true,
  slugId: 'slug-1',
  description: 'Deploy abc',
  outputStreamUrl: null,
  ...extra,
});

const tarball = new TextEncoder().encode('tar.gz bytes');
const commit = { sha: 'abcdef0123456789abcdef0123456789abcdef01', subject: 'ship it' };

function fakeDelivery(parts: Partial<Delivery>): Delivery & { started: unknown[] } {
  const started: unknown[] = [];
  return {
    started,
    buildsOf: async () => [],
    uploadSource: async () => 'https://uploads.example/get/1',
    startBuild: async (_app: string, source: unknown) => {
      started.push(source);
      return build('pending');
    },
    followOutput: async (_url: string, onLine: (l: string) => void) => {
      for (const line of ['-----> Building', ' !     Push rejected: no Procfile']) onLine(line);
    },
    ...parts,
  } as Delivery & { started: unknown[] };
}

describe('shipCommit', () => {
  it('builds the tarball with the commit as version and its SHA-256, streams output, and returns the release', async () => {
    const progress = recorder();
    const d = fakeDelivery({
      build: async () => build('succeeded', { slugId: 'slug-1' }),
      releases: async () => [release()],
      release: async () => release(),
    });
    const shipped = await shipCommit(d, { app: 'shop', tarball, commit }, progress, timing);
    expect(d.started).toEqual([
      { url: 'https://uploads.example/get/1', version: commit.sha, checksum: `SHA256:${createHash('sha256').update(tarball).digest('hex')}` },
    ]);
    expect(shipped.release.version).toBe(5);
    expect(progress.lines).toContain('| -----> Building');
    expect(progress.lines).toContain('done Released v5 of shop');
  });

  it('a failed build throws with its last output lines and what to do', async () => {
    const d = fakeDelivery({ build: async () => build('failed') });
    const error = await shipCommit(d, { app: 'shop', tarball, commit }, recorder(), timing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaffError);
    expect((error as DaffError).message).toBe(
      'The build of abcdef0 on shop failed (build b1). Its last 2 lines of output:\n  | -----> Building\n  |  !     Push rejected: no Procfile',
    );
    expect((error as DaffError).hint).toContain('Nothing was released');
  });

  it('a broken output stream is a warning, not a failure', async () => {
    const progress = recorder();
    const d = fakeDelivery({
      followOutput: async () => {
        throw new Error('socket hang up');
      },
      build: async () => build('succeeded', { releaseId: 'r5' }),
      release: async () => release(),
    });
    await shipCommit(d, { app: 'shop', tarball, commit }, progress, timing);
    expect(progress.lines).toContain('warn could not read the output stream: socket hang up');
  });

  it('a release that never appears is an error naming the build', async () => {
    const d = fakeDelivery({ build: async () => build('succeeded', { slugId: 'slug-9' }), releases: async () => [release()] });
    await expect(shipCommit(d, { app: 'shop', tarball, commit }, recorder(), timing)).rejects.toThrow('Build b1 of shop succeeded but no release of its slug was found');
  });

  it('a build of the commit still running (an earlier run was killed) is followed, not started again', async () => {
    const progress = recorder();
    const d = fakeDelivery({
      buildsOf: async () => [build('failed', { id: 'b0' }), build('pending')],
      uploadSource: async () => {
        throw new Error('must not upload');
      },
      build: async () => build('succeeded', { releaseId: 'r5' }),
      release: async () => release(),
    });
    const shipped = await shipCommit(d, { app: 'shop', tarball, commit }, progress, timing);
    expect(d.started).toEqual([]);
    expect([shipped.origin, shipped.build.id, shipped.release.version]).toEqual(['followed', 'b1', 5]);
    expect(progress.lines).toContain('info build b1 of abcdef0 is already running on shop (started by an earlier run): following it instead of building again');
  });

  it('a succeeded build of the commit is reused: its release when current, else its slug released again', async () => {
    const built = build('succeeded', { slugId: 'slug-1', releaseId: 'r5' });
    const live = fakeDelivery({ buildsOf: async () => [built], releases: async () => [release()], release: async () => release() });
    const shipped = await shipCommit(live, { app: 'shop', tarball, commit }, recorder(), timing);
    expect([live.started, shipped.origin, shipped.release.version, shipped.buildMs]).toEqual([[], 'reused', 5, 0]);

    const released: string[] = [];
    const failedRelease = fakeDelivery({
      buildsOf: async () => [built],
      releases: async () => [release({ version: 6, status: 'failed', current: false }), release({ version: 4, slugId: 'slug-0' })],
      releaseSlug: async (_app, slug, description) => {
        released.push(`${slug} ${description}`);
        return release({ id: 'r7', version: 7, status: 'pending' });
      },
      release: async () => release({ id: 'r7', version: 7 }),
    });
    const again = await shipCommit(failedRelease, { app: 'shop', tarball, commit }, recorder(), timing);
    expect([failedRelease.started, released, again.release.version]).toEqual([[], ['slug-1 Deploy abcdef01'], 7]);
  });

  it('a failed build of the commit is built again', async () => {
    const d = fakeDelivery({
      buildsOf: async () => [build('failed', { id: 'b0' })],
      build: async () => build('succeeded', { releaseId: 'r5' }),
      release: async () => release(),
    });
    const shipped = await shipCommit(d, { app: 'shop', tarball, commit }, recorder(), timing);
    expect([d.started.length, shipped.origin]).toEqual([1, 'built']);
  });
});

/** A clock that moves only when the code sleeps, with every sleep recorded. */
function virtualTiming(): Timing & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return;
      slept.push(ms);
      now += ms;
    },
  };
}

// heroku/cli pipelines/promote.ts and releases/output.ts: a release's output_stream_url answers
// 404 until the release command starts; the CLI retries it (up to 100 times, 1 s apart).
describe('awaitRelease and the release output stream', () => {
  const pending = release({ status: 'pending', current: false, outputStreamUrl: 'https://streams.example/r5' });

  it('retries a stream that answers 404 until it opens, then streams the release output', async () => {
    const progress = recorder();
    const clock = virtualTiming();
    let attempts = 0;
    let status: ReleaseStatus['status'] = 'pending';
    const d = fakeDelivery({
      followOutput: async (_url, onLine) => {
        attempts += 1;
        if (attempts <= 3) throw new StreamUnavailableError(404, 'https://streams.example');
        onLine('Running release command for v5: npm run migrate');
        onLine('migrated 3 tables');
        status = 'succeeded';
      },
      release: async () => release({ status }),
    });
    const done = await awaitRelease(d, 'shop', pending, progress, clock);
    expect(done.status).toBe('succeeded');
    expect(attempts).toBe(4);
    expect(progress.lines).toContain('| migrated 3 tables');
    expect(progress.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('a failed release phase fails with the tail of its output, read once the stream exists', async () => {
    let attempts = 0;
    let status: ReleaseStatus['status'] = 'pending';
    const d = fakeDelivery({
      followOutput: async (_url, onLine) => {
        attempts += 1;
        if (attempts === 1) throw new StreamUnavailableError(404, 'https://streams.example');
        onLine('Running release command for v5: npm run migrate');
        onLine('Error: relation "users" already exists');
        status = 'failed';
      },
      release: async () => release({ status, current: false }),
    });
    const error = await awaitRelease(d, 'shop', pending, recorder(), virtualTiming()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaffError);
    expect((error as DaffError).message).toBe(
      'Release v5 of shop failed (release phase). Its last 2 lines of output:\n  | Running release command for v5: npm run migrate\n  | Error: relation "users" already exists',
    );
    expect((error as DaffError).hint).toContain('The previous release is still current');
  });

  it('gives the stream up after about 100 s of errors with a warning, and still judges the release by its status', async () => {
    const progress = recorder();
    const clock = virtualTiming();
    let attempts = 0;
    const d = fakeDelivery({
      followOutput: async () => {
        attempts += 1;
        throw new StreamUnavailableError(404, 'https://streams.example');
      },
      // The release stays pending while the stream is retried, then succeeds.
      release: async () => release({ status: clock.now() < 150_000 ? 'pending' : 'succeeded' }),
    });
    const done = await awaitRelease(d, 'shop', pending, progress, clock);
    expect(done.status).toBe('succeeded');
    // The virtual clock also moves for the release polls, so fewer than 100 attempts fit in 100 s.
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThanOrEqual(100);
    const warnings = progress.lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warn could not read the output stream: The output stream at https:\/\/streams\.example answered HTTP 404 \(retried for 1 min [34]\d s\)$/,
    );
  });

  it('reads the output of a release that already failed, for the failure report', async () => {
    const d = fakeDelivery({
      followOutput: async (_url, onLine) => onLine('migration failed: exit 1'),
      release: async () => release({ status: 'failed', current: false }),
    });
    const failed = release({ status: 'failed', current: false, outputStreamUrl: 'https://streams.example/r5' });
    await expect(awaitRelease(d, 'shop', failed, recorder(), virtualTiming())).rejects.toThrow('| migration failed: exit 1');
  });
});
