import { DaffError } from '../runtime/errors.js';
import { formatDuration, pollDelay, type Timing } from './progress.js';

export interface WaitOptions<T> {
  readonly timing: Timing;
  readonly timeoutMs: number;
  /** What is awaited, for the timeout message: `the build of daffeinated-staging`. */
  readonly what: string;
  /** What to do when time runs out, for the timeout message. */
  readonly hint: string;
  /** Called with every value read (e.g. to update a progress line). */
  readonly onValue?: (value: T) => void;
  /**
   * Something that ends when the awaited thing probably has (an output stream): while it runs,
   * polls are spaced `maxWhileIdleMs` apart at most, and it ending triggers the next poll at once.
   */
  readonly idle?: Promise<unknown>;
}

/**
 * Reads `read()` until `done` holds, with growing delays (see `pollDelay`), and returns the final
 * value. Errors of `read` propagate (the client already retried what is safe to retry). Throws a
 * DaffError naming `what` when `timeoutMs` passes first.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, options: WaitOptions<T>): Promise<T> {
  const { timing } = options;
  const started = timing.now();
  let idleOver = options.idle === undefined;
  void options.idle?.then(
    () => {
      idleOver = true;
    },
    () => {
      idleOver = true;
    },
  );
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    options.onValue?.(value);
    if (done(value)) return value;
    const elapsed = timing.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new DaffError(`Timed out after ${formatDuration(elapsed)} waiting for ${options.what}`, { hint: options.hint });
    }
    const delay = Math.min(pollDelay(attempt, idleOver ? 2_000 : 5_000), Math.max(0, options.timeoutMs - elapsed));
    if (idleOver || options.idle === undefined) await timing.sleep(delay);
    else {
      const stop = new AbortController();
      await Promise.race([timing.sleep(delay, stop.signal), options.idle.catch(() => undefined)]);
      stop.abort();
    }
  }
}

/** The last `size` lines seen, for failure reports. */
export class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly size: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  get all(): readonly string[] {
    return this.lines;
  }
}
