import { BlobStore, blobDirFor } from './blobs.js';
import {
  DEFAULT_HEROKU_TIMINGS,
  type HerokuTimingOptions,
  type HerokuTimings,
  resolveHerokuTimings,
} from './timing.js';

/** What the Heroku handlers need beyond the state: durations of async work and uploaded bytes. */
export interface HerokuRuntime {
  readonly timings: HerokuTimings;
  readonly blobs: BlobStore;
}

export function herokuRuntime(options: HerokuTimingOptions | undefined, stateFile: string | undefined): HerokuRuntime {
  return { timings: resolveHerokuTimings(options), blobs: new BlobStore(blobDirFor(stateFile)) };
}

/** Default timings, bytes in memory only. */
export function defaultHerokuRuntime(): HerokuRuntime {
  return { timings: DEFAULT_HEROKU_TIMINGS, blobs: new BlobStore(undefined) };
}
