import type { Change, LiveState } from '../engine/types.js';
import type { Address, ProviderId, Resource } from '../model/resource.js';
import type { Value } from '../model/value.js';
import type { DaffError } from '../runtime/errors.js';

/** What to read: the environments (Heroku) or zones (Cloudflare) being planned, with their desired resources. */
export interface ReadScope {
  readonly scopes: readonly string[];
  /** Desired resources of those scopes; a provider reads what they name (apps, zones). */
  readonly desired: readonly Resource[];
}

/** Progress and logging for long operations; writes to stderr only. */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** A step of a long wait (provisioning, builds); may be rendered as a spinner line. */
  progress(address: Address, message: string): void;
}

export interface ApplyContext {
  readonly reporter: Reporter;
  /** Values produced by earlier applied changes, for resolving Unknown references. */
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

export interface ApplyResult {
  readonly applied: readonly Address[];
  readonly failed: readonly { readonly address: Address; readonly error: DaffError }[];
  readonly notAttempted: readonly Address[];
  /** Values the applied resources now have (e.g. a domain's DNS target), keyed by address. */
  readonly outputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
}

/**
 * A provider reads live state and applies changes. It must not mutate anything in `read`, must be
 * safe to re-run after a crash at any point (re-read and reconcile rather than retrying a POST),
 * and must report exactly what it applied.
 */
export interface Provider {
  readonly id: ProviderId;
  read(scope: ReadScope): Promise<LiveState>;
  apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult>;
}
