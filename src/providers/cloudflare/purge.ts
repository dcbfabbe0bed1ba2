import { cloudflarePlanName } from '../../facts/cloudflare-plans.js';
import { CLOUDFLARE_PURGE } from '../../facts/cloudflare-purge.js';
import { DaffError } from '../../runtime/errors.js';
import type { PurgeSelection, ZonePurged } from '../provider.js';
import type { ApiPurge } from './api-types.js';
import type { CloudflareClient } from './client.js';

/**
 * Purges one zone's cache: hostnames and prefixes in batches of the zone's plan's items per
 * request (facts/cloudflare-purge.ts; a plan the API does not name counts as Free, the smallest),
 * hosts before prefixes, one request at a time — the purge bucket is the account's, so sending
 * them at once only meets its 429s sooner. Everything is one request. A failure after some
 * batches were accepted says so; the rest is not sent.
 */
export async function purgeZone(client: CloudflareClient, zoneName: string, selection: PurgeSelection): Promise<ZonePurged> {
  const zone = await client.findZone(zoneName);
  const plan = cloudflarePlanName(zone.plan?.legacy_id) ?? 'free';
  const bodies = purgeBodies(selection, CLOUDFLARE_PURGE[plan].itemsPerRequest);
  for (const [index, body] of bodies.entries()) {
    try {
      await client.purgeCache(zone.id, body);
    } catch (error) {
      if (index === 0 || !(error instanceof DaffError)) throw error;
      throw new DaffError(`${error.message} (purge request ${index + 1} of ${bodies.length} for ${zoneName}; the ${index} before it were accepted)`, {
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        cause: error,
      });
    }
  }
  return { zone: zoneName, selection, plan, requests: bodies.length };
}

/** The request bodies for `selection`, at most `size` items each. */
export function purgeBodies(selection: PurgeSelection, size: number): ApiPurge[] {
  if (selection.kind === 'everything') return [{ purge_everything: true }];
  return [...chunks(selection.hosts, size).map((hosts) => ({ hosts })), ...chunks(selection.prefixes, size).map((prefixes) => ({ prefixes }))];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
