import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { cli } from '../helpers/cli.js';
import { createApp, heroku, useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU } from '../helpers/scenario.js';

// `daffeinated init`: app.yaml from a template or from live apps, the schema modeline, .gitignore,
// the drift workflow, and never an overwrite without --force.
const repo = () => {
  const dir = mkdtempSync(join(tmpdir(), 'daff-init-'));
  mkdirSync(join(dir, '.git'));
  return dir;
};
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('daffeinated init', () => {
  const sandbox = useSandbox({ seed: 16, heroku: QUICK_HEROKU, zones: ['example.com'] });

  it('writes a valid commented template named after package.json, and git-ignores the sandbox state', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/Shop_Front' }));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/');
    const run = await cli(['init'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const yaml = read(dir, 'app.yaml');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/daffeinated/config/app.schema.json');
    expect(run.stderr).toContain('npm install --save-dev daffeinated');
    const parsed = parseConfig(yaml, 'app.yaml', {});
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.config?.name).toBe('shop-front');
    expect(Object.values(parsed.config?.environments ?? {}).map((e) => e.app).sort()).toEqual(['shop-front-production', 'shop-front-staging']);
    expect(read(dir, '.gitignore')).toBe("node_modules/\n# daffeinated's sandbox state (config values in plain text)\n/.daffeinated/\n");
    expect(run.stdout).toContain('npx daffeinated init --workflow');
    expect(existsSync(join(dir, '.github'))).toBe(false);

    // Again: refused, nothing touched; .gitignore is not extended twice.
    const again = await cli(['init'], { cwd: dir });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('app.yaml exists already: not overwritten');
    expect(again.stderr).toContain('--force');
    expect(read(dir, 'app.yaml')).toBe(yaml);
    expect(read(dir, '.gitignore').match(/\.daffeinated/g)).toHaveLength(1);
  });

  it('--workflow keeps an existing app.yaml and writes the drift workflow at the repository root', async () => {
    const dir = repo();
    const sub = join(dir, 'web');
    mkdirSync(sub);
    writeFileSync(join(sub, 'app.yaml'), 'version: 1\n');
    const run = await cli(['init', '--workflow'], { cwd: sub });
    expect(run.code, run.stderr).toBe(0);
    expect(read(sub, 'app.yaml')).toBe('version: 1\n');
    expect(run.stdout).toContain('Kept app.yaml');
    const workflow = read(dir, '.github/workflows/daffeinated-drift.yml');
    expect(workflow).toContain('npx daffeinated drift --all --config web/app.yaml --format json --report drift.md');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expression syntax.
    expect(workflow).toContain('HEROKU_API_KEY: ${{ secrets.HEROKU_API_KEY }}');
    const again = await cli(['init', '--workflow'], { cwd: sub });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('.github/workflows/daffeinated-drift.yml exists already');
  });

  it('--zone alone adds the live zone to the template, owned by production', async () => {
    const dir = repo();
    const run = await cli(['init', '--zone', 'example.com', '--sandbox', sandbox().url], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const parsed = parseConfig(read(dir, 'app.yaml'), 'app.yaml', {});
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.config?.cloudflare.zones['example.com']?.owner).toBe('production');
    expect(read(dir, 'app.yaml')).not.toContain('# cloudflare:');
  });

  it('--from-app writes what import reads, planning with no changes; its secrets become workflow secrets', async () => {
    await createApp(sandbox(), 'shop-live', { region: 'eu' });
    const dir = repo();
    // A daffeinated installed in the repository: the modeline names its schema.
    const installed = join(dir, 'node_modules', 'daffeinated', 'config');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'app.schema.json'), '{}');
    const url = sandbox().url;
    await heroku(sandbox(), 'PATCH', '/apps/shop-live/config-vars', { body: { NODE_ENV: 'production', API_TOKEN: 'tok_0a1b2c3d4e5f6a7b8c9d' } });
    const run = await cli(['init', '--from-app', 'shop-live', '--env', 'production', '--workflow', '--sandbox', url], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const yaml = read(dir, 'app.yaml');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/daffeinated/config/app.schema.json');
    expect(run.stderr).not.toContain('npm install --save-dev daffeinated');
    expect(yaml).toContain('API_TOKEN:\n        from_env: API_TOKEN');
    expect(yaml).not.toContain('tok_0a1b2c3d4e5f6a7b8c9d');
    expect(run.stderr).toContain('  API_TOKEN\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions expression syntax.
    expect(read(dir, '.github/workflows/daffeinated-drift.yml')).toContain('API_TOKEN: ${{ secrets.API_TOKEN }}');
    const plan = await cli(['plan', '--detailed-exitcode', '--sandbox', url], { cwd: dir, env: { API_TOKEN: 'tok_0a1b2c3d4e5f6a7b8c9d' } });
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0);

    // --force replaces it (here with the template).
    const forced = await cli(['init', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Wrote app.yaml (a template for a new app: edit the names).');
    expect(read(dir, 'app.yaml')).toContain('written by `daffeinated init`');
    rmSync(dir, { recursive: true, force: true });
  });
});
