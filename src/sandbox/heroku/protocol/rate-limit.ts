import { createHash } from 'node:crypto';

/**
 * Heroku's per-account token bucket, kept per API token here: `capacity` tokens (4,500), refilled
 * continuously at `refillPerMinute` (75) on the injected clock; each call costs one.
 */
export interface RateLimitOptions {
  capacity?: number;
  refillPerMinute?: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** Whole tokens left after this call (the `RateLimit-Remaining` header). */
  readonly remaining: number;
  /** Seconds until one token is available again (only meaningful when refused). */
  readonly retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly capacity: number;
  private readonly perMs: number;
  private buckets = new Map<string, Bucket>();

  constructor(
    options: RateLimitOptions,
    private readonly clock: () => Date,
  ) {
    this.capacity = options.capacity ?? 4500;
    this.perMs = (options.refillPerMinute ?? 75) / 60_000;
  }

  /** Spends one token if there is one. */
  take(token: string): RateDecision {
    const bucket = this.refill(token);
    if (bucket.tokens < 1) {
      const wait = this.perMs > 0 ? Math.ceil((1 - bucket.tokens) / this.perMs / 1000) : 3600;
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, wait) };
    }
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
  }

  /** Whole tokens left, without spending one (`GET /account/rate-limits` is free). */
  remaining(token: string): number {
    return Math.floor(this.refill(token).tokens);
  }

  reset(): void {
    this.buckets = new Map();
  }

  private refill(token: string): Bucket {
    const key = createHash('sha256').update(token).digest('base64');
    const now = this.clock().getTime();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.capacity, at: now };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.perMs);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }
}
