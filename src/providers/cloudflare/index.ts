import type { Change, CostEstimate, LiveState, Ordering } from '../../engine/types.js';
import type { ApplyContext, ApplyResult, CachePurger, Provider, PurgeSelection, ReadScope, ZonePurged } from '../provider.js';
import { applyCloudflare } from './apply.js';
import type { CloudflareClient } from './client.js';
import { type ImportedZone, importZone } from './import.js';
import { zonePlanCosts } from './cost.js';
import { CLOUDFLARE_KINDS } from './kinds.js';
import { purgeZone } from './purge.js';
import { tlsOrdering } from './tls-order.js';
import { readCloudflare, type ZoneOwners, type ZoneSnapshot, zoneOf } from './read.js';

export type { ZoneOwners } from './read.js';

/**
 * The Cloudflare provider: DNS records, zone TLS settings and WAF phases of the zones declared in
 * app.yaml (`zones` maps each to its owner environment). The same code runs against
 * api.cloudflare.com and the sandbox (only the client's base URL differs).
 *
 * Ownership without a state file: a record whose comment carries `managed by daffeinated (<env>)`
 * is ours and belongs to that environment; a declared record without it is adopted; any other
 * record is reported unmanaged in the scope named after the zone and never written. In a WAF
 * phase, rules whose ref starts with `daffeinated:` are ours; the rest are kept on every write.
 */
export class CloudflareProvider implements Provider, CachePurger {
  readonly id = 'cloudflare' as const;
  readonly kinds = CLOUDFLARE_KINDS;
  private readonly client: CloudflareClient;
  private readonly zones: ZoneOwners;
  private readonly snapshots = new Map<string, ZoneSnapshot>();

  constructor(client: CloudflareClient, zones: ZoneOwners) {
    this.client = client;
    this.zones = zones;
  }

  async read(scope: ReadScope): Promise<LiveState> {
    const { snapshots, ...live } = await readCloudflare(this.client, this.zones, scope);
    for (const [zone, snapshot] of snapshots) this.snapshots.set(zone, snapshot);
    return live;
  }

  apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult> {
    return applyCloudflare(this.client, this.snapshots, changes, context);
  }

  /**
   * A zone's DNS changes are one batch, applied once the Heroku domains they point at exist: they
   * are written together from the read's snapshot, not as records without dependencies first and
   * the CNAMEs later after listing the zone again. Its deletes go `first` into the same batch
   * (dns-apply.ts runs every delete before any post), so a record swapped for one of another type
   * under the same name (A → CNAME) is removed before its successor is posted. Settings and each
   * WAF phase are one change each already. Records and settings that wait for Heroku's
   * certificates: tls-order.ts.
   */
  ordering(changes: readonly Change[]): Ordering {
    const tls = tlsOrdering(changes);
    return {
      batches: [
        ...changes
          .filter((change) => change.kind === 'cloudflare.dns')
          .map((change) => ({ step: { address: change.address }, key: { key: `dns ${zoneOf(change)}`, deletes: 'first' as const } })),
        ...(tls.batches ?? []),
      ],
      steps: tls.steps ?? [],
      edges: tls.edges ?? [],
    };
  }

  /** Each declared zone's plan at its monthly price, from the zone's own `plan` (see cost.ts). */
  costNow(): Promise<CostEstimate> {
    return zonePlanCosts(this.client, [...this.zones.keys()]);
  }

  /** Purges a zone's cache, batched within its plan (see purge.ts). */
  purge(zone: string, selection: PurgeSelection): Promise<ZonePurged> {
    return purgeZone(this.client, zone, selection);
  }

  /** The app.yaml section describing a live zone (see import.ts). */
  importZone(zone: string, owner: string, skipNames: ReadonlySet<string>): Promise<ImportedZone> {
    return importZone(this.client, zone, owner, skipNames);
  }
}
