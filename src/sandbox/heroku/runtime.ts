import type { SandboxDatabases } from './databases.js';
import { AppLogs, type LogSession } from './runner/app-logs.js';
import { BlobStore, blobDirFor } from './storage/blobs.js';
import {
  DEFAULT_HEROKU_TIMINGS,
  type HerokuTimingOptions,
  type HerokuTimings,
  resolveHerokuTimings,
} from './timed/timing.js';

/**
 * What the Heroku handlers need beyond the state: durations of async work, uploaded bytes, the
 * apps' recent logs and open log sessions (in memory only), and, when the sandbox runs processes,
 * what its web dynos are doing (`dynoState`, set by the dyno runner).
 */
export interface HerokuRuntime {
  readonly timings: HerokuTimings;
  readonly blobs: BlobStore;
  readonly logs: AppLogs;
  readonly logSessions: Map<string, LogSession>;
  /** A running web dyno's state (`starting`, `up`, `crashed`); undefined when processes are not run. */
  dynoState?: (appId: string) => 'starting' | 'up' | 'crashed' | undefined;
  /** The id of the release a running web dyno runs (it may lag the current one while restarting). */
  dynoRelease?: (appId: string) => string | undefined;
  /** Set when release commands run as real processes (runner/release-phases.ts), not on the clock. */
  runsReleasePhases?: boolean;
  /** Set when Postgres add-ons are real local databases (see databases.ts); undefined: metadata only. */
  databases?: SandboxDatabases;
  /** Without real databases: tells the sandbox's notices, once, that Postgres add-ons are metadata only, and why. */
  metadataOnly?: () => void;
}

export function herokuRuntime(
  options: HerokuTimingOptions | undefined,
  stateFile: string | undefined,
  clock: () => Date,
): HerokuRuntime {
  return {
    timings: resolveHerokuTimings(options),
    blobs: new BlobStore(blobDirFor(stateFile)),
    logs: new AppLogs(clock),
    logSessions: new Map(),
  };
}

/** Default timings, bytes in memory only. */
export function defaultHerokuRuntime(): HerokuRuntime {
  return {
    timings: DEFAULT_HEROKU_TIMINGS,
    blobs: new BlobStore(undefined),
    logs: new AppLogs(() => new Date()),
    logSessions: new Map(),
  };
}
