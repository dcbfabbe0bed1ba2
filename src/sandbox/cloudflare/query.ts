import { invalidRequest, type ResultInfo } from './errors.js';

/**
 * Query-string handling shared by the listings: `page`/`per_page` pagination with
 * `result_info` (an out-of-range page is an empty `result`, which is what ends the SDK's
 * auto-pagination), enums, booleans and the `field.op=value` string filters.
 */
export interface PageSpec {
  readonly page: number;
  readonly perPage: number;
}

/**
 * `page` (integer ≥ 1, default 1) and `per_page` (integer, default `fallback`). A `per_page`
 * outside [min, max] is clamped rather than refused; `result_info.per_page` tells the caller
 * what it got. Anything that is not a positive integer is a 400.
 */
export function pageSpec(query: URLSearchParams, fallback: number, min: number, max: number): PageSpec {
  const page = positiveInteger(query, 'page') ?? 1;
  const asked = positiveInteger(query, 'per_page') ?? fallback;
  return { page, perPage: Math.min(max, Math.max(min, asked)) };
}

function positiveInteger(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw invalidRequest(`Invalid ${name}: must be an integer of at least 1`);
  return value;
}

export function paginate<T>(items: readonly T[], spec: PageSpec): { items: T[]; info: ResultInfo } {
  const start = (spec.page - 1) * spec.perPage;
  const slice = items.slice(start, start + spec.perPage);
  return {
    items: slice,
    info: {
      page: spec.page,
      per_page: spec.perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.ceil(items.length / spec.perPage),
    },
  };
}

export function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${values.join(', ')}`);
  }
  return raw as T;
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidRequest(`Invalid ${name}: must be true or false`);
  return raw === 'true';
}

export const STRING_OPS = ['exact', 'contains', 'startswith', 'endswith'] as const;
export type StringOp = (typeof STRING_OPS)[number];

/** Case-insensitive string comparison for the `field.op` filters. */
export function matches(op: StringOp, actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (op) {
    case 'exact':
      return a === e;
    case 'contains':
      return a.includes(e);
    case 'startswith':
      return a.startsWith(e);
    case 'endswith':
      return a.endsWith(e);
  }
}

/** Compares for sorting: numbers numerically, booleans false first, strings by code point. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
