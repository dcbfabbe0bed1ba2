import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readTarGz } from '../../../src/sandbox/heroku/runner/tar.js';
import { type Json, ManualClock, NODE_APP, releases, startBuild, tarball, upload } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

describe('sources, builds and slugs', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({ seed: 51, clock: clock.now, heroku: { buildMs: 4000, releasePhaseMs: 0 } });

  async function build(app: string, id: unknown): Promise<Json> {
    return (await heroku<Json>(sandbox(), 'GET', `/apps/${app}/builds/${id as string}`)).body;
  }

  it('issues upload URLs on the sandbox itself: PUT without credentials, GET returns the bytes', async () => {
    const source = await heroku<{ source_blob: { get_url: string; put_url: string } }>(sandbox(), 'POST', '/sources');
    expect(source.status).toBe(201);
    const { put_url, get_url } = source.body.source_blob;
    expect(put_url.startsWith(`${sandbox().url}/__sandbox/blobs/`)).toBe(true);
    expect((await fetch(get_url)).status).toBe(404);
    const data = tarball({ Procfile: 'web: npm start\n' });
    const put = await fetch(put_url, { method: 'PUT', body: new Uint8Array(data) });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    expect(Buffer.from(await (await fetch(get_url)).arrayBuffer())).toEqual(data);
    const guessed = `${sandbox().url}/__sandbox/blobs/${'0'.repeat(32)}`;
    expect((await fetch(guessed, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect((await fetch(guessed)).status).toBe(403);
    expect((await fetch(put_url, { method: 'POST' })).status).toBe(405);
    await createApp(sandbox(), 'src-app');
    expect((await heroku(sandbox(), 'POST', '/apps/src-app/sources')).status).toBe(201);
  });

  it('builds a Procfile app: pending, then a slug, a "Deploy" release and new formation types', async () => {
    await createApp(sandbox(), 'procfile-app');
    const started = await startBuild(sandbox(), 'procfile-app', {
      ...NODE_APP,
      Procfile: 'web: node server.js\nworker: node worker.js\n# comment\nrelease:\n',
    });
    expect(started).toMatchObject({
      status: 'pending',
      slug: null,
      release: null,
      stack: 'heroku-24',
      generation: 'cedar',
    });
    expect(started['output_stream_url']).toMatch(new RegExp(`^${sandbox().url}/__sandbox/streams/[0-9a-f]{32}$`));
    clock.advance(3999);
    expect((await build('procfile-app', started['id']))['status']).toBe('pending');
    clock.advance(1);
    const done = await build('procfile-app', started['id']);
    expect(done['status']).toBe('succeeded');
    const [last] = (await releases(sandbox(), 'procfile-app')).slice(-1);
    expect(last).toMatchObject({
      id: (done['release'] as Json)['id'],
      description: 'Deploy a1b2c3d4',
      status: 'succeeded',
      current: true,
    });
    const formation = await heroku<Json[]>(sandbox(), 'GET', '/apps/procfile-app/formation', {
      headers: { Range: 'type ..' },
    });
    expect(formation.body.map((f) => [f['type'], f['quantity'], f['command']])).toEqual([
      ['web', 1, 'node server.js'],
      ['worker', 0, 'node worker.js'],
    ]);
    const slug = await heroku<Json>(
      sandbox(),
      'GET',
      `/apps/procfile-app/slugs/${(done['slug'] as Json)['id'] as string}`,
    );
    expect(slug.body).toMatchObject({
      process_types: { web: 'node server.js', worker: 'node worker.js' },
      commit: 'a1b2c3d4e5f6',
      buildpack_provided_description: 'Node.js',
      stack: { name: 'heroku-24' },
    });
    expect(slug.body['checksum']).toMatch(/^SHA256:[0-9a-f]{64}$/);
    const archive = await fetch((slug.body['blob'] as { url: string }).url);
    expect([...readTarGz(Buffer.from(await archive.arrayBuffer())).keys()].sort()).toEqual([
      'Procfile',
      'package.json',
      'server.js',
    ]);
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/procfile-app')).body['buildpack_provided_description']).toBe(
      'Node.js',
    );
  });

  it('defaults to web: npm start from package.json, strips a single top-level directory, else declares nothing', async () => {
    await createApp(sandbox(), 'npm-app');
    const nested = await startBuild(sandbox(), 'npm-app', {
      'demo-main/package.json': NODE_APP['package.json'],
      'demo-main/server.js': 'x',
    });
    clock.advance(4000);
    const slugId = ((await build('npm-app', nested['id']))['slug'] as Json)['id'] as string;
    expect((await heroku<Json>(sandbox(), 'GET', `/apps/npm-app/slugs/${slugId}`)).body['process_types']).toEqual({
      web: 'npm start',
    });

    await createApp(sandbox(), 'static-app');
    const plain = await startBuild(sandbox(), 'static-app', { 'index.html': '<h1>hi</h1>' }, null);
    clock.advance(4000);
    const finished = await build('static-app', plain['id']);
    expect(finished['status']).toBe('succeeded');
    const slug = await heroku<Json>(
      sandbox(),
      'GET',
      `/apps/static-app/slugs/${(finished['slug'] as Json)['id'] as string}`,
    );
    expect(slug.body).toMatchObject({ process_types: {}, buildpack_provided_description: null, commit: null });
    expect((await releases(sandbox(), 'static-app')).at(-1)?.['description']).toBe('Deploy');
    expect((await heroku(sandbox(), 'GET', '/apps/static-app/formation')).body).toEqual([]);
  });

  it('fails builds whose source is unusable, and says why in the output', async () => {
    await createApp(sandbox(), 'bad-builds');
    const notGzip = await startBuild(sandbox(), 'bad-builds', Buffer.from('just some text'));
    const outsider = await heroku<Json>(sandbox(), 'POST', '/apps/bad-builds/builds', {
      body: { source_blob: { url: 'https://github.com/acme/app/archive/main.tar.gz' } },
    });
    const url = await upload(sandbox(), tarball(NODE_APP));
    const mismatch = await heroku<Json>(sandbox(), 'POST', '/apps/bad-builds/builds', {
      body: { source_blob: { url, checksum: `SHA256:${'0'.repeat(64)}` } },
    });
    const empty = await heroku<{ source_blob: { get_url: string } }>(sandbox(), 'POST', '/sources');
    const notUploaded = await heroku<Json>(sandbox(), 'POST', '/apps/bad-builds/builds', {
      body: { source_blob: { url: empty.body.source_blob.get_url } },
    });
    const badJson = await startBuild(sandbox(), 'bad-builds', { 'package.json': '{ nope' });
    clock.advance(4000);
    const expectations: [Json, string][] = [
      [notGzip, 'The source is not a valid .tar.gz archive: not a gzip file'],
      [outsider.body, 'Unable to fetch source from https://github.com/acme/app/archive/main.tar.gz'],
      [mismatch.body, 'Checksum mismatch'],
      [notUploaded.body, 'nothing was uploaded to its put_url'],
      [badJson, 'Unable to parse package.json'],
    ];
    for (const [started, reason] of expectations) {
      const finished = await build('bad-builds', started['id']);
      expect(finished).toMatchObject({ status: 'failed', slug: null, release: null });
      const output = await (await fetch(finished['output_stream_url'] as string)).text();
      expect(output).toContain(reason);
      expect(output).toContain(' !     Push failed');
    }
    expect(await releases(sandbox(), 'bad-builds')).toHaveLength(2);
  });

  it('validates the request body with 422', async () => {
    await createApp(sandbox(), 'strict-builds');
    for (const body of [
      {},
      { source_blob: {} },
      { source_blob: { url: 'x', checksum: 'MD5:abc' } },
      { source_blob: { url: 'x' }, buildpacks: [{ url: 'ftp://nope' }] },
    ]) {
      expect(
        (await heroku(sandbox(), 'POST', '/apps/strict-builds/builds', { body })).status,
        JSON.stringify(body),
      ).toBe(422);
    }
    expect(
      (await heroku(sandbox(), 'GET', '/apps/strict-builds/builds/01234567-89ab-4def-8123-456789abcdef')).status,
    ).toBe(404);
    expect(
      (await heroku(sandbox(), 'GET', '/apps/strict-builds/slugs/01234567-89ab-4def-8123-456789abcdef')).status,
    ).toBe(404);
  });

  it('streams the output line by line as the build progresses, and ends with the build', async () => {
    await createApp(sandbox(), 'stream-app');
    await heroku(sandbox(), 'PUT', '/apps/stream-app/buildpack-installations', {
      body: { updates: [{ buildpack: 'heroku/nodejs' }] },
    });
    const started = await startBuild(sandbox(), 'stream-app', { ...NODE_APP, Procfile: 'web: npm start\n' });
    expect(started['buildpacks']).toEqual([{ name: 'heroku/nodejs', url: 'heroku/nodejs' }]);
    const res = await fetch(started['output_stream_url'] as string);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('-----> Building on the Heroku-24 stack\n');
    clock.advance(4000);
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('-----> Using buildpacks:\n       1. heroku/nodejs\n');
    expect(rest).toContain('       Procfile declares types -> web\n');
    expect(rest).toMatch(
      / {7}Released v3\n {7}https:\/\/stream-app-[0-9a-f]{12}\.herokuapp\.com\/ deployed to Heroku\n/,
    );
    const list = await heroku<Json[]>(sandbox(), 'GET', '/apps/stream-app/builds');
    expect(list.body.map((b) => b['status'])).toEqual(['succeeded']);
  });

  it('fails the next build when the admin route arms it', async () => {
    await createApp(sandbox(), 'armed');
    const armed = await admin(sandbox(), 'POST', '/apps/armed/fail-next', {
      kind: 'build',
      message: 'npm ERR! missing script: build',
    });
    expect(armed.body).toEqual({ app: 'armed', fail_next: { build: 'npm ERR! missing script: build' } });
    const failed = await startBuild(sandbox(), 'armed', NODE_APP);
    const ok = await startBuild(sandbox(), 'armed', NODE_APP);
    clock.advance(4000);
    expect((await build('armed', failed['id']))['status']).toBe('failed');
    expect(await (await fetch(failed['output_stream_url'] as string)).text()).toContain(
      ' !     npm ERR! missing script: build\n',
    );
    expect((await build('armed', ok['id']))['status']).toBe('succeeded');
  });
});
