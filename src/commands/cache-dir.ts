import { homedir, platform } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Io } from '../runtime/io.js';

/**
 * daffeinated's cache directory: `DAFFEINATED_CACHE_DIR`, else `$XDG_CACHE_HOME/daffeinated`,
 * else `~/.cache/daffeinated` (`%LOCALAPPDATA%\daffeinated\cache` on Windows). It holds what
 * can be made again and is shared by all of the user's repositories: the in-process sandbox's
 * compiled slugs (an app's installed packages, often hundreds of MB), kept out of the working tree.
 */
export function cacheDir(io: Pick<Io, 'env' | 'cwd'>): string {
  const set = (name: string) => {
    const value = io.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const explicit = set('DAFFEINATED_CACHE_DIR');
  if (explicit !== undefined) return resolve(io.cwd, explicit);
  // XDG: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = set('XDG_CACHE_HOME');
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'daffeinated');
  const localAppData = set('LOCALAPPDATA');
  if (platform() === 'win32' && localAppData !== undefined) return join(localAppData, 'daffeinated', 'cache');
  return join(set('HOME') ?? homedir(), '.cache', 'daffeinated');
}

/** Where the sandbox keeps compiled slugs, by content (see sandbox/heroku/runner/slug-shelf.ts). */
export function slugCacheDir(io: Pick<Io, 'env' | 'cwd'>): string {
  return join(cacheDir(io), 'slugs');
}
