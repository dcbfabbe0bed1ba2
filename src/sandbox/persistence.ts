import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The directory both sandboxes keep their state in by default. The state holds the apps' config
 * vars in plain text, `from_env` values and generated secrets included: the sandbox serves them
 * back to plans and to the app processes it runs, so it cannot store hashes instead. A directory
 * of this name is therefore made private on every write: mode 0700, and a `.gitignore` of `*` so
 * that git never picks the state up. State files elsewhere are only written 0600.
 */
export const PRIVATE_STATE_DIR = '.daffeinated';

/**
 * Persists the sandbox state to one JSON file. Writes are atomic (temp file, fsync, rename) and
 * serialised: at most one write runs at a time, and callers that arrive while one is running share
 * the next write, which snapshots the state when it starts, so it includes every change made
 * before it. `save()` resolves once a write that began after the call has finished.
 *
 * One sandbox per state file: two processes writing the same file would overwrite each other.
 */
export class StateFile {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private sequence = 0;
  /** Tells this writer's temporary files apart from those of another sandbox writing the same file. */
  private readonly tag = randomBytes(6).toString('hex');

  constructor(
    readonly path: string,
    private readonly snapshot: () => string,
  ) {}

  /** The stored text, or `undefined` when the file does not exist yet. */
  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  save(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.write(this.snapshot());
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }

  /** Resolves when no write is pending or running. */
  async idle(): Promise<void> {
    while (this.queued !== undefined || this.running !== undefined) {
      await (this.queued ?? this.running)?.catch(() => undefined);
    }
  }

  private async write(text: string): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (basename(dir) === PRIVATE_STATE_DIR) await keepPrivate(dir);
    this.sequence += 1;
    const temp = `${this.path}.${this.tag}.${this.sequence}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** Mode 0700, and a `.gitignore` ignoring everything in it (one the user wrote is left alone). */
async function keepPrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  try {
    await writeFile(join(dir, '.gitignore'), '# daffeinated sandbox state: holds secrets, never commit it\n*\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
