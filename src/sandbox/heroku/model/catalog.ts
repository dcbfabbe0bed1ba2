import { stableUuid, UUID_PATTERN } from '../../ids.js';

/**
 * Fixed platform catalogue: Common Runtime regions, Cedar stacks and the Cedar generation. Ids are
 * stable UUIDs derived from the names (the same in every sandbox), not Heroku's real ones.
 */
export interface CatalogEntry {
  readonly id: string;
  readonly name: string;
}

export const REGIONS: readonly CatalogEntry[] = ['us', 'eu'].map((name) => ({ id: stableUuid('region', name), name }));
/** heroku-20 reached end of life; `GET /stacks` on the real API is the source of truth. */
export const STACKS: readonly CatalogEntry[] = ['heroku-22', 'heroku-24'].map((name) => ({
  id: stableUuid('stack', name),
  name,
}));
export const DEFAULT_REGION = 'us';
export const DEFAULT_STACK = 'heroku-24';
export const CEDAR: CatalogEntry = { id: stableUuid('generation', 'cedar'), name: 'cedar' };
/** Fir is only listed (e.g. as a generation an add-on service supports); sandbox apps are Cedar. */
export const GENERATIONS: readonly CatalogEntry[] = [CEDAR, { id: stableUuid('generation', 'fir'), name: 'fir' }];
/** Creation time shown for catalogue entries (add-on services, plans, features). */
export const CATALOGUE_TIME = '2012-01-01T00:00:00Z';

/** Finds a catalogue entry by id or (case-insensitive) name. */
export function lookup(entries: readonly CatalogEntry[], identity: string): CatalogEntry | undefined {
  if (UUID_PATTERN.test(identity)) return entries.find((e) => e.id === identity.toLowerCase());
  return entries.find((e) => e.name === identity.toLowerCase());
}

/** The entry named `name` (which the state only ever holds for catalogue members). */
export function entry(entries: readonly CatalogEntry[], name: string): CatalogEntry {
  return entries.find((e) => e.name === name) ?? { id: stableUuid('unknown', name), name };
}
