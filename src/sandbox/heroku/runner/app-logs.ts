/**
 * Each app's recent log, as Logplex keeps it: the last 1,500 lines, each
 * `<timestamp> <source>[<dyno>]: <text>` with source `app` (what the app's processes print) or
 * `heroku` (the platform: dyno state changes, the router's one line per request). The sandbox
 * writes here when it runs processes (dyno-runner.ts) and routes requests to them (web-router.ts);
 * log sessions (api/log-sessions.ts, served by log-sessions.ts) read it. Held in memory only: a restarted sandbox starts with
 * empty logs, as a restarted dyno's output is gone on Heroku too.
 */
export interface LogLine {
  readonly atMs: number;
  readonly source: 'app' | 'heroku';
  /** `web.1`, `router`, `build`… */
  readonly dyno: string;
  readonly text: string;
}

export const LOG_LINES_KEPT = 1500;

/**
 * One reader's view of an app's log (`POST /apps/{app}/log-sessions`, api/log-sessions.ts): the
 * newest `lines` lines matching the filters, then, with `tail`, new ones as they come. Held in the
 * runtime's `logSessions` until `expiresMs`.
 */
export interface LogSession {
  readonly appId: string;
  readonly lines: number;
  readonly tail: boolean;
  readonly dyno: string | undefined;
  readonly source: string | undefined;
  readonly type: string | undefined;
  readonly expiresMs: number;
}

type Listener = (line: LogLine) => void;

export class AppLogs {
  private readonly lines = new Map<string, LogLine[]>();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly clock: () => Date) {}

  append(appId: string, source: LogLine['source'], dyno: string, text: string): void {
    const line: LogLine = { atMs: this.clock().getTime(), source, dyno, text };
    const list = this.lines.get(appId) ?? [];
    list.push(line);
    if (list.length > LOG_LINES_KEPT) list.splice(0, list.length - LOG_LINES_KEPT);
    this.lines.set(appId, list);
    for (const listener of this.listeners.get(appId) ?? []) listener(line);
  }

  /** The newest `limit` lines of an app matching `filter`, oldest first. */
  recent(appId: string, limit: number, filter: (line: LogLine) => boolean = () => true): LogLine[] {
    const matching = (this.lines.get(appId) ?? []).filter(filter);
    return limit <= 0 ? [] : matching.slice(-limit);
  }

  /** Calls `listener` for every line appended from now on; returns the unsubscribe function. */
  follow(appId: string, listener: Listener): () => void {
    const set = this.listeners.get(appId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(appId, set);
    return () => set.delete(listener);
  }

  clear(): void {
    this.lines.clear();
  }
}

/** Logplex's line format: `2026-03-01T12:00:00.123000+00:00 app[web.1]: listening on 5000`. */
export function formatLogLine(line: LogLine): string {
  const iso = new Date(line.atMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
  return `${iso} ${line.source}[${line.dyno}]: ${line.text}`;
}
