/**
 * How the sandbox runs an app's processes, when asked to (`SandboxOptions.processes`). The sandbox
 * itself never spawns anything: the embedding program hands it a launcher (daffeinated's is
 * `startProcessGroup` in src/runtime/exec.ts), so what runs, with which environment, is decided in
 * one visible place. Without this option, no process runs: apps' hostnames are not routed and
 * clients must skip health checks (never fake them).
 */
export interface LaunchSpec {
  /** A shell command line, as a Procfile entry is. */
  readonly command: string;
  readonly cwd: string;
  /** The whole environment of the command; nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface LaunchedProcess {
  readonly exited: Promise<{ readonly code: number | null; readonly signal: string | null }>;
  /** Ends the command and everything it started (its process group); resolves when it has ended. */
  stop(graceMs?: number): Promise<void>;
}

/** A program run to completion (no shell): PostgreSQL's tools, for the sandbox's real databases. */
export interface RunSpec {
  readonly file: string;
  readonly args: readonly string[];
  /** The whole environment of the program; nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** Written to its standard input (then closed). */
  readonly input?: string;
}

export interface RunResult {
  /** Null when it could not be started or was ended by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  /** Starts a command in a process group of its own that cannot outlive the sandbox's process. */
  readonly launch: (spec: LaunchSpec) => LaunchedProcess;
  /**
   * Runs a program to completion. With it (and PostgreSQL's server binaries on the machine), the
   * sandbox's Postgres add-ons are real local databases (heroku/postgres/); without it, metadata only.
   */
  readonly run?: (spec: RunSpec) => Promise<RunResult>;
  /** Where PostgreSQL's binaries are (a directory holding initdb, postgres, pg_ctl, psql, pg_dump, pg_restore); default: heroku/postgres/binaries.ts looks. */
  readonly findPostgres?: () => Promise<string | undefined>;
  /**
   * Environment given to what the sandbox runs: `PATH` (to find `node`, `npm`, …) for dynos, plus
   * `HOME` for slug compilation (npm's cache and settings). Nothing else of the sandbox's own
   * environment reaches an app, so no credential leaks into it.
   */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Where compiled slugs are kept, by content hash: a cache that other sandboxes may share (a reset
   * leaves it; it is pruned, runner/slug-prune.ts). Default: `<state>-slugs/` next to the state
   * file (so consecutive runs reuse them), else a temporary directory removed on close.
   */
  readonly slugDir?: string;
  /** How long a web process has to listen on `$PORT` (Heroku: 60 s, error R10). */
  readonly bootTimeoutMs?: number;
  /** How long a stopped process gets between SIGTERM and SIGKILL (Heroku: 30 s). */
  readonly stopGraceMs?: number;
}

export const DEFAULT_BOOT_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 3_000;
