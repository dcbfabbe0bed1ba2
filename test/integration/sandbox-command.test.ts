import { cpSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { fakeIo } from '../helpers/cli.js';

// The standalone `sandbox` command: start-up refusals are the user's to fix (exit 1, what and what
// next, no "bug" hint), and its start-up hint says how to seed a zone whose WAF needs a paid plan.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `daffeinated ARGS` in `cwd`, stopped as soon as it is up (as Ctrl-C would). */
async function sandbox(
  args: string[],
  cwd = mkdtempSync(join(tmpdir(), 'daff-sandbox-cmd-')),
  env: Record<string, string> = {},
) {
  const io = fakeIo({ cwd, env });
  const code = await runCli(['sandbox', '--state', join(cwd, 'state', 'sandbox.json'), ...args], io, () =>
    Promise.resolve(),
  );
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

let busy: Server | undefined;
afterEach(async () => {
  await new Promise<void>((done) => (busy === undefined ? done() : busy.close(() => done())));
  busy = undefined;
});

describe('daffeinated sandbox', () => {
  it('refuses a non-loopback address without a token as a user error', async () => {
    const run = await sandbox(['--host', '0.0.0.0', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Error: Cannot start the sandbox on 0.0.0.0: a sandbox bound to a non-loopback address needs a token (DAFFEINATED_SANDBOX_TOKEN)',
    );
    expect(run.stderr).toContain('hint: Bound to another address than loopback, every client must present a token');
    expect(run.stderr).not.toContain('bug in daffeinated');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says a port in use is in use, as a user error', async () => {
    busy = createServer();
    await new Promise<void>((done) => busy?.listen(0, '127.0.0.1', done));
    const port = (busy.address() as AddressInfo).port;
    const run = await sandbox(['--port', String(port)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Error: Cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(run.stderr).not.toContain('bug in daffeinated');
  });

  it("hints how to seed a zone on the plan app.yaml's WAF needs, unless it is seeded on one", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'daff-sandbox-cmd-'));
    cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
    const free = await sandbox(['--port', '0', '--zone', 'daffeinated.com'], cwd);
    expect(free.code, free.stderr).toBe(0);
    expect(free.stderr).toContain(
      "hint: app.yaml's zone daffeinated.com uses managed rulesets (cloudflare, owasp), rate limit periods of 60 s, rate limit timeouts over 10 s, which need Cloudflare's pro plan; a zone is seeded on the free plan unless you name one: daffeinated sandbox --zone daffeinated.com:pro\n",
    );
    const pro = await sandbox(['--port', '0', '--zone', 'daffeinated.com:pro'], cwd);
    expect(pro.code, pro.stderr).toBe(0);
    expect(pro.stderr).toContain('Sandbox listening on');
    expect(pro.stderr).not.toContain('hint:');
    const none = await sandbox(['--port', '0']);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).not.toContain('hint:');
  });
});
