import type { KindPolicies } from '../../engine/types.js';
import { parseAddress } from '../../model/resource.js';

/** octoDNS-style guard: more than this share of a zone's records may not change without --force… */
export const DNS_CHANGE_LIMIT_PERCENT = 30;
/** …in zones with at least this many live records. */
export const DNS_GUARD_MIN_RECORDS = 10;

/**
 * Safety policy of the Cloudflare kinds (engine `KindPolicy`): DNS records are guarded per zone,
 * counted against every live record of the zone (read.ts supplies `cloudflare.dns@<zone>`, ours
 * or not). The zone is the first part of the address (`cloudflare.dns[zone/TYPE/name]`).
 */
export const CLOUDFLARE_KINDS: KindPolicies = {
  'cloudflare.dns': {
    changeThreshold: {
      percent: DNS_CHANGE_LIMIT_PERCENT,
      minLive: DNS_GUARD_MIN_RECORDS,
      groupOf: (change) => parseAddress(change.address)?.parts[0] ?? change.scope,
      groupNoun: 'zone',
      resourceNoun: 'DNS record',
    },
  },
};
