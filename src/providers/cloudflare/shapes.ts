import { boolean, list, nullable, number, object, optional, type Shape, string, unknown } from '../../runtime/shape.js';

/**
 * What daffeinated reads from each Cloudflare result (api-types.ts), checked in client.ts before
 * use: a record without `name`, a settings result that is not a list or a rule that is not an
 * object is a ProviderError naming the endpoint and the field, never a TypeError or a wrong diff.
 * Each shape is of the envelope as sent (`{result: …}`), before the SDK unwraps it: the SDK turns
 * a listing whose `result` is missing or null into an empty list, which would read as "the zone
 * has no records" and plan to create them all again.
 */

const ZONE = object({ id: string, name: string, status: optional(string) });
export const ZONE_PAGE: Shape<unknown> = object({ result: list(ZONE) });

const RECORD = object({
  id: string,
  type: string,
  name: string,
  content: optional(string),
  data: optional(object({})),
  ttl: optional(number),
  proxied: optional(boolean),
  priority: optional(number),
  comment: optional(nullable(string)),
});
export const RECORD_PAGE: Shape<unknown> = object({ result: list(RECORD) });

const ONE_SETTING = object({ id: string, value: unknown, editable: optional(boolean) });
export const SETTING: Shape<unknown> = object({ result: ONE_SETTING });
export const SETTINGS: Shape<unknown> = object({ result: list(ONE_SETTING) });

/**
 * A rule without an id is no rule the API keeps: read as live, it would be planned as missing and
 * the phase rewritten; it is an unexpected body instead.
 */
const RULE = object({
  id: string,
  ref: optional(string),
  action: optional(string),
  expression: optional(string),
  description: optional(string),
  enabled: optional(boolean),
});
export const PHASE: Shape<unknown> = object({ result: object({ rules: optional(list(RULE)) }) });

/** A purge's answer: its id (result null would mean it was not accepted). */
export const PURGED: Shape<unknown> = object({ result: object({ id: string }) });
