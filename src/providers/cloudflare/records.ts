import type { Address, Resource } from '../../model/resource.js';
import type { LiveRecord } from './convert.js';
import { dnsAddress, ownershipComment } from './dns-names.js';

/** Which live records of a zone a read reports, and as whose. */
export interface RecordScope {
  readonly zone: string;
  /** Environments being planned. */
  readonly planned: ReadonlySet<string>;
  /** Whether the zone's owner is planned: only then are foreign records reported. */
  readonly ownerPlanned: boolean;
}

/**
 * Gives each live record of a zone the address and scope the engine compares it under:
 *
 * 1. A declared record (desired) is matched by type, name and content; such a record is ours
 *    whether or not its comment has the marker. Without it, it is adopted in place: when its
 *    comment is the declared one, the missing marker alone is not a change (so importing a zone
 *    plans empty); the marker is written with the record's next real change. Until then it is
 *    ours by declaration only, so removing it from app.yaml leaves it alone rather than deleting
 *    it. It takes the desired resource's address and scope.
 * 2. A declared record that is its group's only one (its address names no content) also takes
 *    over a record whose content changed: first one marked for the same environment, then one
 *    marked for another, and — for a CNAME, which cannot coexist with another — an unmarked one.
 *    Multi-valued types (TXT, MX, A…) never take over an unmarked record with other content: a
 *    hand-made TXT at the apex stays, and the declared one is created next to it.
 * 3. Other records marked for a planned environment are that environment's, undeclared: with the
 *    environment's prune key the engine deletes them. Records marked for environments not planned
 *    are left out (another plan's business).
 * 4. Unmarked, undeclared records are foreign: reported in the scope named after the zone (which
 *    nothing prunes, so the engine lists them as unmanaged and never touches them), and only when
 *    the zone's owner is planned.
 *
 * Records outside rule 1 get the plain address when they are the only record of their type and
 * name and nothing is declared there, else `#<content>` (and ` (<id>)` for identical contents).
 */
export function assignRecords(scope: RecordScope, live: readonly LiveRecord[], desired: readonly Resource[]): Resource[] {
  const wantedByGroup = groupBy(desired, (r) => `${String(r.attributes['type'])}/${String(r.attributes['name'])}`);
  const out: Resource[] = [];
  const used = new Set<Address>();
  const emit = (address: Address, owner: string, record: LiveRecord) => {
    const unique = used.has(address) ? dnsAddress(scope.zone, record.type, record.name, `${record.content} (${record.id})`) : address;
    used.add(unique);
    out.push({ address: unique, provider: 'cloudflare', kind: 'cloudflare.dns', scope: owner, attributes: record.attributes, sensitive: [] });
  };
  for (const [key, records] of groupBy(live, (r) => `${r.type}/${r.name}`)) {
    const wanted = wantedByGroup.get(key) ?? [];
    const remaining = [...records].sort((a, b) => compare(a.content, b.content) || compare(a.id, b.id));
    const take = (accept: (record: LiveRecord) => boolean): LiveRecord | undefined => {
      const index = remaining.findIndex(accept);
      return index < 0 ? undefined : remaining.splice(index, 1)[0];
    };
    const unmatched: Resource[] = [];
    for (const resource of wanted) {
      const content = resource.attributes['content'];
      const match = typeof content === 'string' ? take((r) => r.content === content) : undefined;
      if (match === undefined) unmatched.push(resource);
      else emit(resource.address, resource.scope, adoptedInPlace(match, resource));
    }
    for (const resource of unmatched) {
      const type = String(resource.attributes['type']);
      if (resource.address !== dnsAddress(scope.zone, type, String(resource.attributes['name']))) continue;
      const match =
        take((r) => r.owner === resource.scope) ??
        take((r) => r.owner !== undefined) ??
        (type === 'CNAME' ? take(() => true) : undefined);
      if (match !== undefined) emit(resource.address, resource.scope, match);
    }
    for (const record of remaining) {
      const owner = record.owner === undefined ? (scope.ownerPlanned ? scope.zone : undefined) : scope.planned.has(record.owner) ? record.owner : undefined;
      if (owner === undefined) continue;
      const plain = records.length === 1 && wanted.length === 0;
      emit(dnsAddress(scope.zone, record.type, record.name, plain ? undefined : record.content), owner, record);
    }
  }
  return out;
}

/** An unmarked record whose comment is the declared one reads as if it carried the marker. */
function adoptedInPlace(record: LiveRecord, desired: Resource): LiveRecord {
  if (record.owner !== undefined) return record;
  const declared = desired.attributes['comment'];
  if (typeof declared !== 'string' || ownershipComment(desired.scope, String(record.attributes['comment'] ?? '') || undefined) !== declared) return record;
  return { ...record, attributes: { ...record.attributes, comment: declared } };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
