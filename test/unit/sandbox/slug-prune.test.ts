import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneShelf, type ShelfEntry, slugsToPrune } from '../../../src/sandbox/heroku/runner/slug-prune.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-11-22T12:00:00Z');
const policy = { keep: 2, idleMs: HOUR, maxAgeMs: 24 * HOUR };
const slug = (name: string, hoursAgo: number, complete = true): ShelfEntry => ({ name, usedAt: now - hoursAgo * HOUR, complete });

describe('slugsToPrune', () => {
  it('keeps the most recently used slugs and those in their grace period; drops the rest, oldest first', () => {
    const entries = [slug('a', 0.1), slug('b', 5), slug('c', 0.5), slug('d', 3), slug('e', 2)];
    // Ranked by use: a, c (kept), e, d, b (past the hour of grace).
    expect(slugsToPrune(entries, now, policy)).toEqual(['b', 'd', 'e']);
    expect(slugsToPrune([slug('a', 0.1), slug('b', 0.2), slug('c', 0.3)], now, policy)).toEqual([]);
  });

  it('drops a slug unused for longer than the maximum age even among the most recent, and abandoned compiles', () => {
    const entries = [slug('old', 30), slug('.tmp-x', 30, false), slug('.tmp-y', 1, false)];
    expect(slugsToPrune(entries, now, policy)).toEqual(['.tmp-x', 'old']);
  });
});

describe('pruneShelf', () => {
  it('removes what the policy selects, never a slug in use nor a directory without a ready marker', async () => {
    const root = mkdtempSync(join(tmpdir(), 'daff-prune-'));
    const make = (name: string, hoursAgo: number) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'READY'), '');
      const at = new Date(Date.now() - hoursAgo * HOUR);
      utimesSync(join(root, name, 'READY'), at, at);
    };
    for (let i = 0; i < 8; i += 1) make(`slug${i}`, i * 2);
    mkdirSync(join(root, 'unknown'));
    const removed = await pruneShelf(root, 'READY', new Set(['slug7']), new Date());
    // The default policy keeps five; of the rest, slug7 is in use.
    expect(removed.sort()).toEqual(['slug5', 'slug6']);
    expect(readdirSync(root).sort()).toEqual(['slug0', 'slug1', 'slug2', 'slug3', 'slug4', 'slug7', 'unknown']);
    expect(existsSync(join(root, 'slug7', 'READY'))).toBe(true);
  });
});
