/**
 * How workflows show what they are doing while they wait (uploads, builds, release phases,
 * promotions, health checks). Written to stderr by the command layer: on a terminal as a live
 * status line, otherwise (CI logs) as plain lines, one per event, without timestamps.
 */
export interface Progress {
  /** Starts a long step; its line shows elapsed time on a terminal until `done` or `fail`. */
  step(message: string): Step;
  /** A line of the platform's own output (build output, release phase), shown as it arrives. */
  output(line: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export interface Step {
  /** New detail for the running step (e.g. `pending`); plain output prints it only when it changes. */
  update(detail: string): void;
  /** Ends the step successfully, optionally with a final message replacing the step's. */
  done(message?: string): void;
  fail(message?: string): void;
}

/** Time and waiting, injected so tests and the CLI decide (monotonic milliseconds). */
export interface Timing {
  readonly now: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts (so no timer outlives the wait). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Polling intervals: quick at first (a sandbox or a fast build answers at once), then settling
 * at `maxMs` so long waits stay well inside Heroku's rate limit (4,500 requests, ~75/min refill).
 */
export function pollDelay(attempt: number, maxMs = 2_000): number {
  return Math.min(maxMs, 100 * 2 ** Math.min(attempt, 5));
}

/** `1.2 s`, `45 s`, `3 min 05 s`: durations in summaries and step lines. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
