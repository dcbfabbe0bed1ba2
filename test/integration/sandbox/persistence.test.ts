import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index.js';
import { createApp, declareProcessTypes, heroku, withSandbox } from '../../helpers/sandbox.js';

describe('state persistence', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'daffeinated-sandbox-'));
    file = join(dir, 'nested', 'sandbox.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart: same apps, ids, config, releases and formation', async () => {
    const before = await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'durable');
        await heroku(sandbox, 'PATCH', '/apps/durable/config-vars', { body: { KEEP: 'this' } });
        await declareProcessTypes(sandbox, 'durable', { web: 'npm start' });
        await heroku(sandbox, 'PATCH', '/apps/durable/formation/web', { body: { quantity: 1, size: 'standard-2x' } });
        return (await heroku<Record<string, unknown>>(sandbox, 'GET', '/apps/durable')).body;
      },
      { stateFile: file, seed: 77 },
    );

    await withSandbox(
      async (sandbox) => {
        expect(sandbox.seed).toBe(77);
        expect((await heroku(sandbox, 'GET', '/apps/durable')).body).toEqual(before);
        expect((await heroku(sandbox, 'GET', '/apps/durable/config-vars')).body).toEqual({ KEEP: 'this' });
        const releases = await heroku<{ version: number }[]>(sandbox, 'GET', '/apps/durable/releases', {
          headers: { Range: 'version ..' },
        });
        expect(releases.body.map((r) => r.version)).toEqual([1, 2, 3, 4]);
        expect((await heroku(sandbox, 'GET', '/apps/durable/formation/web')).body).toMatchObject({
          quantity: 1,
          size: 'Standard-2X',
        });
        // The id generator resumes where it stopped: nothing is handed out twice.
        const next = await createApp(sandbox, 'second');
        expect(next['id']).not.toBe(before['id']);
        const state = sandbox.state();
        const ids = [
          ...state.heroku.apps.flatMap((a) => [
            a.id,
            ...a.releases.map((r) => r.id),
            ...a.formation.map((f) => f.id),
            ...a.slugs.map((s) => s.id),
          ]),
          state.heroku.account.id,
        ];
        expect(new Set(ids).size).toBe(ids.length);
      },
      { stateFile: file },
    );
  });

  it('writes atomically after every mutating request and leaves no temp files', async () => {
    await withSandbox(
      async (sandbox) => {
        for (let i = 0; i < 5; i++) {
          await heroku(sandbox, 'POST', '/apps', { body: { name: `atomic-${i}` } });
          // The response is only sent once the state is on disk.
          const stored = JSON.parse(await readFile(file, 'utf8')) as { heroku: { apps: { name: string }[] } };
          expect(stored.heroku.apps.map((a) => a.name)).toContain(`atomic-${i}`);
        }
        expect(await readdir(join(dir, 'nested'))).toEqual(['sandbox.json']);
      },
      { stateFile: file },
    );
  });

  it('persists a reset and keeps seeded zones, adding new ones on restart', async () => {
    await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'to-forget');
        await sandbox.reset();
        const stored = JSON.parse(await readFile(file, 'utf8')) as {
          heroku: { apps: unknown[] };
          cloudflare: { zones: { name: string }[] };
        };
        expect(stored.heroku.apps).toEqual([]);
        expect(stored.cloudflare.zones.map((z) => z.name)).toEqual(['example.com']);
      },
      { stateFile: file, zones: ['example.com'] },
    );
    await withSandbox(
      async (sandbox) => {
        const zones = sandbox.state().cloudflare.zones;
        expect(zones.map((z) => z.name)).toEqual(['example.com', 'example.org']);
        expect(zones[0]?.id).toMatch(/^[0-9a-f]{32}$/);
      },
      { stateFile: file, zones: ['example.com', 'Example.ORG.'] },
    );
  });

  it('refuses to start on a file that is not a sandbox state, and leaves it alone', async () => {
    await writeFile(join(dir, 'broken.json'), '{"heroku": ');
    await expect(startSandbox({ stateFile: join(dir, 'broken.json') })).rejects.toThrow(/is not valid JSON/);
    await writeFile(join(dir, 'other.json'), JSON.stringify({ formatVersion: 99 }));
    await expect(startSandbox({ stateFile: join(dir, 'other.json') })).rejects.toThrow(
      /is not a format-1 sandbox state/,
    );
    expect(await readFile(join(dir, 'other.json'), 'utf8')).toBe('{"formatVersion":99}');
  });

  it('keeps its default state directory private and out of git: it holds config vars in plain text', async () => {
    const fresh = join(dir, 'fresh', '.daffeinated', 'sandbox.json');
    // The in-process sandbox's directory exists before the first write, made with the usual 0755.
    const existing = join(dir, 'existing', '.daffeinated');
    await mkdir(existing, { recursive: true, mode: 0o755 });
    for (const stateFile of [fresh, join(existing, 'sandbox.json')]) {
      await withSandbox(
        async (sandbox) => {
          await createApp(sandbox, 'secretive');
          await heroku(sandbox, 'PATCH', '/apps/secretive/config-vars', {
            body: { STRIPE_KEY: 'sk_live_from_env_value' },
          });
          await sandbox.flush();
        },
        { stateFile },
      );
      const state = join(stateFile, '..');
      expect((await stat(state)).mode & 0o777, state).toBe(0o700);
      expect((await stat(stateFile)).mode & 0o777, stateFile).toBe(0o600);
      expect((await readFile(join(state, '.gitignore'), 'utf8')).split('\n')).toContain('*');
    }
    // A .gitignore of the user's is left as it is; a state file elsewhere is only written 0600.
    await writeFile(join(existing, '.gitignore'), 'mine\n');
    await withSandbox(async (sandbox) => sandbox.flush(), { stateFile: join(existing, 'sandbox.json') });
    expect(await readFile(join(existing, '.gitignore'), 'utf8')).toBe('mine\n');
    await withSandbox(async (sandbox) => sandbox.flush(), { stateFile: file });
    expect(await readdir(join(dir, 'nested'))).toEqual(['sandbox.json']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
