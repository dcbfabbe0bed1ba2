import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultPlan, sendSpoiled } from '../faults.js';
import type { SandboxRequest } from '../http.js';
import type { RequestLog } from '../request-log.js';
import type { Surface, SurfaceReply } from '../surface.js';
import type { RequestCounter } from './count.js';
import { faultEffect, faultStep } from './fault.js';
import { type LoggedOutcome, type LoggedRequest, logStep } from './log.js';
import { type Persist, persistStep } from './persist.js';
import { routeStep, surfaceFor } from './route.js';
import { send } from './send.js';

export interface ApiPipeline {
  readonly surfaces: readonly Surface[];
  readonly counter: RequestCounter;
  /** The fault plan in force (replaced when the fault options change). */
  readonly plan: () => FaultPlan;
  readonly persist: Persist;
  readonly log: RequestLog;
  /** Whether the sandbox is closing: then a request that waited out its latency is dropped. */
  readonly closing: () => boolean;
}

/**
 * One request to an emulated API: count → fault → route → persist → log. The fault step may end
 * it early (a reset or the API's own error); the state changes only in the route step, and is on
 * disk before the client hears of it.
 */
export async function serveApi(
  pipeline: ApiPipeline,
  req: IncomingMessage,
  res: ServerResponse,
  request: SandboxRequest,
  startedMs: number,
): Promise<void> {
  const surface = surfaceFor(pipeline.surfaces, request.path);
  const seq = pipeline.counter.next();
  const fault = faultStep(pipeline.plan(), seq, request.path);
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  // Closed while waiting: the connection is gone, and the state must not change after close().
  if (pipeline.closing()) return;
  const logged: LoggedRequest = {
    seq,
    request,
    rawPath: req.url ?? request.path,
    startedMs,
    api: surface.name,
    fault: fault.fault,
  };
  const record = (outcome: LoggedOutcome) => pipeline.log.add(logStep(logged, outcome));

  const effect = faultEffect(fault, surface, request);
  if (effect.kind === 'reset') {
    req.socket.destroy();
    record({ status: 0 });
    return;
  }
  if (effect.kind === 'reply') {
    send(res, effect.reply);
    record({ status: effect.reply.status, requestId: effect.reply.requestId });
    return;
  }
  const reply = await persistStep<SurfaceReply>(request, routeStep(surface, request), pipeline.persist, (error) => ({
    ...surface.faultReply('server_error', fault.retryAfterSeconds, request),
    error,
  }));
  if (effect.kind === 'reset_after') {
    req.socket.destroy();
    record({ status: 0, requestId: reply.requestId });
    return;
  }
  if (effect.kind === 'spoil') sendSpoiled(res, reply, effect.fault, fault.trickleMs);
  else send(res, reply);
  record({ status: reply.status, requestId: reply.requestId, error: reply.error });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
