import type { Change, Edge, Ordering } from '../../engine/types.js';
import { awaitsCertificate, CERTIFICATE_STEP } from '../../model/certificate.js';
import type { ResourceKind } from '../../model/resource.js';
import { CERTIFICATE_TIMEOUT_MS } from './certificate.js';
import { assertNever, InternalError } from '../../runtime/errors.js';

/**
 * How the engine orders Heroku changes, beyond `dependsOn` (`Provider.ordering`).
 *
 * Creates and updates need nothing more: the desired resources' `dependsOn` already put the app
 * first, then features, buildpacks, config vars (one change, one PATCH), add-ons (each waited
 * for until provisioned), domains and drains; then the formation, whose process types the
 * release declares; then the pipeline coupling, once everything else is in place
 * (model/desired.ts, desired-heroku.ts).
 *
 * Batches: an environment's formation changes are one batch PATCH; its formation deletes (pruned
 * process types, scaled to 0) are a batch of their own, applied with the other deletes.
 *
 * Deletes need more order than the live resources' `dependsOn` (each on its app) gives, so each
 * environment's deletes are chained in ranks: formation scaled down, then the coupling, then the
 * app's other parts, then the app and the pipeline. Each delete waits for every delete of the
 * nearest lower rank present in its environment.
 *
 * Certificates (model/certificate.ts): a domain change that waits for its ACM certificate does so
 * in a later `certificate` step, which starts once every DNS record pointing at the domain (a
 * forward change of any provider depending on it) is written, so ACM can validate through it.
 */
export function herokuOrdering(changes: readonly Change[]): Ordering {
  const mine = changes.filter((change) => change.provider === 'heroku');
  const waiting = mine.filter(awaitsCertificate);
  return {
    batches: mine
      .filter((change) => change.kind === 'heroku.formation')
      .map((change) => ({ step: { address: change.address }, key: { key: `${change.scope} formation`, deletes: 'apart' } })),
    steps: waiting.map((change) => ({
      address: change.address,
      later: [CERTIFICATE_STEP],
      note: `then waits for its ACM certificate (acm_status "cert issued", up to ${CERTIFICATE_TIMEOUT_MS / 60_000} min) once its DNS record points at it DNS-only`,
    })),
    edges: [...deleteEdges(mine.filter((change) => change.action === 'delete')), ...certificateEdges(waiting, changes)],
  };
}

/** Each DNS record pointing at a domain that waits (it depends on the domain) is written before the wait. */
function certificateEdges(waiting: readonly Change[], changes: readonly Change[]): Edge[] {
  return waiting.flatMap((domain) =>
    changes
      .filter((change) => change.kind === 'cloudflare.dns' && change.action !== 'delete' && change.after.dependsOn?.includes(domain.address) === true)
      .map((record) => ({ before: { address: record.address }, after: { address: domain.address, step: CERTIFICATE_STEP } })),
  );
}

function deleteEdges(deletes: readonly Change[]): Edge[] {
  const ranks = new Map<string, Change[][]>();
  for (const change of deletes) {
    const ofScope = ranks.get(change.scope) ?? [[], [], [], []];
    ranks.set(change.scope, ofScope);
    ofScope[deleteRank(change.kind)]?.push(change);
  }
  const edges: Edge[] = [];
  for (const ofScope of ranks.values()) {
    const present = ofScope.filter((rank) => rank.length > 0);
    for (const [index, rank] of present.entries()) {
      for (const before of present[index - 1] ?? [])
        for (const after of rank) edges.push({ before: { address: before.address }, after: { address: after.address } });
    }
  }
  return edges;
}

/** Where a kind's deletes come among an environment's deletes: lower first. */
function deleteRank(kind: ResourceKind): number {
  switch (kind) {
    case 'heroku.formation':
      return 0;
    case 'heroku.coupling':
    // Before its add-on's delete, which takes the schedule with it.
    case 'heroku.backup-schedule':
      return 1;
    case 'heroku.feature':
    case 'heroku.buildpacks':
    case 'heroku.config':
    case 'heroku.addon':
    case 'heroku.domain':
    case 'heroku.drain':
      return 2;
    case 'heroku.app':
    case 'heroku.pipeline':
      return 3;
    case 'cloudflare.dns':
    case 'cloudflare.settings':
    case 'cloudflare.ruleset':
      throw new InternalError(`the Heroku provider was asked to order a ${kind} delete`);
    default:
      return assertNever(kind, 'resource kind');
  }
}
