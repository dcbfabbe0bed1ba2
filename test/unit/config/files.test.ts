import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_LOOKUP,
  type ConfigFiles,
  locateConfigFile,
  nodeFiles,
  readConfigText,
} from '../../../src/config/files.js';
import { MAX_CONFIG_BYTES } from '../../../src/config/text.js';
import { oneLine } from './support.js';

/** In-memory files keyed by absolute path; a value that is an Error is thrown on read. */
function memoryFiles(files: Record<string, string | Uint8Array | Error>): ConfigFiles {
  return {
    isFile: (path) => Object.hasOwn(files, path) && !(files[path] instanceof Error),
    read: (path, maxBytes) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      if (content instanceof Error) throw content;
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      return bytes.subarray(0, maxBytes);
    },
  };
}

describe('locateConfigFile', () => {
  const cwd = '/repo';

  it('uses --config as given, resolved against cwd', () => {
    const located = locateConfigFile({ path: 'deploy/app.yaml', cwd, files: memoryFiles({}) });
    expect(located).toEqual({
      ok: true,
      value: { display: 'deploy/app.yaml', absolute: resolve(cwd, 'deploy/app.yaml') },
    });
  });

  it('looks for ./app.yaml, then ./config/app.yaml', () => {
    expect(CONFIG_LOOKUP).toEqual(['app.yaml', 'config/app.yaml']);
    const both = memoryFiles({ [resolve(cwd, 'app.yaml')]: 'a', [resolve(cwd, 'config/app.yaml')]: 'b' });
    expect(locateConfigFile({ cwd, files: both })).toEqual({
      ok: true,
      value: { display: 'app.yaml', absolute: resolve(cwd, 'app.yaml') },
    });
    const nested = memoryFiles({ [resolve(cwd, 'config/app.yaml')]: 'b' });
    expect(locateConfigFile({ cwd, files: nested })).toEqual({
      ok: true,
      value: { display: 'config/app.yaml', absolute: resolve(cwd, 'config/app.yaml') },
    });
  });

  it('says where it looked when there is no config', () => {
    const located = locateConfigFile({ cwd, files: memoryFiles({}) });
    expect(located.ok).toBe(false);
    if (located.ok) return;
    expect(located.diagnostics.map(oneLine)).toEqual([
      'error: no configuration found: looked for app.yaml and config/app.yaml in /repo — hint: create app.yaml (see config/app.yaml in the daffeinated repository) or pass --config PATH',
    ]);
  });
});

describe('readConfigText', () => {
  const file = { display: 'app.yaml', absolute: '/repo/app.yaml' };
  const read = (content: string | Uint8Array | Error) =>
    readConfigText(file, memoryFiles({ [file.absolute]: content }));
  const failure = (outcome: ReturnType<typeof read>) => (outcome.ok ? [] : outcome.diagnostics.map(oneLine));

  it('returns the text', () => {
    expect(read('version: 1\n')).toEqual({ ok: true, value: 'version: 1\n' });
  });

  it('reports a missing file, a directory and other read errors', () => {
    expect(failure(readConfigText(file, memoryFiles({})))).toEqual([
      'app.yaml: error: config file not found: app.yaml — hint: check the --config path',
    ]);
    expect(failure(read(Object.assign(new Error('EISDIR'), { code: 'EISDIR' })))).toEqual([
      'app.yaml: error: app.yaml is a directory, not a config file — hint: pass the YAML file itself',
    ]);
    expect(failure(read(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })))).toEqual([
      'app.yaml: error: cannot read app.yaml: EACCES: permission denied',
    ]);
  });

  it('refuses files over 1 MiB', () => {
    expect(failure(read('#'.repeat(MAX_CONFIG_BYTES + 10)))).toEqual([
      'app.yaml: error: app.yaml is larger than 1 MiB — hint: is this really app.yaml?',
    ]);
    expect(read('#'.repeat(MAX_CONFIG_BYTES)).ok).toBe(true);
  });

  it('refuses text that is not UTF-8, with the position of the bad byte', () => {
    expect(failure(read(Uint8Array.from([0x61, 0x3a, 0x20, 0xff])))).toEqual([
      'app.yaml:1:4: error: app.yaml is not valid UTF-8 — hint: save the file as UTF-8',
    ]);
  });
});

describe('nodeFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daffeinated-config-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'app.yaml'), 'version: 1\n');

  it('tells files from directories and missing paths', () => {
    expect(nodeFiles.isFile(join(dir, 'app.yaml'))).toBe(true);
    expect(nodeFiles.isFile(join(dir, 'sub'))).toBe(false);
    expect(nodeFiles.isFile(join(dir, 'nope.yaml'))).toBe(false);
  });

  it('reads at most the bytes asked for', () => {
    expect(new TextDecoder().decode(nodeFiles.read(join(dir, 'app.yaml'), 100))).toBe('version: 1\n');
    expect(new TextDecoder().decode(nodeFiles.read(join(dir, 'app.yaml'), 4))).toBe('vers');
  });

  it('throws Node errors with codes', () => {
    expect(() => nodeFiles.read(join(dir, 'nope.yaml'), 10)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => nodeFiles.read(join(dir, 'sub'), 10)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});
