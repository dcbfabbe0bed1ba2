import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import { schemaErrors } from '../helpers/json-schema.js';

// The package as a user gets it: packed, installed into a fresh repository of its own app (from
// the npm cache, offline), then `npx daffeinated init`, `plan --sandbox` and `deploy staging
// --sandbox --yes` there. HOME, the cache and TMPDIR point at directories of this test: nothing may
// be written outside the repository but daffeinated's cache.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const SERVER = `require('node:http')
  .createServer((req, res) => res.end(req.url === '/health' ? '{"status":"ok"}' : 'hello'))
  .listen(process.env.PORT, process.env.HOST);
`;

/** Every file under `dir`, relative to it (directories only when empty). */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => {
      const info = statSync(join(dir, path));
      return info.isFile() || (info.isDirectory() && readdirSync(join(dir, path)).length === 0);
    })
    .sort();
}

function bytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((total, path) => total + statSync(join(dir, path)).size, 0);
}

/**
 * A package-lock.json holding the registry packages daffeinated depends on, exactly as this
 * repository's lock has them: with it, `npm install --offline` finds every tarball in the cache
 * `npm ci` filled, instead of asking the registry what versions exist.
 */
function seededLock(name: string): string {
  const ours = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, unknown> = { '': { name, version: '1.0.0' } };
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path !== '' && entry.dev !== true) packages[path] = { ...entry, extraneous: true };
  }
  return JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2);
}

describe('installed from the packed tarball into another repository', () => {
  it('packs lean, installs offline, and runs init, plan and deploy in the sandbox there', { timeout: 150_000 }, () => {
    const base = mkdtempSync(join(tmpdir(), 'daff-install-'));
    const [packs, repo, home, cache, temp, npmCache] = ['packs', 'shop', 'home', 'cache', 'tmp', 'npm-cache'].map((d) => {
      mkdirSync(join(base, d));
      return join(base, d);
    }) as [string, string, string, string, string, string];

    // dist/ is built by the test run's global setup; the real `npm pack` runs prepack to rebuild it.
    const packed = JSON.parse(
      execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], { cwd: root, encoding: 'utf8' }),
    ) as [{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }];
    const { filename, size, unpackedSize, files: shipped } = packed[0];
    process.stderr.write(`package: ${filename}, ${(size / 1024).toFixed(0)} kB packed, ${(unpackedSize / 1024).toFixed(0)} kB unpacked, ${shipped.length} files\n`);
    const paths = shipped.map((f) => f.path);
    expect(paths.filter((p) => !p.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'bin/daffeinated.js', 'config/app.schema.json', 'package.json', 'schemas/output.schema.json', 'scripts/drift-issue.mjs']);
    expect(paths.filter((p) => p.startsWith('dist/') && !p.endsWith('.js'))).toEqual([]);
    expect(size).toBeLessThan(1_000_000);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['private']).toBeUndefined();
    expect(Object.keys(manifest['scripts'] as object)).not.toContain('prepare');

    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...userEnv, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'ignore' });
    const userEnv: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      XDG_CACHE_HOME: cache,
      TMPDIR: temp,
      NO_COLOR: '1',
      npm_config_update_notifier: 'false',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    git('init', '-q');
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }, null, 2));
    writeFileSync(join(repo, 'server.js'), SERVER);
    writeFileSync(join(repo, 'Procfile'), 'web: node server.js\n');
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    // The slug leaves package.json out: building it would install its devDependencies (daffeinated)
    // from the registry, as Heroku's Node.js buildpack does, and no test reaches the internet.
    writeFileSync(join(repo, '.gitattributes'), 'package.json export-ignore\npackage-lock.json export-ignore\n');
    writeFileSync(join(repo, 'package-lock.json'), seededLock('shop'));

    // The npm cache `npm ci` filled, used offline; npm's own logs go there too, not into HOME.
    const realCache = execFileSync(npm, ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    const install = spawnSync(
      npm,
      ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', join(packs, filename)],
      { cwd: repo, env: { ...userEnv, npm_config_cache: realCache }, encoding: 'utf8' },
    );
    expect(install.status, install.stderr).toBe(0);
    const installed = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(installed.devDependencies)).toEqual(['daffeinated']);

    // From here on, only daffeinated runs (through npx, offline, with an npm cache of its own).
    const run = (...args: string[]) => {
      const result = spawnSync(npx, ['--offline', 'daffeinated', ...args], {
        cwd: repo,
        env: { ...userEnv, npm_config_cache: npmCache, DAFFEINATED_RETRY_BASE_MS: '10' },
        encoding: 'utf8',
      });
      expect(result.status, `daffeinated ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result;
    };
    const init = run('init');
    expect(init.stdout).toContain('Wrote app.yaml');
    expect(init.stderr).toBe('');
    const yaml = readFileSync(join(repo, 'app.yaml'), 'utf8');
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)\n/.exec(yaml)?.[1];
    expect(schemaRef).toBe('./node_modules/daffeinated/config/app.schema.json');
    expect(parseConfig(yaml, 'app.yaml', {}).diagnostics).toEqual([]);
    // The editor schema resolves from the user's repository, and app.yaml is valid by it.
    const schema = JSON.parse(readFileSync(resolve(repo, schemaRef ?? ''), 'utf8')) as object;
    expect(schemaErrors(schema, parse(yaml))).toEqual([]);
    expect(schemaErrors(schema, { ...parse(yaml), surprise: true })).not.toEqual([]);
    // As its comment says, uncommented, so that deploy checks the app the sandbox runs from the cache.
    writeFileSync(join(repo, 'app.yaml'), yaml.replace('  # healthcheck: { path: /health }', '  healthcheck: { path: /health }'));
    git('add', '-A');
    git('commit', '-qm', 'shop');

    const plan = run('plan', '--sandbox');
    expect(plan.stdout).toContain('heroku.app[staging]');
    const deploy = run('deploy', 'staging', '--sandbox', '--yes');
    expect(deploy.stderr).toMatch(/Healthy: shop-staging answered HTTP 200 at \S+\/health/);

    // Nothing outside the repository but daffeinated's cache; npx's own cache aside.
    expect(files(home)).toEqual([]);
    expect(files(temp)).toEqual([]);
    expect(readdirSync(cache)).toEqual(['daffeinated']);
    expect(readdirSync(base).sort()).toEqual(['cache', 'home', 'npm-cache', 'packs', 'shop', 'tmp']);
    expect(readdirSync(packs)).toEqual([filename]);
    const state = join(repo, '.daffeinated');
    const tree = spawnSync('git', ['status', '--porcelain', '--ignored'], { cwd: repo, encoding: 'utf8' }).stdout;
    expect(tree.split('\n').filter((l) => l !== '').sort()).toEqual(['!! .daffeinated/', '!! node_modules/']);
    process.stderr.write(
      `sandbox state in the repository: ${(bytes(state) / 1024).toFixed(0)} kB (${relative(repo, state)}/); cache: ${(bytes(cache) / 1024).toFixed(0)} kB\n`,
    );
    expect(bytes(state)).toBeLessThan(5_000_000);
  });
});
