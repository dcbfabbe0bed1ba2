import type { Address, Resource } from '../model/resource.js';
import { containsUnknown, isRecord, isUnknown, type Value } from '../model/value.js';
import type { Change } from './types.js';

/** Values of resources' attributes, keyed by address: apply outputs, or live values at plan time. */
export type Outputs = ReadonlyMap<Address, { readonly [attribute: string]: Value }>;

/** Addresses that the resource's Unknowns refer to (`ref`, at any depth), in the order met, repeats included. */
export function referencedAddresses(resource: Resource): Address[] {
  const addresses: Address[] = [];
  const visit = (value: Value): void => {
    if (isUnknown(value)) {
      if (value.ref !== undefined) addresses.push(value.ref.address);
    } else if (Array.isArray(value)) {
      for (const item of value as readonly Value[]) visit(item);
    } else if (isRecord(value)) {
      for (const item of Object.values(value)) visit(item);
    }
  };
  for (const value of Object.values(resource.attributes)) visit(value);
  return addresses;
}

/**
 * Replaces every Unknown that has a `ref` (at any depth, inside arrays and records) with the
 * referenced output value when `outputs` has it; other Unknowns and values are kept. Returns the
 * same object when nothing was replaced, so callers can detect progress by identity.
 */
export function resolveUnknowns(resource: Resource, outputs: Outputs): Resource {
  let replaced = false;
  const attributes: { [name: string]: Value } = {};
  for (const [name, value] of Object.entries(resource.attributes)) {
    const resolved = resolveValue(value, outputs);
    if (resolved !== value) replaced = true;
    attributes[name] = resolved;
  }
  return replaced ? { ...resource, attributes } : resource;
}

function resolveValue(value: Value, outputs: Outputs): Value {
  if (isUnknown(value)) {
    if (value.ref === undefined) return value;
    const output = outputs.get(value.ref.address);
    const resolved =
      output !== undefined && Object.hasOwn(output, value.ref.attribute) ? output[value.ref.attribute] : undefined;
    return resolved === undefined ? value : resolved;
  }
  if (Array.isArray(value)) {
    const items = value.map((item: Value) => resolveValue(item, outputs));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, item]): [string, Value] => [key, resolveValue(item, outputs)]);
    return entries.some(([key, item]) => item !== value[key]) ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * What a plan can already know about values after apply: for every live resource that the changes
 * leave in place (no change, or an update), its live attributes that the update does not touch.
 * Resources being replaced or deleted, and attributes being changed, are absent: their values are
 * only known after apply. Values containing Unknown are never outputs.
 */
export function liveOutputs(live: ReadonlyMap<Address, Resource>, changes: readonly Change[]): Outputs {
  const byAddress = new Map(changes.map((change) => [change.address, change]));
  const outputs = new Map<Address, { [attribute: string]: Value }>();
  for (const [address, resource] of live) {
    const change = byAddress.get(address);
    if (change !== undefined && change.action !== 'update') continue;
    const touched = new Set(change === undefined ? [] : change.diffs.map((diff) => diff.attribute));
    const values: { [attribute: string]: Value } = {};
    for (const [name, value] of Object.entries(resource.attributes)) {
      if (!touched.has(name) && !containsUnknown(value)) values[name] = value;
    }
    outputs.set(address, values);
  }
  return outputs;
}
