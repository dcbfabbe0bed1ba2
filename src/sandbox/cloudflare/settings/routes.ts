import type { World } from '../../world.js';
import { type CloudflareContext, type CloudflareRouter, zoneOf } from '../context.js';
import { CloudflareError, type ErrorEntry, invalidRequest, ok } from '../errors.js';
import { cfTime, type ZoneRecord } from '../model.js';
import { PLAN_LIMITS } from '../plans.js';
import { SETTINGS, type SettingDef, settingDef } from './catalog.js';

/**
 * Zone settings (reference/cloudflare-api.md §1.3): all at once, bulk edit with `{items: [{id,
 * value}]}`, one at a time. Errors, all HTTP 400 except reading an unknown setting (404): 1004
 * "Missing 'items'", 1006 "Unrecognized zone setting name: X", 1007 "Invalid value for zone
 * setting X" (1008 for `ssl_automatic_mode`; also for a value the plan does not offer, inferred),
 * 1057 "X cannot be modified for this zone" (the plan does not allow it; `editable: false`). A
 * bulk edit validates every item first and reports every problem; it changes nothing unless all
 * items are acceptable.
 */
export function registerSettings(router: CloudflareRouter): void {
  router.add('GET', '/zones/:zone_id/settings', (ctx) => {
    const zone = zoneOf(ctx);
    return ok(SETTINGS.filter((s) => s.listed).map((s) => settingJson(ctx.world, zone, s)));
  });
  router.add('PATCH', '/zones/:zone_id/settings', bulkEdit);
  router.add('GET', '/zones/:zone_id/settings/:setting_id', (ctx) => {
    const zone = zoneOf(ctx);
    const id = ctx.params['setting_id'] as string;
    const def = settingDef(id);
    if (def === undefined) throw new CloudflareError(404, unrecognized(id));
    return ok(settingJson(ctx.world, zone, def));
  });
  router.add('PATCH', '/zones/:zone_id/settings/:setting_id', (ctx) => {
    const zone = zoneOf(ctx);
    const body = ctx.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !('value' in body)) {
      throw invalidRequest("Missing 'value'");
    }
    const item = { id: ctx.params['setting_id'], value: (body as { value: unknown }).value };
    const [def] = validate(zone, [item], cfTime(ctx.world.clock()));
    return ok(settingJson(ctx.world, zone, def as SettingDef));
  });
}

/**
 * The bulk edit knows only the settings the bulk listing has: one it leaves out
 * (`ssl_automatic_mode`) is 1006 there, failing the whole PATCH, and is written through its own
 * endpoint (the real API answers 1006 for other single-endpoint settings in bulk; clients such as
 * terraform-provider-cloudflare send `ssl_automatic_mode` alone since PR #4465).
 */
function bulkEdit(ctx: CloudflareContext) {
  const zone = zoneOf(ctx);
  const items = (ctx.body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) throw invalidRequest("Missing 'items'");
  const defs = validate(zone, items, cfTime(ctx.world.clock()), { bulk: true });
  return ok(defs.map((def) => settingJson(ctx.world, zone, def)));
}

/**
 * Checks every `{id, value}` item against the catalogue and the zone's plan; when all pass,
 * stores the new values (stamping `modified_on` on those that changed) and returns their
 * definitions in item order. Otherwise throws one error entry per bad item.
 */
function validate(zone: ZoneRecord, items: readonly unknown[], now: string, how = { bulk: false }): SettingDef[] {
  const errors: ErrorEntry[] = [];
  const accepted: { def: SettingDef; value: unknown }[] = [];
  for (const item of items) {
    const { id, value } = (typeof item === 'object' && item !== null ? item : {}) as { id?: unknown; value?: unknown };
    const def = typeof id === 'string' ? settingDef(id) : undefined;
    if (def === undefined || (how.bulk && !def.listed)) {
      errors.push(unrecognized(String(id)));
      continue;
    }
    const next = value === undefined ? undefined : def.accept(value, currentValue(zone, def));
    const entitled = next === undefined || (def.entitled?.(next, PLAN_LIMITS[zone.plan]) ?? true);
    if (next === undefined || !entitled)
      errors.push({ code: def.invalidCode, message: `Invalid value for zone setting ${def.id}` });
    else if (!editable(zone, def)) errors.push({ code: 1057, message: `${def.id} cannot be modified for this zone` });
    else accepted.push({ def, value: next });
  }
  if (errors.length > 0) throw new CloudflareError(400, errors);
  return accepted.map(({ def, value }) => {
    if (JSON.stringify(value) !== JSON.stringify(currentValue(zone, def))) {
      zone.settings[def.id] = { value, modifiedOn: now };
    }
    return def;
  });
}

function unrecognized(id: string): ErrorEntry {
  return { code: 1006, message: `Unrecognized zone setting name: ${id}` };
}

function currentValue(zone: ZoneRecord, def: SettingDef): unknown {
  return zone.settings[def.id]?.value ?? def.initial;
}

function editable(zone: ZoneRecord, def: SettingDef): boolean {
  return def.minPlan !== null && PLAN_LIMITS[zone.plan].rank >= PLAN_LIMITS[def.minPlan].rank;
}

/**
 * `{id, value, editable, modified_on}`; `modified_on` is null until the setting is first changed.
 * In automatic mode `ssl_automatic_mode` also tells when the next origin scan is due.
 */
function settingJson(world: World, zone: ZoneRecord, def: SettingDef): Record<string, unknown> {
  const stored = zone.settings[def.id];
  const value = structuredClone(stored?.value ?? def.initial);
  const json: Record<string, unknown> = {
    id: def.id,
    value,
    editable: editable(zone, def),
    modified_on: stored?.modifiedOn ?? null,
  };
  if (def.id === 'ssl_automatic_mode' && value === 'auto') {
    json['next_scheduled_scan'] = cfTime(new Date(world.clock().getTime() + 24 * 3600 * 1000));
  }
  return json;
}
