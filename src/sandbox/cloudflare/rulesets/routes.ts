import { type CloudflareContext, type CloudflareRouter, limitsOf, zoneOf } from '../context.js';
import { CloudflareError, HEX32, invalidIdentifier, ok } from '../errors.js';
import { cfTime, type RulesetRecord, type ZoneRecord } from '../model.js';
import { RULESET_INVALID } from './checks.js';
import { MANAGED_LAST_UPDATED, MANAGED_RULESETS, MANAGED_VERSION, type ManagedRuleset } from './managed.js';
import { buildRules, ruleJson } from './rules.js';

/** Phases of the spec's enum that have zone-level entrypoints (the others are account-level). */
const ZONE_PHASES = [
  'ddos_l7',
  'http_config_settings',
  'http_custom_errors',
  'http_log_custom_fields',
  'http_ratelimit',
  'http_request_cache_settings',
  'http_request_dynamic_redirect',
  'http_request_firewall_custom',
  'http_request_firewall_managed',
  'http_request_late_transform',
  'http_request_origin',
  'http_request_redirect',
  'http_request_sanitize',
  'http_request_sbfm',
  'http_request_select_configuration',
  'http_request_transform',
  'http_response_compression',
  'http_response_firewall_managed',
  'http_response_headers_transform',
];

/**
 * The Rulesets API at zone level (reference/cloudflare-api.md §1.4): one entrypoint ruleset
 * (kind `zone`) per phase, read with GET (404, code 10003, until the phase has one) and replaced
 * whole with PUT (which creates it; every PUT is a new version; `?dry_run=true` validates only
 * and answers `result: null`); the list of the zone's rulesets (its entrypoints and the managed
 * rulesets it can execute, without rules, cursor-paged); one ruleset by id. The per-rule
 * endpoints, which the SDK offers and daffeinated does not use, are in `rule-routes.ts`.
 */
export function registerRulesets(router: CloudflareRouter): void {
  router.add('GET', '/zones/:zone_id/rulesets', listRulesets);
  router.add('GET', '/zones/:zone_id/rulesets/:ruleset_id', (ctx) => {
    const zone = zoneOf(ctx);
    const id = ctx.params['ruleset_id'] as string;
    if (!HEX32.test(id)) throw invalidIdentifier(ctx.path);
    const own = zone.rulesets.find((r) => r.id === id);
    if (own !== undefined) return ok(rulesetJson(own, true));
    const managed = MANAGED_RULESETS.find((r) => r.id === id);
    if (managed !== undefined) return ok({ ...managedJson(managed), rules: [] });
    throw new CloudflareError(404, { code: 10003, message: `could not find ruleset ${id}` });
  });
  router.add('GET', '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint', (ctx) => {
    const zone = zoneOf(ctx);
    const phase = phaseOf(ctx);
    const ruleset = zone.rulesets.find((r) => r.phase === phase);
    if (ruleset === undefined) {
      throw new CloudflareError(404, {
        code: 10003,
        message: `could not find entrypoint ruleset in the ${phase} phase`,
      });
    }
    return ok(rulesetJson(ruleset, true));
  });
  router.add('PUT', '/zones/:zone_id/rulesets/phases/:ruleset_phase/entrypoint', putEntrypoint);
}

function phaseOf(ctx: CloudflareContext): string {
  const phase = ctx.params['ruleset_phase'] as string;
  if (!ZONE_PHASES.includes(phase)) {
    throw new CloudflareError(400, { code: RULESET_INVALID, message: `'${phase}' is not a valid value for phase` });
  }
  return phase;
}

function putEntrypoint(ctx: CloudflareContext) {
  const zone = zoneOf(ctx);
  const phase = phaseOf(ctx);
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CloudflareError(400, { code: RULESET_INVALID, message: 'the request body must be a ruleset object' });
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!['rules', 'name', 'description'].includes(key)) {
      throw new CloudflareError(400, {
        code: RULESET_INVALID,
        message: `invalid JSON: unknown field ${key}`,
        source: { pointer: `/${key}` },
      });
    }
  }
  for (const key of ['name', 'description'] as const) {
    if (fields[key] !== undefined && typeof fields[key] !== 'string') {
      throw new CloudflareError(400, {
        code: RULESET_INVALID,
        message: `${key} must be a string`,
        source: { pointer: `/${key}` },
      });
    }
  }
  const current = zone.rulesets.find((r) => r.phase === phase);
  const now = cfTime(ctx.world.clock());
  const version = (current?.version ?? 0) + 1;
  const rng = { ...ctx.world.state.rng };
  let rules: RulesetRecord['rules'];
  try {
    rules = buildRules({ phase, limits: limitsOf(zone), current, version, now, ids: ctx.world.ids }, fields['rules']);
  } catch (error) {
    Object.assign(ctx.world.state.rng, rng);
    throw error;
  }
  if (ctx.query.get('dry_run') === 'true') {
    Object.assign(ctx.world.state.rng, rng);
    return ok(null);
  }
  const ruleset: RulesetRecord = {
    id: current?.id ?? ctx.world.ids.hex(32),
    phase,
    name: (fields['name'] as string | undefined) ?? current?.name ?? 'default',
    description: (fields['description'] as string | undefined) ?? current?.description ?? '',
    version,
    lastUpdated: now,
    rules,
  };
  zone.rulesets = [...zone.rulesets.filter((r) => r.phase !== phase), ruleset];
  return ok(rulesetJson(ruleset, true));
}

/** Zone entrypoints first (by phase), then the managed catalogue; `per_page` (default 50) per page. */
function listRulesets(ctx: CloudflareContext) {
  const zone: ZoneRecord = zoneOf(ctx);
  const all = [
    ...[...zone.rulesets].sort((a, b) => (a.phase < b.phase ? -1 : 1)).map((r) => rulesetJson(r, false)),
    ...MANAGED_RULESETS.map(managedJson),
  ];
  const perPage = Number(ctx.query.get('per_page') ?? 50);
  const offset = decodeCursor(ctx.query.get('cursor'));
  if (!Number.isInteger(perPage) || perPage < 1 || offset === undefined) {
    throw new CloudflareError(400, { code: RULESET_INVALID, message: 'invalid cursor or per_page' });
  }
  const page = all.slice(offset, offset + perPage);
  const next = offset + perPage < all.length ? Buffer.from(String(offset + perPage)).toString('base64url') : undefined;
  return ok(page, next === undefined ? undefined : { cursor: next });
}

function decodeCursor(cursor: string | null): number | undefined {
  if (cursor === null || cursor === '') return 0;
  const offset = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

export function rulesetJson(ruleset: RulesetRecord, withRules: boolean): Record<string, unknown> {
  return {
    id: ruleset.id,
    name: ruleset.name,
    description: ruleset.description,
    kind: 'zone',
    version: String(ruleset.version),
    ...(withRules ? { rules: ruleset.rules.map(ruleJson) } : {}),
    last_updated: ruleset.lastUpdated,
    phase: ruleset.phase,
  };
}

function managedJson(managed: ManagedRuleset): Record<string, unknown> {
  return {
    id: managed.id,
    name: managed.name,
    description: managed.description,
    source: 'firewall_managed',
    kind: 'managed',
    version: MANAGED_VERSION,
    last_updated: MANAGED_LAST_UPDATED,
    phase: managed.phase,
  };
}
