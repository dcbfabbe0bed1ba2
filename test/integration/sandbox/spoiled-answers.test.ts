import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { FaultOptions, SandboxHandle } from '../../../src/sandbox/index.js';
import { HEROKU_ACCEPT, heroku, withSandbox } from '../../helpers/sandbox.js';

/** What reached the client: status, headers, the bytes, and whether the body ended as announced. */
interface Seen {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly complete: boolean;
  readonly ms: number;
}

function exchange(sandbox: SandboxHandle, method: string, path: string, body?: unknown): Promise<Seen> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${sandbox.url}${path}`, {
      method,
      headers: { Accept: HEROKU_ACCEPT, Authorization: 'Bearer sandbox-test-token', 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => {});
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
          complete: res.complete,
          ms: performance.now() - started,
        }),
      );
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const spoiling = (faults: FaultOptions) => ({ faults, seed: 5 });

describe('faults that spoil the answer to a processed request', () => {
  it('cut_length: the whole Content-Length announced, half the body sent, the connection dropped; the request happened', async () => {
    await withSandbox(async (sandbox) => {
      const seen = await exchange(sandbox, 'POST', '/apps', { name: 'cut-after-made' });
      expect(seen.status).toBe(201);
      expect(seen.complete).toBe(false);
      expect(Number(seen.headers['content-length'])).toBeGreaterThan(seen.text.length);
      expect(seen.text.length).toBeGreaterThan(0);
      expect((await heroku(sandbox, 'GET', '/apps/cut-after-made')).status).toBe(200);
      expect(sandbox.requestLog().map((e) => [e.status, e.fault])).toEqual([[201, 'cut_length'], [200, undefined]]);
    }, spoiling({ failRequests: [{ request: 1, kind: 'cut_length' }] }));
  });

  it('cut_chunked: a chunked body whose last chunk never comes', async () => {
    await withSandbox(async (sandbox) => {
      const seen = await exchange(sandbox, 'GET', '/account');
      expect(seen.status).toBe(200);
      expect(seen.headers['transfer-encoding']).toBe('chunked');
      expect(seen.complete).toBe(false);
      expect(() => JSON.parse(seen.text)).toThrow();
    }, spoiling({ failRequests: [{ request: 1, kind: 'cut_chunked' }] }));
  });

  it('empty_body: 200 with nothing in it; no_content: 204', async () => {
    await withSandbox(async (sandbox) => {
      const empty = await exchange(sandbox, 'GET', '/account');
      expect([empty.status, empty.text, empty.complete, empty.headers['content-length']]).toEqual([200, '', true, '0']);
      const none = await exchange(sandbox, 'GET', '/account');
      expect([none.status, none.text, none.complete]).toEqual([204, '', true]);
    }, spoiling({ failRequests: [{ request: 1, kind: 'empty_body' }, { request: 2, kind: 'no_content' }] }));
  });

  it('error_200: the API\'s error object with status 200, and the request not processed', async () => {
    await withSandbox(async (sandbox) => {
      const seen = await exchange(sandbox, 'POST', '/apps', { name: 'never-made' });
      expect(seen.status).toBe(200);
      expect(JSON.parse(seen.text)).toEqual({ id: 'internal_server_error', message: 'Internal server error.' });
      expect((await heroku(sandbox, 'GET', '/apps/never-made')).status).toBe(404);
    }, spoiling({ failRequests: [{ request: 1, kind: 'error_200' }] }));
  });

  it('slow_body: the whole answer, one byte every trickleMs', async () => {
    await withSandbox(async (sandbox) => {
      const seen = await exchange(sandbox, 'GET', '/account');
      expect(seen.complete).toBe(true);
      expect(JSON.parse(seen.text)).toMatchObject({ email: expect.any(String) });
      expect(seen.ms).toBeGreaterThanOrEqual(seen.text.length * 2 * 0.9);
    }, spoiling({ trickleMs: 2, failRequests: [{ request: 1, kind: 'slow_body' }] }));
  });

  it('failRequests with a path counts only requests to that path', async () => {
    await withSandbox(async (sandbox) => {
      await heroku(sandbox, 'POST', '/apps', { body: { name: 'demo' } });
      const statuses: number[] = [];
      for (const path of ['/account', '/apps/demo/config-vars', '/account', '/apps/demo/config-vars', '/apps/demo/config-vars']) {
        statuses.push((await exchange(sandbox, 'GET', path)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 204, 200]);
    }, spoiling({ failRequests: [{ request: 2, kind: 'no_content', path: '/apps/demo/config-vars' }] }));
  });

  it('refuses a path that is not one and a trickle that is not a number', async () => {
    await withSandbox(async (sandbox) => {
      expect(() => sandbox.setFaults({ failRequests: [{ request: 1, path: 'apps' }] })).toThrow('failRequests[0].path must be a path starting with /');
      expect(() => sandbox.setFaults({ trickleMs: -1 })).toThrow('trickleMs must be a number >= 0');
    });
  });
});
