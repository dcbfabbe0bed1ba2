import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A small reader and writer for gzipped tar archives (ustar, with GNU long names and pax `path`
 * records), enough to read a source tarball's Procfile and package.json the way the build system
 * does, and to make tarballs in tests and for declared slugs. Regular files only; directories,
 * links and other entries are skipped.
 */
export type TarFiles = Map<string, Buffer>;

const BLOCK = 512;

/** The regular files of a .tar.gz by normalised path (no leading `./`); throws a readable Error. */
export function readTarGz(data: Buffer): TarFiles {
  return new Map(readTarEntries(data).map((e) => [e.path, e.data]));
}

/** One regular file of an archive, with its permission bits (e.g. 0o755 for `bin/` scripts). */
export interface TarEntry {
  readonly path: string;
  readonly data: Buffer;
  readonly mode: number;
}

/** The regular files of a .tar.gz in archive order, with their modes; throws a readable Error. */
export function readTarEntries(data: Buffer): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(data);
  } catch (e) {
    throw new Error(`not a gzip file (${(e as Error).message})`);
  }
  const files: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!checksumMatches(header)) throw new Error(`not a tar archive (bad header checksum at byte ${offset})`);
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] as number);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length < size) throw new Error('truncated tar archive');
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(body) ?? longName;
      continue;
    }
    const prefix = cString(header.subarray(345, 500));
    const name =
      longName ?? (prefix === '' ? cString(header.subarray(0, 100)) : `${prefix}/${cString(header.subarray(0, 100))}`);
    longName = undefined;
    if (type === '0' || type === '\0') {
      files.push({ path: normalise(name), data: Buffer.from(body), mode: octal(header.subarray(100, 108)) & 0o777 });
    }
  }
  return files;
}

/** A .tar.gz of the given files (paths relative, `/`-separated). */
export function writeTarGz(files: Readonly<Record<string, string | Buffer>>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    if (Buffer.byteLength(path) > 100) throw new Error(`path too long for this writer: ${path}`);
    const header = Buffer.alloc(BLOCK);
    header.write(path, 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(`${(0).toString(8).padStart(11, '0')}\0`, 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    const sum = header.reduce((total, b) => total + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}

function checksumMatches(header: Buffer): boolean {
  const stored = octal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  return stored === sum;
}

function octal(field: Buffer): number {
  const text = cString(field).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

/** The `path` of a pax extended header (`<len> path=<value>\n` records). */
function paxPath(body: Buffer): string | undefined {
  for (const record of body.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match !== null) return match[1];
  }
  return undefined;
}

function normalise(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}
