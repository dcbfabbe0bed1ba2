import { describe, expect, it } from 'vitest';
import { TINY_APP, testProcesses, viaRouter } from '../../helpers/apps.js';
import { deploy, INSTANT, type Json, readStream } from '../../helpers/heroku.js';
import { createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

/**
 * Dev Center "Release Phase" (https://devcenter.heroku.com/articles/release-phase): with processes,
 * the sandbox runs the Procfile `release` command for real; its exit status decides the release.
 */
const MIGRATE_JS = `console.log('migrating with ' + (process.env.DATABASE_URL || 'no database') + ' on ' + process.env.DYNO);
process.exit(Number(process.env.MIGRATE_EXIT || 0));
`;
const WITH_RELEASE = { ...TINY_APP, Procfile: 'web: node server.js\nrelease: node migrate.js\n', 'migrate.js': MIGRATE_JS };

async function settled(sandbox: Parameters<typeof heroku>[0], app: string, version: number): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const release = (await heroku<Json>(sandbox, 'GET', `/apps/${app}/releases/${version}`)).body;
    if (release['status'] !== 'pending') return release;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`release v${version} of ${app} is still pending`);
}

describe('the release phase run as a real process', () => {
  const sandbox = useSandbox({ seed: 17, heroku: INSTANT, processes: testProcesses() });

  it('runs the release command with the config vars; exit 0 makes the release current, and its output is the stream', async () => {
    await createApp(sandbox(), 'migrate-ok');
    await heroku(sandbox(), 'PATCH', '/apps/migrate-ok/config-vars', { body: { DATABASE_URL: 'postgres://db.example/1' } });
    await deploy(sandbox(), 'migrate-ok', WITH_RELEASE);
    const release = await settled(sandbox(), 'migrate-ok', 4);
    expect(release).toMatchObject({ status: 'succeeded', current: true });
    const output = await readStream(release['output_stream_url'] as string);
    expect(output).toBe(
      'Running release command for v4: node migrate.js\nmigrating with postgres://db.example/1 on release.1\nRelease command finished with exit status 0.\n',
    );
    const host = new URL((await heroku<Json>(sandbox(), 'GET', '/apps/migrate-ok')).body['web_url'] as string).host;
    expect((await viaRouter(sandbox(), host, '/health')).status).toBe(200);
  });

  it('a release command exiting non-zero fails the release and the previous release stays current', async () => {
    await createApp(sandbox(), 'migrate-bad');
    await deploy(sandbox(), 'migrate-bad', WITH_RELEASE);
    expect((await settled(sandbox(), 'migrate-bad', 3))['status']).toBe('succeeded');
    await heroku(sandbox(), 'PATCH', '/apps/migrate-bad/config-vars', { body: { MIGRATE_EXIT: '2', GREETING: 'new' } });
    const failed = await settled(sandbox(), 'migrate-bad', 4);
    expect(failed).toMatchObject({ status: 'failed', current: false, eligible_for_rollback: false });
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/migrate-bad/releases/3')).body['current']).toBe(true);
    const output = await readStream(failed['output_stream_url'] as string);
    expect(output).toContain('migrating with no database on release.1\n');
    expect(output).toContain('Release command failed: the release command exited with status 2\n');
    // The web dyno still runs v3 (no GREETING).
    const host = new URL((await heroku<Json>(sandbox(), 'GET', '/apps/migrate-bad')).body['web_url'] as string).host;
    expect((await viaRouter(sandbox(), host, '/')).body).toBe('hello from web.1 (no greeting)\n');
  });
});
