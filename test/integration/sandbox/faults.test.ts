import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../src/sandbox/faults.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';
import { admin, heroku, withSandbox } from '../../helpers/sandbox.js';

/** Status of a request, or 0 when the connection was reset. */
async function status(sandbox: SandboxHandle, method: string, path: string, body?: unknown): Promise<number> {
  try {
    return (await heroku(sandbox, method, path, body === undefined ? {} : { body })).status;
  } catch {
    return 0;
  }
}

describe('fault injection', () => {
  it('adds latency to every API request but not to admin routes', async () => {
    // A latency far above any scheduling delay of a loaded machine, so the admin route's bound is
    // about the latency being left out, not about how fast this machine is.
    await withSandbox(
      async (sandbox) => {
        const started = performance.now();
        expect(await status(sandbox, 'GET', '/account')).toBe(200);
        expect(performance.now() - started).toBeGreaterThanOrEqual(1995);
        const adminStarted = performance.now();
        await admin(sandbox, 'GET', '/health');
        expect(performance.now() - adminStarted).toBeLessThan(1000);
        const [entry] = sandbox.requestLog();
        expect(entry?.durationMs).toBeGreaterThanOrEqual(1995);
      },
      { latencyMs: 2000 },
    );
  });

  it('fails exactly the k-th request, counting from the first non-admin request', async () => {
    await withSandbox(
      async (sandbox) => {
        await admin(sandbox, 'GET', '/health');
        expect(await status(sandbox, 'GET', '/account')).toBe(200);
        await admin(sandbox, 'GET', '/state');
        const second = await heroku<{ id: string; message: string }>(sandbox, 'GET', '/account');
        expect(second.status).toBe(500);
        expect(second.body).toEqual({ id: 'internal_server_error', message: 'Internal server error.' });
        expect(second.headers.get('request-id')).toBeTruthy();
        expect(await status(sandbox, 'GET', '/account')).toBe(200);
        const third = await heroku<{ id: string }>(sandbox, 'GET', '/account');
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBe('7');
        expect(third.headers.get('ratelimit-remaining')).toBe('0');
        expect(sandbox.requestLog().map((e) => [e.seq, e.status, e.fault ?? null])).toEqual([
          [1, 200, null],
          [2, 500, 'server_error'],
          [3, 200, null],
          [4, 429, 'rate_limit'],
        ]);
      },
      { faults: { failRequests: [2, { request: 4, kind: 'rate_limit' }], retryAfterSeconds: 7 } },
    );
  });

  it('answers 503 with Retry-After for unavailable, and does not process the request', async () => {
    await withSandbox(
      async (sandbox) => {
        const res = await heroku<{ id: string }>(sandbox, 'POST', '/apps', { body: { name: 'never-made' } });
        expect(res.status).toBe(503);
        expect(res.body.id).toBe('service_unavailable');
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await status(sandbox, 'GET', '/apps/never-made')).toBe(404);
      },
      { faults: { failRequests: [{ request: 1, kind: 'unavailable' }] } },
    );
  });

  it('resets the connection before processing (reset) or after (reset_after)', async () => {
    await withSandbox(
      async (sandbox) => {
        expect(await status(sandbox, 'POST', '/apps', { name: 'lost-before' })).toBe(0);
        expect(await status(sandbox, 'POST', '/apps', { name: 'lost-after' })).toBe(0);
        // The first never happened; the second did, though its client saw only a reset.
        expect(await status(sandbox, 'GET', '/apps/lost-before')).toBe(404);
        expect(await status(sandbox, 'GET', '/apps/lost-after')).toBe(200);
        expect(sandbox.requestLog().map((e) => [e.status, e.fault ?? null])).toEqual([
          [0, 'reset'],
          [0, 'reset_after'],
          [404, null],
          [200, null],
        ]);
      },
      {
        faults: {
          failRequests: [
            { request: 1, kind: 'reset' },
            { request: 2, kind: 'reset_after' },
          ],
        },
      },
    );
  });

  it('draws rate-based faults deterministically from the seed', async () => {
    const run = (seed: number) =>
      withSandbox(
        async (sandbox) => {
          const statuses: number[] = [];
          for (let i = 0; i < 60; i++) statuses.push(await status(sandbox, 'GET', '/account'));
          return statuses;
        },
        { seed, faults: { rates: { server_error: 0.2, unavailable: 0.1, rate_limit: 0.1 } } },
      );
    const a = await run(1234);
    const b = await run(1234);
    const c = await run(999);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const failed = a.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(45);
    expect(new Set(a)).toEqual(new Set([200, 500, 503, 429]));
  });

  it('decides latency jitter and faults per request number, independent of arrival order', () => {
    const options = { latencyMs: 20, jitterMs: 50, rates: { server_error: 0.5 } };
    const forward = Array.from({ length: 40 }, (_, i) => new FaultPlan(options, 42).decide(i + 1));
    const plan = new FaultPlan(options, 42);
    const backward = Array.from({ length: 40 }, (_, i) => plan.decide(40 - i)).reverse();
    expect(backward).toEqual(forward);
    expect(forward.every((d) => d.delayMs >= 20 && d.delayMs < 70)).toBe(true);
    expect(new Set(forward.map((d) => d.delayMs)).size).toBeGreaterThan(10);
  });

  it('is controlled at runtime through PUT /__sandbox/faults, which restarts the numbering', async () => {
    await withSandbox(async (sandbox) => {
      expect(await status(sandbox, 'GET', '/account')).toBe(200);
      const set = await admin(sandbox, 'PUT', '/faults', { failRequests: [{ request: 1, kind: 'server_error' }] });
      expect(set).toMatchObject({
        status: 200,
        body: { faults: { failRequests: [{ request: 1, kind: 'server_error' }] }, requests: 0 },
      });
      expect(await status(sandbox, 'GET', '/account')).toBe(500);
      expect(await status(sandbox, 'GET', '/account')).toBe(200);
      expect((await admin(sandbox, 'GET', '/faults')).body).toMatchObject({ requests: 2 });

      for (const bad of [
        { rates: { server_error: 2 } },
        { rates: { meteor: 0.1 } },
        { failRequests: [0] },
        { latencyMs: -1 },
        { surprise: true },
        { rates: { reset: 0.6, reset_after: 0.6 } },
      ]) {
        expect((await admin(sandbox, 'PUT', '/faults', bad)).status, JSON.stringify(bad)).toBe(422);
      }
      sandbox.setFaults({});
      expect(await status(sandbox, 'GET', '/account')).toBe(200);
    });
  });

  it('answers injected faults on the Cloudflare surface in its envelope', async () => {
    await withSandbox(
      async (sandbox) => {
        const res = await fetch(`${sandbox.url}/client/v4/zones`, { headers: { Authorization: 'Bearer cf' } });
        expect(res.status).toBe(429);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await res.json()).toEqual({
          success: false,
          errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
          messages: [],
          result: null,
        });
      },
      { faults: { failRequests: [{ request: 1, kind: 'rate_limit' }] } },
    );
  });
});
