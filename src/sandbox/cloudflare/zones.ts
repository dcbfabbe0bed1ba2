import { type CloudflareContext, type CloudflareRouter, zoneOf } from './context.js';
import { ok } from './errors.js';
import type { CloudflareState, ZoneRecord } from './model.js';
import { planJson } from './plans.js';
import { compareValues, enumParam, pageSpec, paginate } from './query.js';

/** Page rules a plan includes (zone `meta.page_rule_quota`). */
const PAGE_RULE_QUOTA = { free: 3, pro: 20, business: 50, enterprise: 125 } as const;

/** The zone object as `GET /zones` and `GET /zones/{zone_id}` answer it. */
export function zoneJson(cloudflare: CloudflareState, zone: ZoneRecord): Record<string, unknown> {
  const { account } = cloudflare;
  return {
    id: zone.id,
    name: zone.name,
    status: zone.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: [...zone.nameServers],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    vanity_name_servers: [],
    created_on: zone.createdOn,
    modified_on: zone.modifiedOn,
    activated_on: zone.activatedOn,
    meta: {
      step: 2,
      custom_certificate_quota: zone.plan === 'free' ? 0 : 1,
      page_rule_quota: PAGE_RULE_QUOTA[zone.plan],
      phishing_detected: false,
    },
    owner: { id: account.userId, type: 'user', email: account.email },
    account: { id: account.id, name: account.name },
    tenant: { id: null, name: null },
    tenant_unit: { id: null },
    permissions: [
      '#dns_records:edit',
      '#dns_records:read',
      '#waf:edit',
      '#waf:read',
      '#zone:read',
      '#zone_settings:edit',
      '#zone_settings:read',
    ],
    plan: planJson(zone.plan),
  };
}

const STATUSES = ['initializing', 'pending', 'active', 'moved'] as const;
const TYPES = ['full', 'partial', 'secondary', 'internal'] as const;
const ORDERS = ['name', 'status', 'account.id', 'account.name', 'plan.id'] as const;

export function registerZones(router: CloudflareRouter): void {
  router.add('GET', '/zones', listZones);
  router.add('GET', '/zones/:zone_id', (ctx) => ok(zoneJson(ctx.world.state.cloudflare, zoneOf(ctx))));
}

/**
 * `GET /zones`: filters `name` (exact, case-insensitive; or `contains:`, `starts_with:`,
 * `ends_with:`, `equal:` and their `_case_sensitive` variants), `status`, `account.id`,
 * `account.name`, `type`, combined by `match` (all | any); `order` + `direction`; pages of 5–50
 * (default 20).
 */
function listZones(ctx: CloudflareContext) {
  const { query } = ctx;
  const cloudflare = ctx.world.state.cloudflare;
  const spec = pageSpec(query, 20, 5, 50);
  const status = query.get('status') === null ? undefined : enumParam(query, 'status', STATUSES, 'active');
  const type = query.get('type') === null ? undefined : enumParam(query, 'type', TYPES, 'full');
  const order = enumParam(query, 'order', ORDERS, 'name');
  const direction = enumParam(query, 'direction', ['asc', 'desc'] as const, 'asc');
  const match = enumParam(query, 'match', ['all', 'any'] as const, 'all');

  const tests: ((zone: ZoneRecord) => boolean)[] = [];
  const name = query.get('name');
  if (name !== null && name !== '') tests.push((z) => nameFilter(name)(z.name));
  if (status !== undefined) tests.push((z) => z.status === status);
  const accountId = query.get('account.id');
  if (accountId !== null && accountId !== '') tests.push(() => cloudflare.account.id === accountId);
  const accountName = query.get('account.name');
  if (accountName !== null && accountName !== '') tests.push(() => nameFilter(accountName)(cloudflare.account.name));
  // Every seeded zone is a full zone; `internal` zones are only listed when asked for, and there are none.
  if (type !== undefined) tests.push(() => type === 'full');

  const selected = cloudflare.zones.filter((zone) =>
    tests.length === 0 ? true : match === 'all' ? tests.every((t) => t(zone)) : tests.some((t) => t(zone)),
  );
  const key = (zone: ZoneRecord): unknown => {
    switch (order) {
      case 'name':
        return zone.name;
      case 'status':
        return zone.status;
      case 'account.id':
        return cloudflare.account.id;
      case 'account.name':
        return cloudflare.account.name;
      case 'plan.id':
        return zone.plan;
    }
  };
  const sign = direction === 'desc' ? -1 : 1;
  selected.sort((a, b) => sign * compareValues(key(a), key(b)) || compareValues(a.name, b.name));
  const page = paginate(selected, spec);
  return ok(
    page.items.map((z) => zoneJson(cloudflare, z)),
    page.info,
  );
}

/** The `name` filter's operator syntax: `[op[_case_sensitive]:]value`, exact and case-insensitive by default. */
function nameFilter(raw: string): (name: string) => boolean {
  const match = /^(equal|not_equal|contains|starts_with|ends_with)(_case_sensitive)?:(.*)$/.exec(raw);
  const op = match?.[1] ?? 'equal';
  const sensitive = match?.[2] !== undefined;
  const wanted = match === null ? raw : (match[3] as string);
  const norm = (s: string) => (sensitive ? s : s.toLowerCase());
  return (name) => {
    const n = norm(name);
    const w = norm(wanted);
    switch (op) {
      case 'contains':
        return n.includes(w);
      case 'starts_with':
        return n.startsWith(w);
      case 'ends_with':
        return n.endsWith(w);
      case 'not_equal':
        return n !== w;
      default:
        return n === w;
    }
  };
}
