/**
 * Client-side pacing, so a run stays inside the APIs' published rate limits instead of finding
 * them with 429s (DESIGN §4, §8). Both pacers gate each request before it is sent (`acquire`) and
 * learn from each response (`release`); both count requests still in flight as already spent,
 * which errs on the safe side. Waits are reported through `onWait` (shown with `--debug`).
 */

/** What a pacer needs from the outside world; tests inject a fake clock and instant sleeps. */
export interface PacerDeps {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Told each wait: what it waits for, and for how long (ms). */
  readonly onWait?: (message: string, waitMs: number) => void;
}

/** Shortest wait between two probes of an empty bucket, so a mismeasured refill cannot flood the API. */
const MIN_WAIT_MS = 50;

/**
 * Requests let go before any answer has told the bucket's level. A read's first round is larger
 * (a 20-app drift: over 100 requests); sent whole into a bucket another run has nearly emptied, its
 * tail would meet 429s. This many go at once; the rest follow the first answer, one round later.
 */
export const FIRST_BURST = 20;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolvers of callers blocked until something in flight finishes. */
class Waiters {
  private list: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.list.push(resolve));
  }
  wakeAll(): void {
    const woken = this.list;
    this.list = [];
    for (const resolve of woken) resolve();
  }
}

export interface BucketPacerOptions extends PacerDeps {
  /**
   * Reads the bucket's current level without spending a token (Heroku: `GET /account/rate-limits`);
   * undefined when that failed. Used only while the bucket is believed empty.
   */
  readonly probe: () => Promise<number | undefined>;
  /** Refill assumed until one is measured: Heroku publishes ~75 tokens per minute. */
  readonly refillPerMinute?: number;
  /** Longest single wait before probing again (default 60 s). */
  readonly maxWaitMs?: number;
  /** How long the bucket may stay empty before a request is let through anyway (default 5 min). */
  readonly maxStarveMs?: number;
}

/**
 * Heroku's token bucket, seen through `RateLimit-Remaining`. A request goes when the last level
 * seen, minus the requests in flight, leaves a token. Otherwise it waits for an in-flight request
 * to answer with a fresh level; when nothing is in flight it sleeps for the refill it needs (at the
 * measured rate once two levels are known without traffic between them, else the published one)
 * and probes the level for free. Until the first response the level is unknown and requests go.
 */
export class BucketPacer {
  private remaining: number | undefined;
  private seenAt = 0;
  private inFlight = 0;
  /** Callers blocked in `acquire`: how many tokens a refill should wait for. */
  private queued = 0;
  private refillPerMs: number | undefined;
  /** Whether any request has been answered (or failed) yet: until then at most `FIRST_BURST` go. */
  private answered = false;
  /** Time spent waiting on an empty bucket since it last held a token. */
  private starvedMs = 0;
  private readonly waiters = new Waiters();
  private probing: Promise<void> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: BucketPacerOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** Resolves when a request may be sent; the caller must `release` once it has an answer (or none). */
  async acquire(): Promise<void> {
    let queued = false;
    for (;;) {
      const unknown = this.remaining === undefined;
      if (unknown ? this.answered || this.inFlight < FIRST_BURST : (this.remaining as number) - this.inFlight >= 1) {
        if (queued) this.queued -= 1;
        this.inFlight += 1;
        return;
      }
      if (!queued) {
        queued = true;
        this.queued += 1;
      }
      if (this.inFlight > 0) await this.waiters.wait();
      else await this.refillOnce();
    }
  }

