import { isRecord, isUnknown, type Value } from '../model/value.js';

/** Plain JSON: what the view model holds instead of `Value` (no Unknown instances, no secrets). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** How an Unknown is displayed by the human and markdown renderers. */
export const UNKNOWN_TEXT = '(known after apply)';
/** What replaces a sensitive value in every format. */
export const SENSITIVE_TEXT = '(sensitive)';
/** The JSON stand-in for an Unknown. Deliberately carries no reason or reference. */
export const UNKNOWN_JSON: { readonly unknown: 'known after apply' } = { unknown: 'known after apply' };

/** Code-unit order: deterministic, unlike `localeCompare`, which depends on the process locale. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * One-line display of a value: strings quoted JSON-style, Unknown as "(known after apply)" (also when
 * nested), arrays as `["a", "b"]`, objects as `{"k": 1}` with keys sorted. Deterministic.
 * Must not be called on a sensitive value.
 */
export function formatValue(value: Value): string {
  if (isUnknown(value)) return UNKNOWN_TEXT;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${formatValue(value[k] as Value)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The value as plain JSON: Unknown becomes `{"unknown": "known after apply"}` and object keys are
 * sorted. Must not be called on a sensitive value.
 */
export function toJsonValue(value: Value): JsonValue {
  if (isUnknown(value)) return { ...UNKNOWN_JSON };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isRecord(value)) {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort(compareStrings)) out[key] = toJsonValue(value[key] as Value);
    return out;
  }
  return value as string | number | boolean | null;
}
