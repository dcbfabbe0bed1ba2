import { type ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import tls, { type SecureContext } from 'node:tls';
import type { ResponseMeta } from './errors.js';

/**
 * How long a pooled connection may sit idle before the client closes it. A request written to a
 * connection the server is closing at that moment fails with ECONNRESET (`watchReuse`): idempotent
 * requests are resent once, at once, on a new connection (`Connections.fresh`); POSTs are not — a
 * reset, even on a reused connection before any response, does not prove the server never read
 * the request (RFC 9110 §9.2.2) — so the client must give idle connections up before the server
 * does. api.heroku.com does not document its idle timeout; Heroku's Router 2.0 closes idle
 * keep-alive connections after 90 s (Dev Center, "HTTP Routing", Keepalives) and common server
 * defaults are 5 s (Node.js, Apache, gunicorn); 4 s is below all of them. Node shortens it further
 * for a response announcing `Keep-Alive: timeout=N` (to N − 1 s).
 */
export const IDLE_CONNECTION_MS = 4_000;

/** The fields of heroku-client's Request that the client replaces on its template. */
export interface RequestTemplate {
  /** The agent every request passes to http(s).request. */
  agent: HttpAgent;
  /** CA certificates from SSL_CERT_FILE/SSL_CERT_DIR, passed as each request's `ca` when any. */
  certs: Buffer[];
  /** Whether the base URL is https (heroku-client's reading of it). */
  readonly secure: boolean;
}

/** The agents of one client: the keep-alive pool, and one that opens a new connection per request. */
export interface Connections {
  readonly pooled: HttpAgent;
  /** For the one resend after a stale pooled connection: it cannot meet another. */
  readonly fresh: HttpAgent;
}

/**
 * heroku-client gives each Request a new `http(s).Agent` without keep-alive, so every request
 * opened a TCP connection (and a TLS handshake against api.heroku.com). With CA certificates it
 * also passes them as each request's `ca`: Node then builds a TLS context per connection (~80 ms
 * of blocked event loop each with a 290-file SSL_CERT_DIR) and puts every certificate's text into
 * the pool key of every request. This installs one keep-alive agent per client on the template
 * instead, of the same kind (https by heroku-client's reading of the base URL) and socket limit;
 * the certificates go into one TLS context, built at the first connection, and no longer into the
 * requests. Without them Node's default CA store is used, as before.
 *
 * Behind HEROKU_HTTP_PROXY_HOST heroku-client tunnels through the proxy with an agent of its own:
 * kept as it is, so undefined is returned (its connections are never marked reused, `watchReuse`).
 */
export function keepAliveAgents(template: RequestTemplate): Connections | undefined {
  // heroku-client's proxy tunnel (tunnel-agent) is not a Node Agent; its own agents are.
  const built: unknown = template.agent;
  if (!(built instanceof HttpAgent)) return undefined;
  const options = {
    keepAlive: true,
    // The most recently used connection first: the least likely to be closing on the server.
    scheduling: 'lifo' as const,
    // Node applies it to a connection when it goes back to the pool; a request in flight has its
    // deadline (`timeoutMs`, exchange.ts).
    timeout: IDLE_CONNECTION_MS,
    // heroku-client's limit (HEROKU_CLIENT_MAX_SOCKETS, else 5,000), as it set it on its agent.
    maxSockets: built.maxSockets,
  };
  const make = (keepAlive: boolean): HttpAgent =>
    template.secure ? new HttpsAgent({ ...options, keepAlive }) : new HttpAgent({ ...options, keepAlive });
  const connections = { pooled: make(true), fresh: make(false) };
  const certs = template.certs;
  if (template.secure && certs.length > 0) {
    let context: SecureContext | undefined;
    for (const agent of [connections.pooled, connections.fresh]) {
      const connect = agent.createConnection.bind(agent);
      agent.createConnection = (connection, callback) => {
        context ??= tls.createSecureContext({ ca: certs });
        return connect(Object.assign({}, connection, { secureContext: context }), callback);
      };
    }
  }
  template.certs = [];
  template.agent = connections.pooled;
  return connections;
}

/** What a connection closed under a request fails with: reset by the peer, or gone when written to. */
const CLOSED_UNDER_REQUEST = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Marks `meta.staleConnection` when the request fails because the pooled connection it was
 * written to had been closed by the server: the connection was reused (`req.reusedSocket`), the
 * failure is a reset or a broken pipe ("socket hang up" is an ECONNRESET), and not one byte of an
 * answer arrived on it. This is the race Node's documentation describes under
 * `request.reusedSocket`; `IDLE_CONNECTION_MS` makes it rare, a loaded machine's late timers do not.
 */
export function watchReuse(req: ClientRequest, meta: ResponseMeta): void {
  let socket: Socket | undefined;
  let readBefore = 0;
  let responded = false;
  req.once('socket', (assigned: Socket) => {
    socket = assigned;
    readBefore = assigned.bytesRead;
  });
  req.once('response', () => {
    responded = true;
  });
  req.once('error', (error: NodeJS.ErrnoException) => {
    const answered = responded || socket === undefined || socket.bytesRead > readBefore;
    if (req.reusedSocket && !answered && CLOSED_UNDER_REQUEST.has(error.code ?? '')) meta.staleConnection = true;
  });
}
