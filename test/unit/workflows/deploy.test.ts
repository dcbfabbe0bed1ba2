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
});
