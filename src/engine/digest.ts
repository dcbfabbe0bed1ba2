import { createHash, createHmac } from 'node:crypto';
import type { Address, Resource } from '../model/resource.js';
import { canonicalForm, canonicalJson, type Value } from '../model/value.js';
import { InternalError } from '../runtime/errors.js';
import { compareStrings, sortedUnique } from './collections.js';
import type { DesiredState, LiveState } from './types.js';

/**
 * Keyed hash of a secret value: `hmac-sha256:` + HMAC-SHA256 (hex) of the value's canonical JSON
 * (an Unknown hashes as `{"unknown": reason}`). Equal values under one key hash equally, so a
 * changed secret changes a digest, while the hash reveals nothing without the key.
 */
export function secretHash(value: Value, key: string): string {
  if (key === '') throw new InternalError('the digest key must not be empty');
  return `hmac-sha256:${createHmac('sha256', key).update(canonicalJson(value)).digest('hex')}`;
}

/**
 * sha256 (hex) digests of the desired state (resources and prune list) and of the live state
 * (resources and deferrals). Order-independent: resources are sorted by address, sets (`sensitive`,
 * `replaceOn`, `dependsOn`, `prune`) sorted; source locations are left out, so moving a line in
 * app.yaml does not make a saved plan stale. An attribute that either side marks sensitive
 * enters the digest only as its `secretHash`, never raw.
 */
export function stateDigests(desired: DesiredState, live: LiveState, key: string): { desired: string; live: string } {
  if (key === '') throw new InternalError('the digest key must not be empty');
  const sensitive = sensitiveByAddress([...desired.resources, ...live.resources]);
  const desiredForm = { prune: sortedUnique(desired.prune), resources: digestForms(desired.resources, sensitive, key) };
  const liveForm = {
    deferred: canonicalForm(
      [...live.deferred].sort((a, b) => compareStrings(a.address, b.address) || compareStrings(a.reason, b.reason)),
    ),
    resources: digestForms(live.resources, sensitive, key),
  };
  // Keys in sorted order at every level: plain JSON is the forms' canonical JSON.
  return { desired: sha256(JSON.stringify(desiredForm)), live: sha256(JSON.stringify(liveForm)) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Sensitive attribute names by address, either side; addresses without any are absent. */
function sensitiveByAddress(resources: readonly Resource[]): Map<Address, Set<string>> {
  const result = new Map<Address, Set<string>>();
  for (const resource of resources) {
    if (resource.sensitive.length === 0) continue;
    const names = result.get(resource.address) ?? new Set<string>();
    for (const name of resource.sensitive) names.add(name);
    result.set(resource.address, names);
  }
  return result;
}

function digestForms(
  resources: readonly Resource[],
  sensitive: ReadonlyMap<Address, ReadonlySet<string>>,
  key: string,
): unknown[] {
  return [...resources]
    .sort((a, b) => compareStrings(a.address, b.address))
    .map((resource) => {
      const secret = sensitive.get(resource.address);
      const attributes: { [name: string]: unknown } = {};
      for (const name of Object.keys(resource.attributes).sort()) {
        const value = resource.attributes[name];
        if (value !== undefined) attributes[name] = secret?.has(name) ? secretHash(value, key) : canonicalForm(value);
      }
      // Canonical form (see `canonicalForm`): keys in sorted order, undefined ones left out of the JSON.
      return {
        address: resource.address,
        attributes,
        dependsOn: resource.dependsOn === undefined ? undefined : sortedUnique(resource.dependsOn),
        exclusive: resource.exclusive,
        kind: resource.kind,
        protect: resource.protect,
        provider: resource.provider,
        replaceOn: resource.replaceOn === undefined ? undefined : sortedUnique(resource.replaceOn),
        scope: resource.scope,
        sensitive: sortedUnique(resource.sensitive),
      };
    });
}
