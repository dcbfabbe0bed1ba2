import type { Ids } from '../ids.js';

/**
 * The Cloudflare half of the sandbox state. This slice only holds the zones seeded at start
 * (Cloudflare zones are never created by daffeinated); DNS records, settings and rulesets join
 * here when their endpoints are implemented.
 */
export interface CloudflareState {
  zones: ZoneRecord[];
}

export interface ZoneRecord {
  /** 32 lowercase hex characters, like Cloudflare's zone ids. */
  id: string;
  name: string;
  status: 'active' | 'pending';
  createdOn: string;
  modifiedOn: string;
}

const ZONE_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Adds the zones not already present (by name); existing zones are left untouched. */
export function seedZones(state: CloudflareState, names: readonly string[], ids: Ids, now: string): void {
  for (const raw of names) {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!ZONE_NAME.test(name)) throw new Error(`invalid zone name "${raw}"`);
    if (state.zones.some((z) => z.name === name)) continue;
    state.zones.push({ id: ids.hex(32), name, status: 'active', createdOn: now, modifiedOn: now });
  }
}
