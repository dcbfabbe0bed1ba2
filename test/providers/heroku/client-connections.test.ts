import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HerokuClient, type HttpLogEntry, IDLE_CONNECTION_MS } from '../../../src/providers/heroku/client.js';

// heroku-client opens a new TCP connection per request (an Agent without keep-alive); the client
// sends its requests over one keep-alive agent instead. Counted on the server side.
//
// nock (loaded for every test file by test/setup.ts) lets loopback requests through on a socket of
// its own per request, whatever the agent: it is switched off in this file, which only talks to
// its own servers on 127.0.0.1.
beforeAll(() => nock.restore());
afterAll(() => nock.activate());

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Counted {
  readonly server: Server;
  readonly url: string;
  /** Every connection the server accepted, in order. */
  readonly sockets: Socket[];
  /** Connections the other side closed (or that were destroyed), by index in `sockets`. */
  readonly closed: Set<number>;
}

const servers: Server[] = [];
const clients: HerokuClient[] = [];
const savedEnv = {
  SSL_CERT_FILE: process.env['SSL_CERT_FILE'],
  SSL_CERT_DIR: process.env['SSL_CERT_DIR'],
  HEROKU_HTTP_PROXY_HOST: process.env['HEROKU_HTTP_PROXY_HOST'],
  HEROKU_HTTP_PROXY_PORT: process.env['HEROKU_HTTP_PROXY_PORT'],
};