  /** The request finished; `remaining` is its `RateLimit-Remaining`, when the response had one. */
  release(remaining: number | undefined): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.answered = true;
    if (remaining !== undefined) this.observe(remaining);
    this.waiters.wakeAll();
  }

  private observe(level: number): void {
    this.remaining = level;
    this.seenAt = this.now();
  }

  /** One refill at a time: callers that find the bucket empty together share it. */
  private refillOnce(): Promise<void> {
    if (this.probing === undefined) {
      this.probing = this.refill().finally(() => {
        this.probing = undefined;
      });
    }
    return this.probing;
  }

  /** Sleeps for the tokens the waiting requests need, then reads the level (free). */
  private async refill(): Promise<void> {
    // Requests issued together (a level's reads) queue up first, so the wait is for all of them.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const before = this.remaining ?? 0;
    const since = this.seenAt;
    const wanted = Math.max(1, this.queued) - before;
    const perMs = this.refillPerMs ?? (this.options.refillPerMinute ?? 75) / 60_000;
    const measured = this.refillPerMs !== undefined;
    const waitMs = Math.min(this.options.maxWaitMs ?? 60_000, Math.max(MIN_WAIT_MS, Math.ceil(measured ? wanted / perMs : 1 / perMs)));
    this.options.onWait?.(
      `Heroku rate limit: ${before} request(s) left; waiting ${waitMs} ms for the bucket to refill (${(perMs * 60_000).toFixed(0)}/min${measured ? ' measured' : ' assumed'})`,
      waitMs,
    );
    await this.sleep(waitMs);
    const level = await this.options.probe();
    if (level === undefined) {
      // Could not read the level: let one request through; a 429 is still waited out by the retry layer.
      this.observe(Math.max(before, 1));
      return;
    }
    // Measured afresh each time (nothing of ours was sent meanwhile); no refill seen: back to assuming.
    const elapsed = this.now() - since;
    this.refillPerMs = elapsed > 0 && level > before ? (level - before) / elapsed : undefined;
    this.starvedMs = level >= 1 ? 0 : this.starvedMs + waitMs;
    // Someone else keeps the bucket empty: after maxStarveMs, one request goes and meets the API's
    // own answer (a 429 is waited out by the retry layer, up to its limit, then reported).
    const giveUp = level < 1 && this.starvedMs >= (this.options.maxStarveMs ?? 300_000);
    if (giveUp) this.starvedMs = 0;
    this.observe(giveUp ? 1 : level);
  }
}

export interface WindowPacerOptions extends PacerDeps {
  /** Requests allowed per window (Cloudflare: 1,200). */
  readonly quota?: number;
  /** Window length (Cloudflare: 300 s). */
  readonly windowMs?: number;
}

/** The server's own view of the window, from Cloudflare's `Ratelimit` / `Ratelimit-Policy` headers. */
export interface WindowReport {
  /** `Ratelimit: …;r=` requests left in the current window. */
  readonly remaining?: number;
  /** `Ratelimit: …;t=` seconds until the window frees a request. */
  readonly resetSeconds?: number;
  /** `Ratelimit-Policy: …;q=` quota per window. */
  readonly quota?: number;
  /** `Ratelimit-Policy: …;w=` window length in seconds. */
  readonly windowSeconds?: number;
}

/**
 * Cloudflare's sliding window (1,200 requests per 5 minutes per token, going over blocks for 5
 * minutes). Counts this client's requests in the window, stamped when their answer arrives (the
 * server counted them earlier, so they leave our window after they left its); requests in flight
 * count too. The server's headers correct the count: a quota and window from `Ratelimit-Policy`,
 * and when `Ratelimit` says fewer requests are left than we think (another user of the token),
 * placeholder entries take up the difference until its reset time.
 */
export class WindowPacer {
  private quota: number;
  private windowMs: number;
  /** Times the counted requests leave the window, oldest first. */
  private expiries: number[] = [];
  private inFlight = 0;
  private readonly waiters = new Waiters();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: WindowPacerOptions = {}) {
    this.quota = options.quota ?? 1200;
    this.windowMs = options.windowMs ?? 300_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.prune(now);
      if (this.expiries.length + this.inFlight < this.quota) {
        this.inFlight += 1;
        return;
      }
      // All of the window is in flight: each answer adds an expiry to wait for.
      if (this.expiries.length === 0) {
        await this.waiters.wait();
        continue;
      }
      const waitMs = Math.max(1, (this.expiries[0] as number) - now + 1);
      this.options.onWait?.(
        `Cloudflare rate limit: ${this.expiries.length + this.inFlight} of ${this.quota} requests used in the last ${Math.round(this.windowMs / 1000)} s; waiting ${waitMs} ms`,
        waitMs,
      );
      await this.sleep(waitMs);
    }
  }

  /** The request finished (answered or not); `report` carries the server's rate-limit headers. */
  release(report: WindowReport = {}): void {
    const now = this.now();
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (report.quota !== undefined && report.quota > 0) this.quota = report.quota;
    if (report.windowSeconds !== undefined && report.windowSeconds > 0) this.windowMs = report.windowSeconds * 1000;
    this.expiries.push(now + this.windowMs);
    this.prune(now);
    if (report.remaining !== undefined) {
      const missing = this.quota - report.remaining - this.expiries.length - this.inFlight;
      const until = now + Math.max(1, report.resetSeconds ?? this.windowMs / 1000) * 1000;
      for (let i = 0; i < missing; i++) this.expiries.push(until);
      this.expiries.sort((a, b) => a - b);
    }
    this.waiters.wakeAll();
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.expiries.length && (this.expiries[drop] as number) <= now) drop += 1;
    if (drop > 0) this.expiries.splice(0, drop);
  }
}
