import { createHash, createHmac } from 'node:crypto';
import type { Address, Resource } from '../model/resource.js';
import { canonicalJson, type Value } from '../model/value.js';
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
    deferred: [...live.deferred].sort(
      (a, b) => compareStrings(a.address, b.address) || compareStrings(a.reason, b.reason),
    ),
    resources: digestForms(live.resources, sensitive, key),
  };
  return { desired: sha256(canonicalJson(desiredForm)), live: sha256(canonicalJson(liveForm)) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sensitiveByAddress(resources: readonly Resource[]): Map<Address, Set<string>> {
  const result = new Map<Address, Set<string>>();
  for (const resource of resources) {
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
      const secret = sensitive.get(resource.address) as ReadonlySet<string>;
      const attributes: { [name: string]: Value } = {};
      for (const [name, value] of Object.entries(resource.attributes)) {
        if (value !== undefined) attributes[name] = secret.has(name) ? secretHash(value, key) : value;
      }
      return {
        address: resource.address,
        provider: resource.provider,
        kind: resource.kind,
        scope: resource.scope,
        attributes,
        sensitive: sortedUnique(resource.sensitive),
        exclusive: resource.exclusive,
        protect: resource.protect,
        replaceOn: resource.replaceOn === undefined ? undefined : sortedUnique(resource.replaceOn),
        dependsOn: resource.dependsOn === undefined ? undefined : sortedUnique(resource.dependsOn),
      };
    });
}
