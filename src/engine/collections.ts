import type { Address, Resource } from '../model/resource.js';
import { InternalError } from '../runtime/errors.js';

/** Locale-independent string order (UTF-16 code units), so plans sort the same on every machine. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sorted copy without duplicates. */
export function sortedUnique(values: readonly string[]): string[] {
  if (values.length < 2) return [...values];
  return [...new Set(values)].sort(compareStrings);
}

/** Resources keyed by address; two resources at one address are a bug in whoever built the list. */
export function indexByAddress(resources: readonly Resource[], side: 'desired' | 'live'): Map<Address, Resource> {
  const byAddress = new Map<Address, Resource>();
  for (const resource of resources) {
    if (byAddress.has(resource.address)) {
      throw new InternalError(`two ${side} resources have the address ${resource.address}`);
    }
    byAddress.set(resource.address, resource);
  }
  return byAddress;
}
