import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directProbe, sandboxProbe } from '../../../src/runtime/http-probe.js';

let server: Server;
let base: URL;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/slow') return; // never answers
    if (req.url?.startsWith('/__sandbox/resolve/')) {
      const name = decodeURIComponent(req.url.slice('/__sandbox/resolve/'.length));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name, resolves: name.endsWith('.example') }));
      return;
    }
    res.writeHead(req.url?.startsWith('/health') ? 200 : 404, { 'content-type': 'text/plain' });
    res.end('x'.repeat(5_000));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('sandboxProbe', () => {
  it('asks the sandbox whether a name resolves, with the sandbox token', async () => {
    const probe = sandboxProbe(base, 'sekret');
    expect(await probe.resolves('anything.example')).toBe(true);
    expect(seen.at(-1)).toMatchObject({ url: '/__sandbox/resolve/anything.example', headers: { authorization: 'Bearer sekret' } });
    expect(await probe.resolves('nowhere.invalid')).toBe(false);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const gone = new URL(`http://127.0.0.1:${(closed.address() as AddressInfo).port}`);
    await new Promise((resolve) => closed.close(resolve));
    expect(await sandboxProbe(gone).resolves('anything.example')).toBe(false);
  });

  it('sends every hostname to the sandbox with the app Host and the original scheme', async () => {
    const probe = sandboxProbe(base);
    const result = await probe.get(new URL('https://shop.example/health?x=1'), 2_000);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.ok && result.body.length).toBe(2048);
    expect(seen.at(-1)).toMatchObject({ url: '/health?x=1', headers: { host: 'shop.example', 'x-forwarded-proto': 'https' } });
    expect(probe.route).toBe(`through the sandbox at ${base.origin}`);
  });
});

describe('directProbe', () => {
  it('reports real statuses, timeouts and unreachable hosts apart', async () => {
    const probe = directProbe();
    expect(await probe.get(new URL('/missing', base), 2_000)).toMatchObject({ ok: true, status: 404 });
    expect(await probe.get(new URL('/slow', base), 100)).toEqual({ ok: false, error: 'no answer within 100 ms', reason: 'timeout' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probe.get(new URL(`http://127.0.0.1:${port}/`), 2_000)).toEqual({ ok: false, error: 'ECONNREFUSED', reason: 'unreachable' });
    expect(await probe.resolves('localhost')).toBe(true);
    expect(await probe.resolves('no-such-host.invalid')).toBe(false);
  });
});