afterEach(async () => {
  vi.restoreAllMocks();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

/** `{"id":"a"}`, once the request's body is read. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume().on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"a"}'));
}

async function countingServer(handler = answer): Promise<Counted> {
  const sockets: Socket[] = [];
  const closed = new Set<number>();
  const server = createServer(handler);
  // Longer than the client's idle timeout: any close seen here is the client's.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    const index = sockets.push(socket) - 1;
    socket.on('close', () => closed.add(index));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets, closed };
}

function client(url: string): HerokuClient {
  const made = new HerokuClient({ baseUrl: url, token: 't', userAgent: 'test', sleep: async () => {} });
  clients.push(made);
  return made;
}

describe('HerokuClient connections', () => {
  it('sends sequential requests over one connection', async () => {
    const local = await countingServer();
    const c = client(local.url);
    for (let i = 0; i < 5; i++) await c.get(`/apps/a${i}`);
    await c.post('/apps', { body: { name: 'x' } });
    await c.patch('/apps/a0/config-vars', { body: { A: '1' } });
    expect(local.sockets).toHaveLength(1);
  });

  it('opens one connection per concurrent request, and the next round reuses them', async () => {
    const local = await countingServer();
    const c = client(local.url);
    await Promise.all([1, 2, 3].map((i) => c.get(`/apps/a${i}`)));
    expect(local.sockets).toHaveLength(3);
    await Promise.all([1, 2, 3].map((i) => c.get(`/apps/a${i}/addons`)));
    await c.get('/apps/a1/domains');
    expect(local.sockets).toHaveLength(3);
  });

  it('close() closes the pooled connections', async () => {
    const local = await countingServer();
    const c = client(local.url);
    await c.get('/apps/a');
    c.close();
    await expect.poll(() => local.closed.has(0)).toBe(true);
  });

  it(
    'lets slow answers, on a new and on a reused connection, run past the idle timeout, and closes connections idle that long',
    async () => {
      const local = await countingServer((req, res) => {
        const reply = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"a"}');
        if (req.url?.startsWith('/slow')) setTimeout(reply, IDLE_CONNECTION_MS + 300);
        else reply();
      });
      const c = client(local.url);
      await c.get('/fast');
      // One reuses the pooled connection, the other opens a second one.
      await expect(Promise.all([c.get('/slow/1'), c.get('/slow/2')])).resolves.toEqual([{ id: 'a' }, { id: 'a' }]);
      expect(local.sockets).toHaveLength(2);
      expect(local.closed.size).toBe(0);
      await new Promise((done) => setTimeout(done, IDLE_CONNECTION_MS + 300));
      expect([...local.closed].sort()).toEqual([0, 1]);
      await c.get('/fast');
      expect(local.sockets).toHaveLength(3);
    },
    IDLE_CONNECTION_MS * 3 + 5_000,
  );

  it("behind HEROKU_HTTP_PROXY_HOST, requests still go through heroku-client's tunnel to the proxy", async () => {
    const target = await countingServer();
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).on('error', () => {});
        client.pipe(upstream).on('error', () => {});
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    servers.push(proxy);
    process.env['HEROKU_HTTP_PROXY_HOST'] = '127.0.0.1';
    process.env['HEROKU_HTTP_PROXY_PORT'] = String((proxy.address() as AddressInfo).port);
    const c = client(target.url);
    await expect(c.get('/apps/a')).resolves.toEqual({ id: 'a' });
    expect(tunnels).toEqual([new URL(target.url).host]);
  });

  it('an idle pooled connection does not keep a finished process alive', async () => {
    const local = await countingServer();
    // The compiled client (test/global-setup.ts builds dist/), in a process of its own.
    const script = `
      import { HerokuClient } from ${JSON.stringify(resolve(root, 'dist/providers/heroku/client.js'))};
      const client = new HerokuClient({ baseUrl: ${JSON.stringify(local.url)}, token: 't', userAgent: 'test' });
      await client.get('/apps/a');
      await client.get('/apps/b');
      process.stdout.write('done\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let doneAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('done')) doneAt ??= performance.now();
    });
    const code = await new Promise<number | null>((done) => child.once('close', done));
    expect(code).toBe(0);
    expect(doneAt).toBeDefined();
    // The pooled connection would hold the process for IDLE_CONNECTION_MS if it were referenced.
    expect(performance.now() - (doneAt as number)).toBeLessThan(IDLE_CONNECTION_MS / 2);
    expect(local.sockets).toHaveLength(1);
  });
});

/** A self-signed certificate for 127.0.0.1 (openssl), or undefined where openssl is missing. */
function selfSigned(): { key: string; cert: string; certFile: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'daff-tls-'));
  const request = 'req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1';
  const files = ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')];
  const made = spawnSync('openssl', [...request.split(' '), ...files], { stdio: 'ignore' });
  if (made.status !== 0) return undefined;
  const certFile = join(dir, 'cert.pem');
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

const tls = selfSigned();
const tlsModule = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');

describe.skipIf(tls === undefined)('HerokuClient connections over TLS', () => {
  async function tlsServer(handler = answer): Promise<{ url: string; handshakes: () => number }> {
    const { key, cert } = tls as NonNullable<typeof tls>;
    let handshakes = 0;
    const server = createTlsServer({ key, cert }, handler);
    server.keepAliveTimeout = 60_000;
    server.on('secureConnection', () => {
      handshakes += 1;
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, handshakes: () => handshakes };
  }

  it('trusts the CA of SSL_CERT_FILE through one TLS context, and reuses the connections', async () => {
    const server = await tlsServer();
    process.env['SSL_CERT_FILE'] = (tls as NonNullable<typeof tls>).certFile;
    delete process.env['SSL_CERT_DIR'];
    const contexts = vi.spyOn(tlsModule, 'createSecureContext');
    const c = client(server.url);
    await Promise.all([1, 2, 3].map((i) => c.get(`/apps/a${i}`)));
    for (let i = 0; i < 3; i++) await c.get(`/apps/a${i}/addons`);
    expect(server.handshakes()).toBe(3);
    // heroku-client passes the certificates with each request: a new TLS context per connection.
    expect(contexts).toHaveBeenCalledTimes(1);
  });

  it('resends a GET that met a closed pooled connection on a new one, trusting the same CA through the same context', async () => {
    const served = new Map<Socket, number>();
    const server = await tlsServer((req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      // The second request on the first connection: dropped, as by a server closing it.
      if (count === 2 && served.size === 1) req.socket.destroy();
      else answer(req, res);
    });
    process.env['SSL_CERT_FILE'] = (tls as NonNullable<typeof tls>).certFile;
    delete process.env['SSL_CERT_DIR'];
    const contexts = vi.spyOn(tlsModule, 'createSecureContext');
    const log: HttpLogEntry[] = [];
    const c = new HerokuClient({ baseUrl: server.url, token: 't', userAgent: 'test', onHttp: (entry) => log.push(entry) });
    clients.push(c);
    await c.get('/apps/a');
    await expect(c.get('/apps/b')).resolves.toEqual({ id: 'a' });
    expect(log.map((e) => e.connection)).toEqual([undefined, 'stale', 'fresh']);
    expect(server.handshakes()).toBe(2);
    expect(contexts).toHaveBeenCalledTimes(1);
  });

  it('without SSL_CERT_FILE the self-signed server is not trusted (the default CA store), as with heroku-client', async () => {
    const server = await tlsServer();
    delete process.env['SSL_CERT_FILE'];
    delete process.env['SSL_CERT_DIR'];
    const error = await client(server.url)
      .get('/apps/a')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ apiCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});
