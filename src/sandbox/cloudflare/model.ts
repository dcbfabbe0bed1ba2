import type { Ids } from '../ids.js';
import { isPlanName, type PlanName } from './plans.js';

/**
 * The Cloudflare half of the sandbox state: plain JSON, persisted as is. Zones are seeded, never
 * created through the API (daffeinated only manages zones that exist); everything a zone holds —
 * DNS records, settings changed from their defaults, phase entrypoint rulesets — lives in it.
 */
export interface CloudflareState {
  /** The one account (and user) every accepted credential acts as. */
  account: AccountRecord;
  zones: ZoneRecord[];
  /** The account's cache purge token buckets, per plan (cloudflare/purge.ts); absent until the first purge. */
  purgeBuckets?: Partial<Record<PlanName, { tokens: number; atMs: number }>>;
}

export interface AccountRecord {
  id: string;
  name: string;
  userId: string;
  email: string;
}

export interface ZoneRecord {
  /** 32 lowercase hex characters, like Cloudflare's zone ids. */
  id: string;
  name: string;
  status: 'active' | 'pending';
  plan: PlanName;
  nameServers: string[];
  createdOn: string;
  modifiedOn: string;
  activatedOn: string;
  records: DnsRecord[];
  /** Settings changed from the plan's defaults, by setting id (see settings/catalog.ts). */
  settings: Record<string, { value: unknown; modifiedOn: string }>;
  /** Phase entrypoint rulesets (kind `zone`), at most one per phase. */
  rulesets: RulesetRecord[];
  /** Accepted cache purges, oldest first (cloudflare/purge.ts); absent until the first. */
  purges?: PurgeRecord[];
}

export type PurgeKind = 'files' | 'tags' | 'hosts' | 'prefixes' | 'everything';

/** One accepted `POST /zones/{id}/purge_cache`: its answer's id, when, and what it named (none for everything). */
export interface PurgeRecord {
  id: string;
  at: string;
  kind: PurgeKind;
  items: string[];
}

/** A DNS record as stored: already normalised (full lower-case name, canonical content). */
export interface DnsRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  /** Structured types (SRV, CAA, …) keep their components; `content` is derived from them. */
  data?: Record<string, unknown>;
  priority?: number;
  ttl: number;
  proxied: boolean;
  comment: string | null;
  tags: string[];
  settings: Record<string, boolean>;
  createdOn: string;
  modifiedOn: string;
  commentModifiedOn?: string;
  tagsModifiedOn?: string;
}

export interface RulesetRecord {
  id: string;
  phase: string;
  name: string;
  description: string;
  version: number;
  lastUpdated: string;
  rules: RuleRecord[];
}

/** A rule: its identity and history, plus the writable fields exactly as they will be answered. */
export interface RuleRecord {
  id: string;
  ref: string;
  version: number;
  lastUpdated: string;
  fields: Record<string, unknown>;
}

/** A zone to seed: `name`, `name:plan` (e.g. `example.com:pro`), or an object. */
export type ZoneSeed = string | { readonly name: string; readonly plan?: PlanName };

const ZONE_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Cloudflare assigns each zone two name servers named after people. */
const NS_NAMES = ['ada', 'bob', 'cruz', 'dana', 'elle', 'finn', 'gina', 'hugo', 'iris', 'jay', 'kim', 'lola'];

/**
 * Adds the zones not already present (by name). Existing zones keep their id and contents; their
 * plan changes only when the seed names one. Zones loaded from an older state get the fields
 * added since (empty records, settings and rulesets).
 */
export function seedZones(state: CloudflareState, seeds: readonly ZoneSeed[], ids: Ids, now: string): void {
  const time = cfTime(new Date(now));
  // States saved before the account existed get one.
  if ((state as Partial<CloudflareState>).account === undefined) state.account = newAccount(ids);
  for (const zone of state.zones) upgrade(zone, ids);
  for (const seed of seeds) {
    const { name, plan } = parseSeed(seed);
    const existing = state.zones.find((z) => z.name === name);
    if (existing !== undefined) {
      if (plan !== undefined) existing.plan = plan;
      continue;
    }
    state.zones.push({
      id: ids.hex(32),
      name,
      status: 'active',
      plan: plan ?? 'free',
      nameServers: nameServers(ids),
      createdOn: time,
      modifiedOn: time,
      activatedOn: time,
      records: [],
      settings: {},
      rulesets: [],
    });
  }
}

/** An empty Cloudflare world: the account, no zones. */
export function newCloudflareState(ids: Ids): CloudflareState {
  return { account: newAccount(ids), zones: [] };
}

function newAccount(ids: Ids): AccountRecord {
  return { id: ids.hex(32), name: "Sandbox Developer's Account", userId: ids.hex(32), email: 'developer@example.com' };
}

function parseSeed(seed: ZoneSeed): { name: string; plan: PlanName | undefined } {
  const [rawName, rawPlan] = typeof seed === 'string' ? seed.split(':') : [seed.name, seed.plan];
  const name = (rawName ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!ZONE_NAME.test(name)) throw new Error(`invalid zone name "${rawName ?? ''}"`);
  const plan = rawPlan?.trim().toLowerCase();
  if (plan !== undefined && !isPlanName(plan)) {
    throw new Error(`invalid plan "${rawPlan}" for zone ${name} (one of free, pro, business, enterprise)`);
  }
  return { name, plan };
}

function upgrade(zone: Partial<ZoneRecord> & { id: string; createdOn: string }, ids: Ids): void {
  const time = zone.createdOn.includes('.') ? zone.createdOn : cfTime(new Date(zone.createdOn));
  zone.plan ??= 'free';
  zone.nameServers ??= nameServers(ids);
  zone.createdOn = time;
  zone.modifiedOn = zone.modifiedOn?.includes('.') ? zone.modifiedOn : time;
  zone.activatedOn ??= time;
  zone.records ??= [];
  zone.settings ??= {};
  zone.rulesets ??= [];
}

function nameServers(ids: Ids): string[] {
  const first = ids.int(NS_NAMES.length);
  const second = (first + 1 + ids.int(NS_NAMES.length - 1)) % NS_NAMES.length;
  return [first, second].map((i) => `${NS_NAMES[i]}.ns.cloudflare.com`);
}

/** Cloudflare's timestamp form: ISO 8601 UTC with microseconds (`2024-01-01T05:20:00.123000Z`). */
export function cfTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
