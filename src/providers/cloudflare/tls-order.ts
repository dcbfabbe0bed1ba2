import type { Change, Edge, Ordering } from '../../engine/types.js';
import { awaitsCertificate, CERTIFICATE_STEP, PROXIED_STEP } from '../../model/certificate.js';
import type { Address } from '../../model/resource.js';
import { zoneOf } from './read.js';

/**
 * What Cloudflare's changes wait for while Heroku domains get their ACM certificates
 * (model/certificate.ts). `changes` are the plan's, every provider's.
 *
 * - A record written proxied that points at a domain waiting for its certificate (it depends on
 *   the domain) is applied in two steps: first DNS-only, with the zone's other records, so ACM can
 *   validate through it; then, in a later `proxied` step after the domain's `certificate` step,
 *   turned proxied. Before that, a proxied record would keep ACM from validating, and Full
 *   (strict) would answer 526.
 * - A zone's settings written to SSL mode `strict` wait for the certificate of every waiting
 *   domain in the zone, so the edge never validates an origin that has none yet.
 */
export function tlsOrdering(changes: readonly Change[]): Ordering {
  const waiting = new Map<Address, Change>(changes.filter(awaitsCertificate).map((change) => [change.address, change]));
  if (waiting.size === 0) return {};
  const steps: { address: Address; later: string[]; note: string }[] = [];
  const edges: Edge[] = [];
  const batches: NonNullable<Ordering['batches']>[number][] = [];
  for (const record of changes) {
    const domain = proxiedWaitingFor(record, waiting);
    if (domain === undefined) continue;
    const note = `written DNS-only first, turned proxied once ${domain} has its certificate (ACM cannot validate through the proxy; Full (strict) would answer 526)`;
    steps.push({ address: record.address, later: [PROXIED_STEP], note });
    edges.push({ before: { address: domain, step: CERTIFICATE_STEP }, after: { address: record.address, step: PROXIED_STEP } });
    batches.push({ step: { address: record.address, step: PROXIED_STEP }, key: { key: `dns ${zoneOf(record)}`, deletes: 'first' } });
  }
  for (const settings of changes.filter(becomesStrict)) {
    const zone = zoneOf(settings);
    for (const domain of waiting.values()) {
      const hostname = String(domain.action === 'delete' ? '' : domain.after.attributes['hostname']);
      if (hostname === zone || hostname.endsWith(`.${zone}`)) {
        edges.push({ before: { address: domain.address, step: CERTIFICATE_STEP }, after: { address: settings.address } });
      }
    }
  }
  return { steps, edges, batches };
}

/** The waiting domain a record change points at when it writes the record proxied. */
export function proxiedWaitingFor(change: Change, waiting: ReadonlyMap<Address, Change>): Address | undefined {
  if (change.kind !== 'cloudflare.dns' || change.action === 'delete' || change.after.attributes['proxied'] !== true) return undefined;
  return change.after.dependsOn?.find((address) => waiting.has(address));
}

function becomesStrict(change: Change): boolean {
  if (change.kind !== 'cloudflare.settings' || change.action === 'delete' || change.after.attributes['ssl'] !== 'strict') return false;
  return change.action === 'create' || change.before.attributes['ssl'] !== 'strict';
}
