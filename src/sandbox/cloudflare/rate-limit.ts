import { createHash } from 'node:crypto';

/**
 * Cloudflare's API rate limit (reference/cloudflare-api.md §2 "Rate limits"): 1,200 requests per
 * 5 minutes per user or token, as a sliding window on the injected clock. Going over it blocks
 * the caller for the next 5 minutes (a penalty window, during which every call gets 429), after
 * which the window starts empty. Independent of Heroku's bucket: a request counts in one only.
 */
export interface CloudflareRateLimitOptions {
  /** Requests allowed per window (default 1,200). */
  requests?: number;
  /** Window and penalty length in seconds (default 300). */
  windowSeconds?: number;
}

export interface CloudflareRateDecision {
  readonly allowed: boolean;
  /** Requests left in the current window after this one. */
  readonly remaining: number;
  /** Seconds until the window frees a request (allowed) or the block ends (refused). */
  readonly resetSeconds: number;
  /** `Ratelimit` / `Ratelimit-Policy` response headers, and `Retry-After` when refused. */
  readonly headers: Readonly<Record<string, string>>;
}

interface Caller {
  /** Times (ms) of the accepted requests still inside the window, oldest first. */
  times: number[];
  blockedUntil: number;
}

export class CloudflareRateLimiter {
  readonly quota: number;
  private readonly windowMs: number;
  private callers = new Map<string, Caller>();

  constructor(
    options: CloudflareRateLimitOptions,
    private readonly clock: () => Date,
  ) {
    this.quota = options.requests ?? 1200;
    this.windowMs = (options.windowSeconds ?? 300) * 1000;
  }

  /** Counts one request by `who` (a credential; only its hash is kept). */
  take(who: string): CloudflareRateDecision {
    const now = this.clock().getTime();
    const key = createHash('sha256').update(who).digest('base64');
    let caller = this.callers.get(key);
    if (caller === undefined) {
      caller = { times: [], blockedUntil: 0 };
      this.callers.set(key, caller);
    }
    if (caller.blockedUntil > now) return this.refuse(caller.blockedUntil - now);
    while (caller.times.length > 0 && (caller.times[0] as number) <= now - this.windowMs) caller.times.shift();
    if (caller.times.length >= this.quota) {
      caller.blockedUntil = now + this.windowMs;
      caller.times = [];
      return this.refuse(this.windowMs);
    }
    caller.times.push(now);
    const remaining = this.quota - caller.times.length;
    const resetSeconds = Math.max(1, Math.ceil(((caller.times[0] as number) + this.windowMs - now) / 1000));
    return { allowed: true, remaining, resetSeconds, headers: this.headers(remaining, resetSeconds) };
  }

  reset(): void {
    this.callers = new Map();
  }

  private refuse(waitMs: number): CloudflareRateDecision {
    const resetSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    return {
      allowed: false,
      remaining: 0,
      resetSeconds,
      headers: { ...this.headers(0, resetSeconds), 'Retry-After': String(resetSeconds) },
    };
  }

  private headers(remaining: number, resetSeconds: number): Record<string, string> {
    return {
      Ratelimit: `"default";r=${remaining};t=${resetSeconds}`,
      'Ratelimit-Policy': `"default";q=${this.quota};w=${this.windowMs / 1000}`,
    };
  }
}
