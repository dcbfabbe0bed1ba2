import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { KEEP_ALIVE_MS } from '../../../src/sandbox/server.js';
import { IDLE_CONNECTION_MS } from '../../../src/providers/heroku/client.js';
import { HEROKU_ACCEPT, heroku, useSandbox } from '../../helpers/sandbox.js';

/** The headers of `GET /account`, sent with `connection` as its Connection header. */
function headersOf(url: string, connection: 'keep-alive' | 'close'): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/account`, {
      headers: { Accept: HEROKU_ACCEPT, Authorization: 'Bearer sandbox-test-token', Connection: connection },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.headers);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox keep-alive', () => {
  const sandbox = useSandbox();

  it('keeps idle connections far longer than its clients do', () => {
    // undici's default idle timeout, under fetch and the Cloudflare SDK, is 4 s too.
    expect(KEEP_ALIVE_MS).toBeGreaterThanOrEqual(10 * IDLE_CONNECTION_MS);
  });

  it('keeps connections alive without announcing its idle timeout, so clients keep their own', async () => {
    const res = await heroku(sandbox(), 'GET', '/account');
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('keep-alive');
    expect(res.headers.get('keep-alive')).toBeNull();
    const raw = await headersOf(sandbox().url, 'keep-alive');
    expect(raw.connection).toBe('keep-alive');
    expect(raw['keep-alive']).toBeUndefined();
  });

  it('closes a connection whose request asked for it', async () => {
    expect((await headersOf(sandbox().url, 'close')).connection).toBe('close');
  });
});
