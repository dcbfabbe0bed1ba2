import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigFiles, loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/runtime/errors.js';
import { MINIMAL, oneLine } from './support.js';

function memoryFiles(files: Record<string, string>): ConfigFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    isFile: (path) => Object.hasOwn(files, path),
    read: (path) => {
      reads.push(path);
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return new TextEncoder().encode(content);
    },
  };
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  const cwd = '/repo';

  it('reads --config, else ./app.yaml, else ./config/app.yaml, through the injected files', () => {
    const files = memoryFiles({
      [resolve(cwd, 'app.yaml')]: MINIMAL,
      [resolve(cwd, 'config/app.yaml')]: MINIMAL.replace('shop-staging', 'other-staging'),
      [resolve(cwd, 'custom.yaml')]: MINIMAL.replace('shop-staging', 'custom-staging'),
    });
    expect(loadConfig({ cwd, env: {}, files }).file).toBe('app.yaml');
    const custom = loadConfig({ path: 'custom.yaml', cwd, env: {}, files });
    expect(custom.file).toBe('custom.yaml');
    expect(custom.environments['staging']?.app).toBe('custom-staging');
    const nested = memoryFiles({ [resolve(cwd, 'config/app.yaml')]: MINIMAL });
    expect(loadConfig({ cwd, env: {}, files: nested }).file).toBe('config/app.yaml');
  });

  it('interpolates from the env it is given', () => {
    const files = memoryFiles({ [resolve(cwd, 'app.yaml')]: `${MINIMAL}    region: \${REGION}\n` });
    expect(loadConfig({ cwd, env: { REGION: 'eu' }, files }).environments['staging']?.region).toBe('eu');
  });

  it('throws ConfigError with every diagnostic and a readable message', () => {
    const files = memoryFiles({
      [resolve(cwd, 'app.yaml')]: 'version: 3\nname: Shop\nenvironments:\n  staging: { app: x }\n',
    });
    const error = configError(() => loadConfig({ cwd, env: {}, files }));
    expect(error.diagnostics.map(oneLine)).toEqual([
      'app.yaml:1:10: error: unsupported version 3: this daffeinated reads version 1 (at version) — hint: write `version: 1`',
      'app.yaml:2:7: error: "Shop" is not a valid project name: lower-case letters, digits, _ and -, starting with a letter (at name)',
      'app.yaml:4:19: error: "x" is not a valid Heroku app name: 3–30 lower-case letters, digits and dashes, starting with a letter (at environments.staging.app)',
    ]);
    expect(error.message).toMatch(
      /^3 problems in the configuration:\n {2}app\.yaml:1:10: error: unsupported version 3/,
    );
    expect(error.exitCode).toBe(1);
  });

  it('throws ConfigError when there is no config or it cannot be read', () => {
    expect(configError(() => loadConfig({ cwd, env: {}, files: memoryFiles({}) })).diagnostics[0]?.message).toMatch(
      /^no configuration found/,
    );
    expect(
      configError(() => loadConfig({ path: 'missing.yaml', cwd, env: {}, files: memoryFiles({}) })).diagnostics.map(
        oneLine,
      ),
    ).toEqual(['missing.yaml: error: config file not found: missing.yaml — hint: check the --config path']);
  });

  it('uses node:fs by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'daffeinated-load-'));
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'app.yaml'), MINIMAL);
    expect(loadConfig({ cwd: dir, env: {} }).environments['staging']?.app).toBe('shop-staging');
    writeFileSync(join(dir, 'app.yaml'), 'version: 1\n');
    expect(configError(() => loadConfig({ cwd: dir, env: {} })).diagnostics).toHaveLength(2);
  });
});
