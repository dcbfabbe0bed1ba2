/**
 * Checks of cache rule entries that the schema applies (as refinements), kept free of zod. The
 * shapes are Cloudflare's `set_cache_settings` action parameters, which app.yaml writes as the API
 * names them (developers.cloudflare.com/cache/how-to/cache-rules/settings).
 */
import type { Problem } from './checks.js';

/** `default` exactly when the mode is `override_origin` (the TTL that overrides the origin's). */
export function cacheTtlProblems(v: { readonly mode?: unknown; readonly default?: unknown }): Problem[] {
  if (v.mode === 'override_origin' && v.default === undefined) {
    return [
      {
        message: 'mode override_origin needs a default (seconds)',
        hint: 'e.g. { mode: override_origin, default: 86400 }',
      },
    ];
  }
  if (v.mode !== 'override_origin' && v.default !== undefined) {
    return [{ key: 'default', message: `default is only used with mode override_origin, not ${String(v.mode)}` }];
  }
  return [];
}

/** One status code or one range, from not above to. */
export function statusCodeTtlProblems(v: {
  readonly status_code_value?: unknown;
  readonly status_code_range?: { readonly from?: unknown; readonly to?: unknown } | undefined;
}): Problem[] {
  const range = v.status_code_range;
  if ((v.status_code_value === undefined) === (range === undefined)) {
    return [{ message: 'give exactly one of status_code_value and status_code_range' }];
  }
  if (range !== undefined && Number(range.from) > Number(range.to)) {
    return [{ key: 'status_code_range', message: `status_code_range goes from ${range.from} down to ${range.to}` }];
  }
  return [];
}

/** A query string part of a custom cache key: `all: true` or a `list`, not both. */
export function queryStringListProblems(v: { readonly all?: unknown; readonly list?: unknown }): Problem[] {
  if ((v.all === true) === (v.list !== undefined)) {
    return [{ message: 'give either all: true or a list of parameters' }];
  }
  return [];
}

/** `include` or `exclude`, not both. */
export function queryStringProblems(v: { readonly include?: unknown; readonly exclude?: unknown }): Problem[] {
  if ((v.include === undefined) === (v.exclude === undefined)) {
    return [{ message: 'give exactly one of include and exclude' }];
  }
  return [];
}
