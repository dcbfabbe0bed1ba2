import type { ProviderId } from '../model/resource.js';
import type { Backups, CachePurger, Delivery, Provider } from '../providers/provider.js';
import type { WebProbe } from '../runtime/http-probe.js';

/**
 * What workflows are given to reach the platform. Built by commands/connect.ts, the one place
 * that decides which API base URLs and tokens are used; workflows run the same against Heroku and
 * the sandbox.
 */
export interface Connection {
  readonly providers: ReadonlyMap<ProviderId, Provider>;
  /** Key for hashing sensitive values into digests; derived from the credentials, never printed. */
  readonly digestKey: string;
  /** Where the APIs are, for messages (`sandbox at http://127.0.0.1:…` or `api.heroku.com`). */
  readonly target: string;
  /** Shipping code to Heroku (sources, builds, releases, promotions). */
  readonly delivery: Delivery;
  /** Heroku Postgres backups (capture, list, restore) through the Postgres API. */
  readonly backups: Backups;
  /** Purging Cloudflare's cache; absent when the command does not touch Cloudflare. */
  readonly cache?: CachePurger;
  /** How health checks reach apps, or why they cannot here (a sandbox that runs no processes). */
  web(): Promise<WebAccess>;
  close(): Promise<void>;
}

/** Health checks either probe real answers, or are skipped for a stated reason — never faked. */
export type WebAccess =
  | { readonly kind: 'probe'; readonly probe: WebProbe }
  | { readonly kind: 'unavailable'; readonly reason: string };
