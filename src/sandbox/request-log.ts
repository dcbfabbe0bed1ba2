import type { FaultKind } from './faults.js';

/** One non-admin request as the sandbox answered it. */
export interface RequestLogEntry {
  /** 1-based request number, the one fault injection counts (`failRequests`). */
  readonly seq: number;
  readonly method: string;
  /** Path and query string as sent. */
  readonly path: string;
  /** HTTP status sent; 0 when the connection was reset and nothing was sent. */
  readonly status: number;
  /** When the request arrived: the sandbox process's `performance.now()`, in milliseconds. */
  readonly startedMs: number;
  /** Wall time from the request's arrival to the end of the response, in milliseconds. */
  readonly durationMs: number;
  readonly api: 'heroku' | 'heroku-postgres' | 'cloudflare';
  readonly requestId?: string;
  readonly fault?: FaultKind;
  /**
   * First 16 hex digits of the SHA-256 of the request body, when it had one: tells repeated sends
   * of the same write apart from different writes to the same path (never the body itself, which
   * may hold secrets).
   */
  readonly bodyDigest?: string;
  /** Message of an unexpected handler exception (the client got a 500). */
  readonly error?: string;
}

/** Bounded in-memory log: past `capacity` entries the oldest are dropped. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 10_000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
