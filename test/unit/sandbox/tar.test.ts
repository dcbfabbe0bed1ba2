import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseProcfile } from '../../../src/sandbox/heroku/runner/build-source.js';
import { readTarGz, writeTarGz } from '../../../src/sandbox/heroku/runner/tar.js';

/** A raw ustar header block, for entries the writer does not produce. */
function header(name: string, size: number, type: string, prefix = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write(prefix, 345);
  const sum = block.reduce((total, b) => total + b, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function entry(name: string, body: string, type = '0', prefix = ''): Buffer[] {
  const data = Buffer.from(body);
  return [header(name, data.length, type, prefix), data, Buffer.alloc((512 - (data.length % 512)) % 512)];
}

describe('tar reader', () => {
  it('reads back what the writer wrote, without a leading ./', () => {
    const files = readTarGz(writeTarGz({ './Procfile': 'web: npm start\n', 'src/index.js': 'x'.repeat(1500) }));
    expect([...files.keys()]).toEqual(['Procfile', 'src/index.js']);
    expect(files.get('src/index.js')?.length).toBe(1500);
  });

  it('understands ustar prefixes, GNU long names and pax paths, and skips directories', () => {
    const gnuName = `${'deep/'.repeat(30)}Procfile`;
    const paxName = `${'pax/'.repeat(30)}package.json`;
    const pax = `${paxName.length + 11} path=${paxName}\n`;
    const tar = Buffer.concat([
      ...entry('app/', '', '5'),
      ...entry('server.js', 'a', '0', 'app/lib'),
      ...entry('././@LongLink', gnuName, 'L'),
      ...entry('truncated-name', 'b'),
      ...entry('PaxHeader', pax, 'x'),
      ...entry('other-truncated-name', 'c'),
      Buffer.alloc(1024),
    ]);
    const files = readTarGz(gzipSync(tar));
    expect([...files.entries()].map(([k, v]) => [k, v.toString()])).toEqual([
      ['app/lib/server.js', 'a'],
      [gnuName, 'b'],
      [paxName, 'c'],
    ]);
  });

  it('rejects what is not a gzip, not a tar, or truncated', () => {
    expect(() => readTarGz(Buffer.from('plain text'))).toThrow(/not a gzip file/);
    expect(() => readTarGz(gzipSync(Buffer.alloc(512, 7)))).toThrow(/not a tar archive/);
    const cut = Buffer.concat([header('big', 4096, '0'), Buffer.alloc(100)]);
    expect(() => readTarGz(gzipSync(cut))).toThrow(/truncated/);
  });
});

describe('Procfile parser', () => {
  it('reads type: command lines and ignores the rest', () => {
    expect(parseProcfile('web: npm start\r\n# note\n\nworker:node w.js  \nbad line\nrelease:\nclock : x\n')).toEqual({
      web: 'npm start',
      worker: 'node w.js',
    });
  });
});
