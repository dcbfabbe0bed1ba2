import { createHash } from 'node:crypto';
import type { FaultKind } from '../faults.js';
import type { SandboxRequest } from '../http.js';
import type { RequestLogEntry } from '../request-log.js';
import type { Surface } from '../surface.js';

/** What the log step knows of an API request before its outcome. */
export interface LoggedRequest {
  readonly seq: number;
  readonly request: SandboxRequest;
  /** Path and query string as sent (`req.url`). */
  readonly rawPath: string;
  /** `performance.now()` when the request arrived. */
  readonly startedMs: number;
  readonly api: Surface['name'];
  readonly fault: FaultKind | undefined;
}

/** The outcome: the status sent (0 when the connection was dropped) and the reply's ids. */
export interface LoggedOutcome {
  readonly status: number;
  readonly requestId?: string | undefined;
  readonly error?: string | undefined;
}

/**
 * Step 5 of an API request: its request-log entry. Never the body itself (it may hold secrets),
 * only a digest that tells repeated sends of one write apart from different writes.
 */
export function logStep(logged: LoggedRequest, outcome: LoggedOutcome, nowMs = performance.now()): RequestLogEntry {
  const body = logged.request.body;
  return {
    seq: logged.seq,
    method: logged.request.method,
    path: logged.rawPath,
    status: outcome.status,
    startedMs: Math.round(logged.startedMs * 100) / 100,
    durationMs: Math.round((nowMs - logged.startedMs) * 100) / 100,
    api: logged.api,
    ...(outcome.requestId === undefined ? {} : { requestId: outcome.requestId }),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    ...(logged.fault === undefined ? {} : { fault: logged.fault }),
    ...(body.length === 0 ? {} : { bodyDigest: createHash('sha256').update(body).digest('hex').slice(0, 16) }),
  };
}
