import type { FaultKind, FaultPlan } from '../faults.js';
import type { SandboxRequest } from '../http.js';
import type { Surface, SurfaceReply } from '../surface.js';

/** Step 2 of an API request, as the plan decides it before the request waits out its latency. */
export interface FaultStep {
  readonly delayMs: number;
  readonly fault: FaultKind | undefined;
  /** `Retry-After` of the plan in force when the request arrived. */
  readonly retryAfterSeconds: number;
}

export function faultStep(plan: FaultPlan, seq: number): FaultStep {
  const decision = plan.decide(seq);
  return { delayMs: decision.delayMs, fault: decision.kind, retryAfterSeconds: plan.retryAfterSeconds };
}

/**
 * What the fault does once the latency is over (faults.ts describes each kind): nothing; drop the
 * connection before the request is processed (`reset`); answer with the API's own error instead
 * (`reply`); or process it, persist it, then drop the connection (`reset_after`).
 */
export type FaultEffect =
  | { readonly kind: 'none' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'reply'; readonly reply: SurfaceReply }
  | { readonly kind: 'reset_after' };

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
    default:
      return assertNever(fault);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled fault kind ${String(value)}`);
}
