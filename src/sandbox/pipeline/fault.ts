import type { BodyFault, FaultKind, FaultPlan } from '../faults.js';
import type { SandboxRequest } from '../http.js';
import type { Surface, SurfaceReply } from '../surface.js';

/** Step 2 of an API request, as the plan decides it before the request waits out its latency. */
export interface FaultStep {
  readonly delayMs: number;
  readonly fault: FaultKind | undefined;
  /** `Retry-After` of the plan in force when the request arrived. */
  readonly retryAfterSeconds: number;
  /** Milliseconds between two bytes of a `slow_body` answer, of that plan. */
  readonly trickleMs: number;
}

/** `path` as sent, without the query: `failRequests` entries with a path count requests to it. */
export function faultStep(plan: FaultPlan, seq: number, path = ''): FaultStep {
  const decision = plan.decide(seq, path);
  return { delayMs: decision.delayMs, fault: decision.kind, retryAfterSeconds: plan.retryAfterSeconds, trickleMs: plan.trickleMs };
}

/**
 * What the fault does once the latency is over (faults.ts describes each kind): nothing; drop the
 * connection before the request is processed (`reset`); answer with the API's own error instead
 * (`reply`, also with status 200 for `error_200`); or process it, persist it, then drop the
 * connection (`reset_after`) or spoil the answer (`spoil`: cut, empty, 204 or trickled).
 */
export type FaultEffect =
  | { readonly kind: 'none' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'reply'; readonly reply: SurfaceReply }
  | { readonly kind: 'reset_after' }
  | { readonly kind: 'spoil'; readonly fault: BodyFault };

export function faultEffect(step: FaultStep, surface: Surface, request: SandboxRequest): FaultEffect {
  const fault = step.fault;
  switch (fault) {
    case undefined:
      return { kind: 'none' };
    case 'reset':
      return { kind: 'reset' };
    case 'reset_after':
      return { kind: 'reset_after' };
    case 'rate_limit':
    case 'server_error':
    case 'unavailable':
      return { kind: 'reply', reply: surface.faultReply(fault, step.retryAfterSeconds, request) };
    case 'error_200':
      return { kind: 'reply', reply: { ...surface.faultReply('server_error', step.retryAfterSeconds, request), status: 200 } };
    case 'cut_length':
    case 'cut_chunked':
    case 'empty_body':
    case 'no_content':
    case 'slow_body':
      return { kind: 'spoil', fault };
    default:
      return assertNever(fault);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled fault kind ${String(value)}`);
}
