import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../../src/sandbox/faults.js';
import { type ApiPipeline, serveApi } from '../../../../src/sandbox/pipeline/api.js';
import { RequestCounter } from '../../../../src/sandbox/pipeline/count.js';
import { RequestLog } from '../../../../src/sandbox/request-log.js';
import { fakeSurface, request } from './helpers.js';

/** Just enough of node's request and response for the pipeline: what was sent, whether it was reset. */
function exchange(url: string) {
  const seen = { status: undefined as number | undefined, reset: false };
  const req = { url, socket: { destroy: () => (seen.reset = true) } } as unknown as IncomingMessage;
  const res = {
    destroyed: false,
    writeHead: (status: number) => (seen.status = status),
    end: () => undefined,
  } as unknown as ServerResponse;
  return { req, res, seen };
}

function pipeline(faults: ConstructorParameters<typeof FaultPlan>[0] = {}) {
  const heroku = fakeSurface('heroku', '/', { status: 201, requestId: 'r-1' });
  const saves = { n: 0 };
  const api: ApiPipeline = {
    surfaces: [heroku.surface],
    counter: new RequestCounter(),
    plan: () => new FaultPlan(faults, 1),
    persist: async () => {
      saves.n += 1;
      return undefined;
    },
    log: new RequestLog(),
    closing: () => false,
  };
  return { api, heroku, saves };
}

describe('API pipeline', () => {
  it('counts, routes, persists a write, answers and logs it', async () => {
    const { api, heroku, saves } = pipeline();
    const { req, res, seen } = exchange('/apps?x=1');
    await serveApi(api, req, res, request('POST', '/apps'), performance.now());
    expect(seen).toEqual({ status: 201, reset: false });
    expect(heroku.handled).toHaveLength(1);
    expect(saves.n).toBe(1);
    expect(api.log.list()).toMatchObject([
      { seq: 1, method: 'POST', path: '/apps?x=1', status: 201, requestId: 'r-1' },
    ]);
  });

  it('does not persist after a read', async () => {
    const { api, saves } = pipeline();
    const { req, res } = exchange('/apps');
    await serveApi(api, req, res, request('GET', '/apps'), performance.now());
    expect(saves.n).toBe(0);
  });

  it('answers an injected fault without routing the request', async () => {
    const { api, heroku, saves } = pipeline({ failRequests: [{ request: 1, kind: 'unavailable' }] });
    const { req, res, seen } = exchange('/apps');
    await serveApi(api, req, res, request('POST', '/apps'), performance.now());
    expect(seen.status).toBe(503);
    expect(heroku.handled).toHaveLength(0);
    expect(saves.n).toBe(0);
    expect(api.log.list()).toMatchObject([{ status: 503, fault: 'unavailable', requestId: 'fault-unavailable' }]);
  });

  it('processes and persists a reset_after request, then drops the connection unanswered', async () => {
    const { api, heroku, saves } = pipeline({ failRequests: [{ request: 1, kind: 'reset_after' }] });
    const { req, res, seen } = exchange('/apps');
    await serveApi(api, req, res, request('POST', '/apps'), performance.now());
    expect(seen).toEqual({ status: undefined, reset: true });
    expect(heroku.handled).toHaveLength(1);
    expect(saves.n).toBe(1);
    expect(api.log.list()).toMatchObject([{ status: 0, fault: 'reset_after', requestId: 'r-1' }]);
  });
});
