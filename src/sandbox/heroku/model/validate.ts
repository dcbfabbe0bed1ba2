import { invalidParams } from '../protocol/errors.js';

/**
 * Request-body checks that answer like the API: 422 `invalid_params` naming the offending field.
 * Unknown fields are ignored, as Heroku does (the official CLI sends some the schema lacks).
 */
export type Body = Readonly<Record<string, unknown>>;

/** The body as an object; an absent body counts as `{}`. */
export function objectBody(body: unknown): Body {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidParams('Request body must be a JSON object.');
  return body as Body;
}

export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParams(`Invalid params: ${field} must be a string.`);
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParams(`Invalid params: ${field} must be a boolean.`);
  return value;
}

export function optionalObject(body: Body, field: string): Body | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalidParams(`Invalid params: ${field} must be an object.`);
  return value as Body;
}

export function optionalStringArray(body: Body, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw invalidParams(`Invalid params: ${field} must be an array of strings.`);
  }
  return value as string[];
}

/** A reference given as a string or as `{id}` / `{name}` (e.g. `stack`, `build_stack`). */
export function optionalIdentity(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const ref = value as Body;
    const picked = ref['id'] ?? ref['name'];
    if (typeof picked === 'string') return picked;
  }
  throw invalidParams(`Invalid params: ${field} must be a name, an id, or an object with one of them.`);
}
