/**
 * A value not known until apply, e.g. a Heroku domain's DNS target or a secret generated on first
 * apply. Rendered as "(known after apply)".
 *
 * `preserveLive`: when the live side already has a value, that value is the desired one (a generated
 * secret is made once and never regenerated). `generate` tells the provider how to make the value.
 */
export class Unknown {
  readonly reason: string;
  readonly preserveLive: boolean;
  readonly generate: { readonly kind: 'secret'; readonly bytes: number } | undefined;
  /** Address and attribute whose applied value fills this one (cross-resource references). */
  readonly ref: { readonly address: string; readonly attribute: string } | undefined;
  constructor(
    reason: string,
    options: {
      preserveLive?: boolean;
      generate?: { kind: 'secret'; bytes: number };
      ref?: { address: string; attribute: string };
    } = {},
  ) {
    this.reason = reason;
    this.preserveLive = options.preserveLive ?? false;
    this.generate = options.generate;
    this.ref = options.ref;
  }
  toJSON(): { unknown: string } {
    return { unknown: this.reason };
  }
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Unknown | readonly Value[] | { readonly [key: string]: Value };

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isRecord(value: unknown): value is { readonly [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** True when a value, or anything nested in it, is Unknown. */
export function containsUnknown(value: Value): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Structural equality; Unknown equals nothing (not even another Unknown). */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return !isUnknown(a);
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (isUnknown(a) || isUnknown(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item: Value, i: number) => valuesEqual(item, b[i] as Value));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Canonical JSON: object keys sorted, Unknown as `{"unknown": reason}`, `undefined` properties
 * dropped. Deterministic input for digests and golden files; `space` indents as in JSON.stringify.
 */
export function canonicalJson(value: unknown, space?: number): string {
  return JSON.stringify(canonicalForm(value), null, space);
}

/**
 * What `canonicalJson` serializes: a copy with object keys sorted (assigned in sorted order to a
 * plain object), Unknowns as `{unknown: reason}`, `undefined` properties dropped. Plain
 * `JSON.stringify` of a structure of such copies, whose own keys are added in sorted order, gives
 * its canonical JSON without copying it again.
 */
export function canonicalForm(value: unknown): unknown {
  return sortKeysDeep(value);
}

function sortKeysDeep(value: unknown): unknown {
  if (value instanceof Unknown) return value.toJSON();
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out;
  }
  return value;
}
