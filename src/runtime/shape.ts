/**
 * Small structural checks for API responses. The providers declare what they read from each
 * response (api-types.ts) and check it here before converting, so a response of the wrong shape
 * (an array for an object, a missing `type` or `plan`, a number for a name) becomes a clear error
 * naming the field instead of a TypeError deep in a diff, or worse, a wrong diff. Only what is read
 * is checked; unexpected extra fields are ignored, as the APIs add fields over time.
 */

/** Returns what is wrong with `value` (at `path`, e.g. `$[2].plan.name`), or undefined when it fits. */
export type Shape<T> = ((value: unknown, path: string) => string | undefined) & { readonly __type?: T };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function primitive<T>(name: string, test: (value: unknown) => boolean): Shape<T> {
  return (value, path) => (test(value) ? undefined : `${path} is ${value === undefined ? 'missing' : describe(value)}, not ${name}`);
}

export const string: Shape<string> = primitive('a string', (v) => typeof v === 'string');
export const number: Shape<number> = primitive('a number', (v) => typeof v === 'number' && Number.isFinite(v));
export const boolean: Shape<boolean> = primitive('true or false', (v) => typeof v === 'boolean');
/** Anything, present or not (a value passed through unchecked, e.g. a zone setting's value). */
export const unknown: Shape<unknown> = () => undefined;

/** `inner`, or null. */
export function nullable<T>(inner: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? undefined : inner(value, path));
}

/** `inner`, or absent (undefined). */
export function optional<T>(inner: Shape<T>): Shape<T | undefined> {
  return (value, path) => (value === undefined ? undefined : inner(value, path));
}

/** A list whose every item is `item`. */
export function list<T>(item: Shape<T>): Shape<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} is ${value === undefined ? 'missing' : describe(value)}, not a list`;
    for (const [index, entry] of value.entries()) {
      const problem = item(entry, `${path}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** An object (not a list, not null) with at least these fields. */
export function object<T>(fields: { readonly [K in keyof T]-?: Shape<T[K]> }): Shape<T> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${path} is ${value === undefined ? 'missing' : describe(value)}, not an object`;
    for (const [name, check] of Object.entries(fields) as [string, Shape<unknown>][]) {
      const problem = check((value as Record<string, unknown>)[name], `${path}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** An object whose every value is `item` (e.g. config vars: string or null). */
export function record<T>(item: Shape<T>): Shape<Record<string, T>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${path} is ${value === undefined ? 'missing' : describe(value)}, not an object`;
    for (const [name, entry] of Object.entries(value)) {
      const problem = item(entry, `${path}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** What is wrong with `value` as a `shape`, or undefined; paths start at `$`. */
export function shapeProblem<T>(value: unknown, shape: Shape<T>): string | undefined {
  return shape(value, '$');
}
