import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BuildStatus, Delivery, ReleaseStatus } from '../../../src/providers/provider.js';
import { DaffError } from '../../../src/runtime/errors.js';
import { shipCommit } from '../../../src/workflows/deploy.js';
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
