import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, declareProcessTypes, heroku, withSandbox } from '../../helpers/sandbox.js';

describe('concurrent requests', () => {
  it('applies 50 parallel config PATCHes completely, one release each, and persists the same state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'daffeinated-sandbox-'));
    const file = join(dir, 'sandbox.json');
    try {
      await withSandbox(
        async (sandbox) => {
          await createApp(sandbox, 'busy');
          const results = await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              heroku(sandbox, 'PATCH', '/apps/busy/config-vars', { body: { [`KEY_${i}`]: `value-${i}` } }),
            ),
          );
          expect(results.every((r) => r.status === 200)).toBe(true);
          const vars = (await heroku<Record<string, string>>(sandbox, 'GET', '/apps/busy/config-vars')).body;
          expect(Object.keys(vars)).toHaveLength(50);
          for (let i = 0; i < 50; i++) expect(vars[`KEY_${i}`]).toBe(`value-${i}`);

          const releases = (
            await heroku<{ version: number; description: string }[]>(sandbox, 'GET', '/apps/busy/releases', {
              headers: { Range: 'version ..' },
            })
          ).body;
          expect(releases.map((r) => r.version)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
          expect(new Set(releases.slice(2).map((r) => r.description)).size).toBe(50);

          await sandbox.flush();
          expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(sandbox.state());
        },
        { stateFile: file },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets exactly one of 20 parallel creates of the same name win', async () => {
    await withSandbox(async (sandbox) => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => heroku(sandbox, 'POST', '/apps', { body: { name: 'contested' } })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 422)).toHaveLength(19);
      expect(sandbox.state().heroku.apps).toHaveLength(1);
    });
  });

  it('serialises parallel relative scaling', async () => {
    await withSandbox(async (sandbox) => {
      await createApp(sandbox, 'scaler');
      await declareProcessTypes(sandbox, 'scaler', { web: 'npm start' });
      await heroku(sandbox, 'PATCH', '/apps/scaler/formation/web', { body: { size: 'standard-1x', quantity: 1 } });
      await Promise.all(
        Array.from({ length: 30 }, () =>
          heroku(sandbox, 'PATCH', '/apps/scaler/formation', { body: { updates: [{ type: 'web', quantity: '+1' }] } }),
        ),
      );
      expect((await heroku<{ quantity: number }>(sandbox, 'GET', '/apps/scaler/formation/web')).body.quantity).toBe(31);
    });
  });
});
