import type { ZoneSeed } from './cloudflare/model.js';
import type { CloudflareRateLimitOptions } from './cloudflare/rate-limit.js';
import type { FaultOptions } from './faults.js';
import type { RateLimitOptions } from './heroku/protocol/rate-limit.js';
import type { ProcessOptions } from './heroku/runner/processes.js';
import type { HerokuTimingOptions } from './heroku/timed/timing.js';
import type { RequestLogEntry } from './request-log.js';
import type { SandboxState } from './state.js';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Any non-loopback address requires `token`. */
  host?: string;
  /** JSON file the state is loaded from and saved to after every mutating request. */
  stateFile?: string;
  /** Required bearer token when bound to a non-loopback address (`DAFFEINATED_SANDBOX_TOKEN`). */
  token?: string;
  /**
   * Cloudflare zones to seed: `name`, `name:plan` or `{name, plan}` (plan free — the default —,
   * pro, business or enterprise); existing zones in a loaded state are kept.
   */
  zones?: readonly ZoneSeed[];
  /** Latency added to every API request; shorthand for `faults.latencyMs` (which wins if both are set). */
  latencyMs?: number;
  faults?: FaultOptions;
  /** Seeds ids, generated names and fault decisions. Default: the loaded state's seed, else random. */
  seed?: number;
  /** Time for timestamps and rate-limit refill. Default: the system clock. */
  clock?: () => Date;
  /** Heroku bucket size and refill (default 4,500 and 75/min). */
  rateLimit?: RateLimitOptions;
  /** Cloudflare's limit, separate from Heroku's (default 1,200 requests per 300 s per token). */
  cloudflareRateLimit?: CloudflareRateLimitOptions;
  /** Durations of Heroku's asynchronous work (add-on provisioning, builds, …); see heroku/timed/timing.ts. */
  heroku?: HerokuTimingOptions;
  /**
   * Run apps' `web` processes locally and route their hostnames to them (heroku/runner/processes.ts).
   * Absent (the default): nothing runs, and app hostnames are not routed.
   */
  processes?: ProcessOptions;
  /** Where the sandbox tells what the embedder should know, e.g. that Postgres add-ons are metadata only. Default: nowhere. */
  notice?: (message: string) => void;
}

export interface SandboxHandle {
  /** Base URL for both APIs, e.g. `http://127.0.0.1:54321` (Cloudflare under `/client/v4`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly seed: number;
  readonly stateFile: string | undefined;
  /** Stops listening, drops open connections and waits for pending state writes. */
  close(): Promise<void>;
  /** Non-admin requests in arrival order. */
  requestLog(): RequestLogEntry[];
  resetLog(): void;
  /** Non-admin requests counted since start, reset or the last `setFaults`. */
  requestCount(): number;
  faults(): FaultOptions;
  /** Replaces the fault options and restarts request numbering at 1. */
  setFaults(faults: FaultOptions): void;
  /** Back to a fresh world (same seed and zones); clears log, counters and rate limits; persists. */
  reset(): Promise<void>;
  /** A deep copy of the current state. */
  state(): SandboxState;
  /** Resolves when every state write so far is on disk. */
  flush(): Promise<void>;
}
