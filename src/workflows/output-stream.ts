import type { Delivery } from '../providers/provider.js';
import { StreamUnavailableError } from '../runtime/errors.js';
import type { LineTail } from './poll.js';
import { formatDuration, type Progress, type Timing } from './progress.js';

/**
 * How long an output stream that answers an HTTP error is retried, 1 s apart: a release's
 * `output_stream_url` answers 404 until its release command starts, and the official CLI retries
 * it up to 100 times, 1 s apart (heroku/cli `pipelines/promote.ts`, `releases/output.ts`).
 */
export const STREAM_RETRY_MS = 100_000;
const STREAM_RETRY_INTERVAL_MS = 1_000;

export interface Follower {
  /** Settles when the stream ended (or was given up). */
  readonly done: Promise<void>;
  /** Lets the stream deliver its last lines (up to 2 s), then stops reading it. */
  finish(timing: Timing): Promise<void>;
}

/**
 * Streams output lines to progress (and the tail). An HTTP error from the stream is retried for
 * up to STREAM_RETRY_MS (it may not exist yet); a stream that never opens or breaks costs a
 * warning, never the deploy: the caller judges the build or release by its status.
 */
export function follow(delivery: Delivery, url: string | null, tail: LineTail, progress: Progress, timing: Timing): Follower {
  if (url === null) return { done: Promise.resolve(), finish: async () => {} };
  const abort = new AbortController();
  const onLine = (line: string) => {
    tail.push(line);
    progress.output(line);
  };
  const done = (async () => {
    const started = timing.now();
    for (;;) {
      try {
        await delivery.followOutput(url, onLine, abort.signal);
        return;
      } catch (error) {
        if (abort.signal.aborted) return;
        const waited = timing.now() - started;
        if (!(error instanceof StreamUnavailableError) || waited + STREAM_RETRY_INTERVAL_MS > STREAM_RETRY_MS) {
          const after = error instanceof StreamUnavailableError ? ` (retried for ${formatDuration(waited)})` : '';
          progress.warn(`could not read the output stream: ${(error as Error).message}${after}`);
          return;
        }
        await timing.sleep(STREAM_RETRY_INTERVAL_MS, abort.signal);
        if (abort.signal.aborted) return;
      }
    }
  })();
  return {
    done,
    async finish(timing) {
      const stop = new AbortController();
      await Promise.race([done, timing.sleep(2_000, stop.signal)]);
      stop.abort();
      abort.abort();
      await done;
    },
  };
}
