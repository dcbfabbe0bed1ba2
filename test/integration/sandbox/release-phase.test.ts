import { describe, expect, it } from 'vitest';
import { type Json, ManualClock, NODE_APP, releases, startBuild } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

const WITH_RELEASE = { ...NODE_APP, Procfile: 'web: npm start\nrelease: npm run migrate\nworker: node w.js\n' };

describe('rollbacks, slug deploys and the release phase', () => {
  const clock = new ManualClock();
  const sandbox = useSandbox({ seed: 61, clock: clock.now, heroku: { buildMs: 1000, releaseStartMs: 1000, releasePhaseMs: 2000 } });

  async function built(app: string, files: Record<string, string>, version: string): Promise<Json> {
    const build = await startBuild(sandbox(), app, files, version);
    clock.advance(1000);
    return (await heroku<Json>(sandbox(), 'GET', `/apps/${app}/builds/${build['id'] as string}`)).body;
  }

  async function release(app: string, version: number): Promise<Json> {
    return (await heroku<Json>(sandbox(), 'GET', `/apps/${app}/releases/${version}`)).body;
  }

  it('holds a release with a Procfile release command pending, streams its output, then makes it current', async () => {
    await createApp(sandbox(), 'phase-app');
    const build = await built('phase-app', WITH_RELEASE, 'feedface0001');
    const pending = await release('phase-app', 3);
    expect(pending).toMatchObject({ id: (build['release'] as Json)['id'], status: 'pending', current: false });
    expect(pending['output_stream_url']).toMatch(new RegExp(`^${sandbox().url}/__sandbox/streams/[0-9a-f]{32}$`));
    // Not deployed yet: no formation, and the build output warns about the release command.
    expect((await heroku(sandbox(), 'GET', '/apps/phase-app/formation')).body).toEqual([]);
    const buildOutput = await (await fetch(build['output_stream_url'] as string)).text();
    expect(buildOutput).toContain(
      'Release command declared: this new release will not be available until the command succeeds.',
    );
    // Like Heroku's, the stream does not exist until the release command starts (heroku/cli retries the 404).
    const early = await fetch(pending['output_stream_url'] as string);
    expect([early.status, await early.text()]).toEqual([404, expect.stringContaining('NoSuchKey')]);
    clock.advance(1000);
    const stream = fetch(pending['output_stream_url'] as string).then((r) => r.text());
    clock.advance(2000);
    expect(await stream).toBe(
      'Running release command for v3: npm run migrate\nRelease command finished with exit status 0.\n',
    );
    expect(await release('phase-app', 3)).toMatchObject({
      status: 'succeeded',
      current: true,
      eligible_for_rollback: true,
    });
    const formation = await heroku<Json[]>(sandbox(), 'GET', '/apps/phase-app/formation', {
      headers: { Range: 'type ..' },
    });
    expect(formation.body.map((f) => f['type'])).toEqual(['web', 'worker']);
  });

  it('runs the release phase for config changes too, and a failed phase leaves the previous release current', async () => {
    await createApp(sandbox(), 'phase-fail');
    await built('phase-fail', WITH_RELEASE, 'feedface0002');
    clock.advance(3000);
    await admin(sandbox(), 'POST', '/apps/phase-fail/fail-next', { kind: 'release-phase' });
    const patched = await heroku(sandbox(), 'PATCH', '/apps/phase-fail/config-vars', { body: { FEATURE: 'on' } });
    expect(patched.status).toBe(200);
    const v4 = await release('phase-fail', 4);
    expect(v4).toMatchObject({ status: 'pending', description: 'Set FEATURE config vars' });
    clock.advance(3000);
    expect(await release('phase-fail', 4)).toMatchObject({
      status: 'failed',
      current: false,
      eligible_for_rollback: false,
    });
    expect((await release('phase-fail', 3))['current']).toBe(true);
    const output = await (await fetch(v4['output_stream_url'] as string)).text();
    expect(output).toContain(
      'Release command failed: The release command exited with status 1 (injected by the sandbox).',
    );
    // The next one succeeds again (the failure was spent).
    await heroku(sandbox(), 'PATCH', '/apps/phase-fail/config-vars', { body: { FEATURE: 'off' } });
    clock.advance(3000);
    expect((await release('phase-fail', 5))['status']).toBe('succeeded');
  });

  it('rolls back to an older release: its slug and config vars, add-on vars kept current', async () => {
    await createApp(sandbox(), 'roll-app');
    const first = await built('roll-app', NODE_APP, 'aaaaaaaa1111');
    await heroku(sandbox(), 'PATCH', '/apps/roll-app/config-vars', { body: { MODE: 'old' } });
    const v4 = await release('roll-app', 4);
    await built('roll-app', { ...NODE_APP, Procfile: 'web: npm start\nclock: node clock.js\n' }, 'bbbbbbbb2222');
    await heroku(sandbox(), 'PATCH', '/apps/roll-app/config-vars', { body: { MODE: 'new', EXTRA: '1' } });
    await admin(sandbox(), 'POST', '/apps/roll-app/addons', { plan: 'heroku-redis:mini' });
    const redis = (await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/roll-app/config-vars')).body[
      'REDIS_URL'
    ];

    const rolled = await heroku<Json>(sandbox(), 'POST', '/apps/roll-app/releases', { body: { release: v4['id'] } });
    expect(rolled.status).toBe(201);
    expect(rolled.body).toMatchObject({
      version: 8,
      description: 'Rollback to v4',
      slug: first['slug'],
      status: 'succeeded',
      current: true,
    });
    expect((await heroku(sandbox(), 'GET', '/apps/roll-app/config-vars')).body).toEqual({
      MODE: 'old',
      REDIS_URL: redis,
    });
    const types = (await heroku<Json[]>(sandbox(), 'GET', '/apps/roll-app/formation')).body.map((f) => f['type']);
    expect(types).toEqual(['web']);

    for (const [body, status] of [
      [{ release: '4' }, 422],
      [{ release: '01234567-89ab-4def-8123-456789abcdef' }, 404],
      [{}, 422],
      [{ oci_image: 'abc' }, 422],
    ] as const) {
      expect((await heroku(sandbox(), 'POST', '/apps/roll-app/releases', { body })).status, JSON.stringify(body)).toBe(
        status,
      );
    }
  });

  it('refuses to roll back to a failed release', async () => {
    await createApp(sandbox(), 'roll-failed');
    // Armed before the build: the failure is decided when the release phase starts.
    await admin(sandbox(), 'POST', '/apps/roll-failed/fail-next', { kind: 'release-phase' });
    await built('roll-failed', WITH_RELEASE, 'cccccccc3333');
    clock.advance(3000);
    const failed = await release('roll-failed', 3);
    expect(failed['status']).toBe('failed');
    const res = await heroku<Json>(sandbox(), 'POST', '/apps/roll-failed/releases', {
      body: { release: failed['id'] },
    });
    expect(res).toMatchObject({ status: 422, body: { message: 'Release v3 is not eligible for rollback.' } });
  });

  it('deploys a slug by id, including one built by another app', async () => {
    await createApp(sandbox(), 'slug-source');
    await createApp(sandbox(), 'slug-target');
    const build = await built('slug-source', NODE_APP, 'dddddddd4444');
    const slugId = (build['slug'] as Json)['id'] as string;
    const res = await heroku<Json>(sandbox(), 'POST', '/apps/slug-target/releases', {
      body: { slug: slugId, description: 'Ship it' },
    });
    expect(res).toMatchObject({
      status: 201,
      body: { description: 'Ship it', slug: { id: slugId }, status: 'succeeded' },
    });
    expect((await heroku<Json>(sandbox(), 'GET', `/apps/slug-target/slugs/${slugId}`)).body['commit']).toBe(
      'dddddddd4444',
    );
    const plain = await heroku<Json>(sandbox(), 'POST', '/apps/slug-target/releases', { body: { slug: slugId } });
    expect(plain.body['description']).toBe('Deploy dddddddd');
    expect(
      (
        await heroku(sandbox(), 'POST', '/apps/slug-target/releases', {
          body: { slug: '01234567-89ab-4def-8123-456789abcdef' },
        })
      ).status,
    ).toBe(404);
    expect((await releases(sandbox(), 'slug-target')).map((r) => r['version'])).toEqual([1, 2, 3, 4]);
  });
});
