import type { Reply, SandboxRequest } from './http.js';

/** Injected faults a surface answers itself (resets never produce a reply). */
export type ReplyFault = 'rate_limit' | 'server_error' | 'unavailable';

/** What a surface's reply tells the server beyond the HTTP response. */
export interface SurfaceReply extends Reply {
  /** For the request log. */
  readonly requestId?: string;
  /** Message of an unexpected exception turned into a 500. */
  readonly error?: string;
  /** The state changed although the method is read-only (timed work applied), so persist it. */
  readonly mutated?: boolean;
}

/**
 * One emulated API on the shared server: Heroku at the root, Heroku Postgres under `/client/v11`,
 * Cloudflare under `/client/v4`. A surface owns its protocol (auth, headers, error shapes); the
 * server owns transport, faults, logging and persistence.
 */
export interface Surface {
  readonly name: 'heroku' | 'heroku-postgres' | 'cloudflare';
  owns(path: string): boolean;
  handle(req: SandboxRequest): SurfaceReply;
  /** The API's own answer for an injected fault. */
  faultReply(fault: ReplyFault, retryAfterSeconds: number, req: SandboxRequest): SurfaceReply;
}
