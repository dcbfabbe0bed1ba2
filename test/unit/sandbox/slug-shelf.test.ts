import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LaunchSpec, ProcessOptions } from '../../../src/sandbox/index.js';
import { dynoCopy, SlugShelf } from '../../../src/sandbox/heroku/runner/slug-shelf.js';
import { writeTarGz } from '../../../src/sandbox/heroku/runner/tar.js';

/** A launcher that records commands and "succeeds" (or fails) without running anything. */
function recording(exitCode = 0): { options: ProcessOptions; ran: LaunchSpec[] } {
  const ran: LaunchSpec[] = [];
  return {
    ran,
    options: {
      env: { PATH: '/usr/bin', HOME: '/home/someone' },
      launch: (spec) => {
        ran.push(spec);
        spec.onLine(`ran ${spec.command}`, 'stdout');
        return { exited: Promise.resolve({ code: exitCode, signal: null }), stop: async () => {} };
      },
    },
  };
}

/** A tar with one raw entry name (to smuggle `../`), gzipped. */
function tarWithName(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write(`${header.reduce((t, b) => t + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
  const data = Buffer.alloc(512);
  data.write(content);
  return gzipSync(Buffer.concat([header, data, Buffer.alloc(1024)]));
}

describe('SlugShelf', () => {
  it('compiles a Node.js slug once per content: npm ci with a lockfile, then the build script', async () => {
    const { options, ran } = recording();
    const dir = mkdtempSync(join(tmpdir(), 'daff-shelf-'));
    const shelf = new SlugShelf(options, dir);
    const source = writeTarGz({
      'app/package.json': JSON.stringify({ dependencies: { left: '1' }, scripts: { build: 'tsc' } }),
      'app/package-lock.json': '{}',
      'app/server.js': 'x',
    });
    const log: string[] = [];
    const [first, second] = await Promise.all([shelf.prepare(source, (l) => log.push(l)), shelf.prepare(source, () => {})]);
    expect(first).toBe(second);
    expect(ran.map((r) => r.command)).toEqual(['npm ci --no-audit --no-fund --prefer-offline', 'npm run build']);
    expect(ran[0]?.env).toEqual({ PATH: '/usr/bin', HOME: '/home/someone' });
    expect(readFileSync(join(first, 'server.js'), 'utf8')).toBe('x');
    expect(log).toContain('       ran npm run build');
    expect(await new SlugShelf(options, dir).prepare(source, () => {})).toBe(first);
    expect(ran).toHaveLength(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('runs nothing for other languages or a package.json without dependencies, and keeps file modes', async () => {
    const { options, ran } = recording();
    const shelf = new SlugShelf(options, undefined);
    const path = await shelf.prepare(writeTarGz({ 'package.json': '{"scripts":{"start":"node x"}}', Procfile: 'web: bin/web' }), () => {});
    expect(ran).toEqual([]);
    expect(statSync(join(path, 'Procfile')).mode & 0o777).toBe(0o644);
    await shelf.close();
    expect(existsSync(path)).toBe(false);
  });

  it('fails with the failing step, never keeping a half-built slug', async () => {
    const { options } = recording(1);
    const dir = mkdtempSync(join(tmpdir(), 'daff-shelf-'));
    const shelf = new SlugShelf(options, dir);
    const source = writeTarGz({ 'package.json': JSON.stringify({ devDependencies: { x: '1' } }) });
    await expect(shelf.prepare(source, () => {})).rejects.toThrow('npm install --no-audit --no-fund --prefer-offline failed (exit status 1)');
    expect(readdirSync(dir)).toEqual([]);
    await expect(shelf.prepare(writeTarGz({ 'package.json': '{nope' }), () => {})).rejects.toThrow('Unable to parse package.json');
  });

  it('skips archive entries that would land outside the slug', async () => {
    const { options } = recording();
    const log: string[] = [];
    const path = await new SlugShelf(options, undefined).prepare(tarWithName('app/../../escape.txt', 'boom'), (l) => log.push(l));
    expect(log).toEqual([' !     Skipped app/../../escape.txt: outside the app directory']);
    expect(readdirSync(path)).toEqual(['.daffeinated-slug']);
  });

  it('dynoCopy gives each dyno its own files and shares node_modules by link', async () => {
    const { options } = recording();
    const compiled = await new SlugShelf(options, undefined).prepare(writeTarGz({ 'server.js': 'x', 'node_modules/dep/index.js': 'y' }), () => {});
    const copy = await dynoCopy(compiled);
    expect(readFileSync(join(copy, 'server.js'), 'utf8')).toBe('x');
    expect(lstatSync(join(copy, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(copy, '.daffeinated-slug'))).toBe(false);
  });
});

describe('SlugShelf in a shared cache', () => {
  it('spares the slugs it handed out, prunes what others left unused, and survives a reset', async () => {
    const { options } = recording();
    const dir = mkdtempSync(join(tmpdir(), 'daff-shelf-'));
    const shelf = new SlugShelf(options, dir, true);
    const slugs: string[] = [];
    for (let i = 0; i < 7; i += 1) slugs.push(await shelf.prepare(writeTarGz({ 'server.js': `${i}` }), () => {}));
    const old = new Date(Date.now() - 24 * 3_600_000);
    for (const path of slugs) utimesSync(join(path, '.daffeinated-slug'), old, old);
    // Unused for a day, but this shelf's dynos may run them.
    await shelf.prepare(writeTarGz({ 'server.js': 'newer' }), () => {});
    expect(readdirSync(dir)).toHaveLength(8);
    // Another sandbox keeps the five most recently used.
    await new SlugShelf(options, dir, true).prepare(writeTarGz({ 'server.js': 'fresh' }), () => {});
    expect(readdirSync(dir)).toHaveLength(5);
    await shelf.close(true);
    expect(readdirSync(dir)).toHaveLength(5);
  });
});
