/**
 * Cloudflare's cache purge (`POST /zones/{zone_id}/purge_cache`) per plan: what one request may
 * carry and how fast requests may come. The table daffeinated batches by and the sandbox enforces.
 *
 * Sources (docs/SANDBOX.md, "Cache purge"): developers.cloudflare.com/cache/how-to/purge-cache/
 * ("Availability and limits", updated 2026-07-29): every purge type (URL, hostname, tag, prefix,
 * everything) on every plan since 2025-04-01 (Cloudflare's Instant Purge announcement); purge requests per account as a token bucket — Free 5
 * per minute (bucket 25), Pro 5 per second (25), Business 10 per second (50), Enterprise 50 per
 * second (500) — and "max operations per request" 100 (URLs: 500 on Enterprise). The per-type pages
 * (cloudflare-docs `purge-by-hostname.mdx`, `purge_by_prefix.mdx`) and the official OpenAPI
 * description of `zone-purge` (cloudflare/api-schemas, 2024-08-06) still say 30 hostnames, tags,
 * prefixes or URLs per call (URLs: 500 on Enterprise). Where the two disagree both sides hold to
 * the stricter reading: 30 items per request below Enterprise.
 */
export interface CloudflarePurgeLimits {
  /** Hostnames, tags or prefixes in one request. */
  readonly itemsPerRequest: number;
  /** URLs (`files`) in one request. */
  readonly filesPerRequest: number;
  /** Purge requests the account's bucket refills per second. */
  readonly refillPerSecond: number;
  /** The bucket's capacity: purge requests that may come at once after a quiet spell. */
  readonly bucket: number;
}

/** Keyed by plan as `CLOUDFLARE_PLAN_NAMES` (cloudflare-plans.ts) names them; facts/ files import nothing. */
export const CLOUDFLARE_PURGE: Readonly<Record<'free' | 'pro' | 'business' | 'enterprise', CloudflarePurgeLimits>> = {
  free: { itemsPerRequest: 30, filesPerRequest: 30, refillPerSecond: 5 / 60, bucket: 25 },
  pro: { itemsPerRequest: 30, filesPerRequest: 30, refillPerSecond: 5, bucket: 25 },
  business: { itemsPerRequest: 30, filesPerRequest: 30, refillPerSecond: 10, bucket: 50 },
  enterprise: { itemsPerRequest: 100, filesPerRequest: 500, refillPerSecond: 50, bucket: 500 },
};
