import type { AttributeDiff } from '../engine/types.js';
import type { SourceLocation } from '../model/resource.js';
import { isRecord, type Value, valuesEqual } from '../model/value.js';

type Keyed = { readonly [key: string]: Value };

/**
 * A list of records that each carry a string `ref` (WAF rules, rate limits) compared rule by rule:
 * one diff per changed field of a rule both sides have (`rules[<ref>].expression`), one per rule
 * only one side has (`rules[<ref>]`). Undefined when the diff is not such a list, or when the lists
 * hold the same rules in another order (the whole value then shows, as the order is the change).
 * Keeps the diff's `sensitive`; each part's source is its rule's (`sourceOf(ref)`), else the diff's.
 */
export function splitKeyedList(
  diff: AttributeDiff,
  sourceOf: (ref: string) => SourceLocation | undefined = () => undefined,
): AttributeDiff[] | undefined {
  const before = keyedByRef(diff.before);
  const after = keyedByRef(diff.after);
  if (before === undefined || after === undefined) return undefined;
  const parts: AttributeDiff[] = [];
  const part = (ref: string, attribute: string, from: Value | undefined, to: Value | undefined): AttributeDiff => {
    const source = sourceOf(ref) ?? diff.source;
    return {
      attribute,
      ...(from === undefined ? {} : { before: from }),
      ...(to === undefined ? {} : { after: to }),
      sensitive: diff.sensitive,
      ...(source === undefined ? {} : { source }),
    };
  };
  for (const [ref, rule] of after) {
    const old = before.get(ref);
    const name = `${diff.attribute}[${ref}]`;
    if (old === undefined) {
      parts.push(part(ref, name, undefined, rule));
      continue;
    }
    for (const field of [...new Set([...Object.keys(rule), ...Object.keys(old)])].sort()) {
      if (!valuesEqual(old[field], rule[field])) parts.push(part(ref, `${name}.${field}`, old[field], rule[field]));
    }
  }
  for (const [ref, rule] of before) if (!after.has(ref)) parts.push(part(ref, `${diff.attribute}[${ref}]`, rule, undefined));
  return parts.length === 0 ? undefined : parts;
}

/** The records by `ref`, in list order; undefined unless every item is a record with a unique string `ref`. */
function keyedByRef(value: Value | undefined): Map<string, Keyed> | undefined {
  if (!Array.isArray(value)) return undefined;
  const byRef = new Map<string, Keyed>();
  for (const item of value as readonly Value[]) {
    if (!isRecord(item) || typeof item['ref'] !== 'string' || byRef.has(item['ref'])) return undefined;
    byRef.set(item['ref'], item);
  }
  return byRef;
}
