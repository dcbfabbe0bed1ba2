import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Bytes behind the sandbox's signed URLs (uploaded sources). Kept in memory, and when the sandbox
 * has a state file also in a directory next to it (`sandbox.json` → `sandbox-blobs/`), so a build
 * in a later run, or a slug download after a restart, still finds them. Which keys exist is state
 * (`heroku.sources`); this store only holds bytes, so a reset just clears it.
 */
export class BlobStore {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly dir: string | undefined) {}

  get(key: string): Buffer | undefined {
    if (!BLOB_KEY.test(key)) return undefined;
    const cached = this.memory.get(key);
    if (cached !== undefined || this.dir === undefined) return cached;
    const path = join(this.dir, key);
    if (!existsSync(path)) return undefined;
    const data = readFileSync(path);
    this.memory.set(key, data);
    return data;
  }

  /** Stores the bytes; on disk atomically (temp file + rename), created on first use. */
  put(key: string, data: Buffer): void {
    if (!BLOB_KEY.test(key)) throw new Error(`invalid blob key ${key}`);
    this.memory.set(key, data);
    if (this.dir === undefined) return;
    mkdirSync(this.dir, { recursive: true });
    const temp = join(this.dir, `${key}.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, join(this.dir, key));
  }

  clear(): void {
    this.memory.clear();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * An unguessable capability for a signed URL. Deliberately not drawn from the seeded id source:
 * anyone who knows the seed could compute those, and these URLs need no other credential.
 */
export function capabilityKey(): string {
  return randomBytes(16).toString('hex');
}

export const BLOB_KEY = /^[0-9a-f]{32}$/;

/** Where the blobs of a state file live: `dir/sandbox.json` → `dir/sandbox-blobs`. */
export function blobDirFor(stateFile: string | undefined): string | undefined {
  if (stateFile === undefined) return undefined;
  return join(dirname(stateFile), `${basename(stateFile, extname(stateFile))}-blobs`);
}

/** Where compiled slugs of a state file live: `dir/sandbox.json` → `dir/sandbox-slugs` (see runner/slug-shelf.ts). */
export function slugDirFor(stateFile: string | undefined): string | undefined {
  if (stateFile === undefined) return undefined;
  return join(dirname(stateFile), `${basename(stateFile, extname(stateFile))}-slugs`);
}
