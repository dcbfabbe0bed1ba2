import { boolean, list, nullable, number, object, optional, record, type Shape, string, unknown } from '../../runtime/shape.js';

/**
 * What daffeinated reads from each Heroku response (api-types.ts), checked before use: a body
 * that lacks a field the diff or the apply needs is a clear ProviderError naming the endpoint and
 * the field (client.ts), never a TypeError or a wrong diff. Fields nobody reads are not checked.
 */

const named = object({ name: string });

export const APP: Shape<unknown> = object({
  id: string,
  name: string,
  maintenance: boolean,
  acm: boolean,
  region: named,
  build_stack: named,
  team: optional(nullable(named)),
  web_url: optional(nullable(string)),
});

/**
 * An object of strings. `{}` is an app without config vars; an empty body, a 204 or an error
 * object sent with 200 never reach this shape (exchange.ts), so "missing" is only ever read from
 * a complete answer: a generated secret is never made again because of a bad answer.
 */
export const CONFIG_VARS: Shape<unknown> = record(nullable(string));

export const FORMATION: Shape<unknown> = list(
  object({ id: string, type: string, quantity: number, size: string, dyno_size: optional(nullable(object({ name: optional(string) }))) }),
);

const ADDON_FIELDS = {
  id: string,
  name: string,
  config_vars: list(string),
  addon_service: named,
  plan: named,
  state: string,
  billed_price: optional(nullable(object({ cents: number, unit: string }))),
};
export const ADDON: Shape<unknown> = object(ADDON_FIELDS);
export const ADDONS: Shape<unknown> = list(ADDON);

/** `GET /apps`: a page of apps. */
export const APPS: Shape<unknown> = list(APP);

/** `GET /addons`: a page of the account's add-ons, each with the app it is billed to. */
export const ACCOUNT_ADDONS: Shape<unknown> = list(object({ ...ADDON_FIELDS, app: object({ id: string }) }));

export const BUILDPACKS: Shape<unknown> = list(object({ ordinal: number, buildpack: object({ url: string, name: optional(nullable(string)) }) }));

export const FEATURES: Shape<unknown> = list(object({ name: string, enabled: boolean }));

export const DOMAIN: Shape<unknown> = object({
  id: string,
  hostname: string,
  kind: string,
  cname: nullable(string),
  status: optional(string),
  acm_status: optional(nullable(string)),
  acm_status_reason: optional(nullable(string)),
});
export const DOMAINS: Shape<unknown> = list(DOMAIN);

export const DRAIN: Shape<unknown> = object({
  id: string,
  url: string,
  token: string,
  addon: optional(nullable(unknown)),
  created_at: optional(string),
});
export const DRAINS: Shape<unknown> = list(DRAIN);

export const WEBHOOK: Shape<unknown> = object({ id: string, url: string, created_at: optional(string) });
export const WEBHOOKS: Shape<unknown> = list(WEBHOOK);

export const PIPELINE: Shape<unknown> = object({ id: string, name: string });

/**
 * An uncoupled app is Heroku's 404 (`client.find` reads it as none); an answer without a coupling
 * id (an empty object, an error object) is an error, never "not coupled": read as that, the plan
 * would couple the app again.
 */
export const COUPLING: Shape<unknown> = object({ id: string, pipeline: object({ id: string, name: optional(string) }), stage: string });

/** `GET /pipeline-couplings`: a page of the account's couplings, each naming its app by id. */
export const COUPLINGS: Shape<unknown> = list(
  object({ id: string, app: object({ id: string }), pipeline: object({ id: string, name: optional(string) }), stage: string }),
);

export const RATE_LIMITS: Shape<unknown> = object({ remaining: number });
