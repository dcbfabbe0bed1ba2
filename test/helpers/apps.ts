import { request } from 'node:http';
import { startProcessGroup } from '../../src/runtime/exec.js';
import type { ProcessOptions, SandboxHandle } from '../../src/sandbox/index.js';

/**
 * A tiny web app for tests that run processes: `/health` answers 200 `{"status":"ok"}` unless the
 * config var `BREAK_HEALTH` is `1` (then 500), `/env` lists the names of its environment
 * variables, anything else says which dyno answered. No dependencies, so no compile step.
 */
export const SERVER_JS = `const http = require('node:http');
const port = Number(process.env.PORT);
http.createServer((req, res) => {
  if (req.url === '/env') return res.end(JSON.stringify(Object.keys(process.env).sort()));
  if (req.url !== '/health') return res.end('hello from ' + process.env.DYNO + ' (' + (process.env.GREETING || 'no greeting') + ')\\n');
  const ok = process.env.BREAK_HEALTH !== '1';
  res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'broken' }));
}).listen(port, process.env.HOST, () => console.log('listening on ' + port));
`;

export const TINY_APP: Readonly<Record<string, string>> = { Procfile: 'web: node server.js\n', 'server.js': SERVER_JS };

/** A later version of the tiny app's server.js: healthy on staging, broken where the config var STAGE is `production`. */
export const BREAKS_IN_PRODUCTION = SERVER_JS.replace(
  "const ok = process.env.BREAK_HEALTH !== '1';",
  "const ok = process.env.STAGE !== 'production';",
);

/** Processes for a test sandbox: daffeinated's own launcher, PATH only, short timeouts. */
export function testProcesses(overrides: Partial<ProcessOptions> = {}): ProcessOptions {
  return {
    launch: startProcessGroup,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    bootTimeoutMs: 10_000,
    stopGraceMs: 1_000,
    ...overrides,
  };
}

/** GET `path` on an app's hostname through the sandbox's router: status and body. */
export function viaRouter(sandbox: SandboxHandle, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sandbox.port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
