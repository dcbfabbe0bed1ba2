import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How a shelf of compiled slugs is kept small. Each use of a slug touches its ready marker, so
 * its mtime is the slug's last use. The most recently used `keep` slugs always stay; older ones
 * go once unused for `idleMs` (a grace period, since another sandbox may be about to start one),
 * and any slug unused for `maxAgeMs` goes whatever its rank. Compiles cut short (`.tmp-*`) go
 * after `maxAgeMs` too.
 */
export interface PrunePolicy {
  readonly keep: number;
  readonly idleMs: number;
  readonly maxAgeMs: number;
}

const HOUR = 3_600_000;

export const DEFAULT_PRUNE_POLICY: PrunePolicy = { keep: 5, idleMs: HOUR, maxAgeMs: 14 * 24 * HOUR };

export interface ShelfEntry {
  readonly name: string;
  /** Last use (the ready marker's mtime); for an unfinished compile, when it was started. */
  readonly usedAt: number;
  readonly complete: boolean;
}

/** The entries to remove, by name, oldest use first. Pure. */
export function slugsToPrune(entries: readonly ShelfEntry[], now: number, policy: PrunePolicy = DEFAULT_PRUNE_POLICY): string[] {
  const complete = entries.filter((e) => e.complete).sort((a, b) => b.usedAt - a.usedAt || a.name.localeCompare(b.name));
  const stale = complete.filter((e, rank) => now - e.usedAt > policy.maxAgeMs || (rank >= policy.keep && now - e.usedAt > policy.idleMs));
  const abandoned = entries.filter((e) => !e.complete && now - e.usedAt > policy.maxAgeMs);
  return [...stale, ...abandoned].sort((a, b) => a.usedAt - b.usedAt || a.name.localeCompare(b.name)).map((e) => e.name);
}

/** Records a use of a compiled slug: its ready marker's mtime becomes now. */
export async function touchSlug(marker: string, now: Date): Promise<void> {
  await utimes(marker, now, now);
}

/**
 * Removes what `slugsToPrune` selects under `root`, except `inUse`. Best effort: an entry that
 * vanished meanwhile (another sandbox pruned it) or cannot be read is skipped.
 */
export async function pruneShelf(root: string, marker: string, inUse: ReadonlySet<string>, now: Date): Promise<string[]> {
  const entries: ShelfEntry[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const complete = !name.startsWith('.tmp-');
    const info = await stat(complete ? join(root, name, marker) : join(root, name)).catch(() => undefined);
    if (info !== undefined) entries.push({ name, usedAt: info.mtimeMs, complete });
  }
  const doomed = slugsToPrune(entries, now.getTime()).filter((name) => !inUse.has(name));
  await Promise.all(doomed.map((name) => rm(join(root, name), { recursive: true, force: true })));
  return doomed;
}
