import type { Reply } from '../http.js';
import type { Params, Router } from '../router.js';
import type { World } from '../world.js';
import { HEX32, invalidIdentifier, unknownObject } from './errors.js';
import type { ZoneRecord } from './model.js';
import { PLAN_LIMITS, type PlanLimits } from './plans.js';

/** What a Cloudflare route handler receives; credentials, rate limit and JSON parsing are done. */
export interface CloudflareContext {
  readonly world: World;
  readonly params: Params;
  readonly query: URLSearchParams;
  /** Parsed JSON body, `undefined` when the request had none. */
  readonly body: unknown;
  /** The request path below `/client/v4`, for error messages. */
  readonly path: string;
}

export type CloudflareHandler = (ctx: CloudflareContext) => Reply;
/** Patterns are relative to `/client/v4` and name their parameters as the OpenAPI spec does. */
export type CloudflareRouter = Router<CloudflareHandler>;

/** The zone of `:zone_id`: 400 (7003 + 7000) when the id is malformed, 404 (7003) when unknown. */
export function zoneOf(ctx: CloudflareContext): ZoneRecord {
  const id = ctx.params['zone_id'] as string;
  if (!HEX32.test(id)) throw invalidIdentifier(ctx.path);
  const zone = ctx.world.state.cloudflare.zones.find((z) => z.id === id);
  if (zone === undefined) throw unknownObject(ctx.path);
  return zone;
}

export function limitsOf(zone: ZoneRecord): PlanLimits {
  return PLAN_LIMITS[zone.plan];
}
