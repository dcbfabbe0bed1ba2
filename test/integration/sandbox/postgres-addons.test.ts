import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../../src/runtime/exec.js';
import { findPostgresBin } from '../../../src/sandbox/heroku/postgres/binaries.js';
import { type SandboxHandle, startSandbox } from '../../../src/sandbox/index.js';
import { testProcesses, viaRouter } from '../../helpers/apps.js';
import { cli } from '../../helpers/cli.js';
import { deploy, INSTANT } from '../../helpers/heroku.js';
import { heroku } from '../../helpers/sandbox.js';

// Postgres add-ons of a sandbox that runs processes on a machine with PostgreSQL: an applied
// environment's DATABASE_URL is a real database, which outlives the sandbox being reopened.
const path = process.env['PATH'] ?? '/usr/bin:/bin';
const bin = await findPostgresBin(path, runProgram);
const WAIT = { timeout: 20_000, interval: 100 };
const APP_YAML = `version: 1
name: notes
environments:
  staging:
    app: notes-staging
    addons:
      database: { plan: "heroku-postgresql:essential-0", as: DATABASE }
`;

/** Answers the result of `SELECT 40 + 2` in the database at DATABASE_URL (through psql: Node has no PostgreSQL client). */
const QUERYING_APP = `const http = require('node:http');
const { execFileSync } = require('node:child_process');
http.createServer((req, res) => {
  try {
    res.end(execFileSync(process.env.PSQL, ['-X', '-A', '-t', process.env.DATABASE_URL, '-c', 'SELECT 40 + 2'], { encoding: 'utf8' }));
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error.stderr || error));
  }
}).listen(Number(process.env.PORT), process.env.HOST);
`;

describe.runIf(bin !== undefined)('Postgres add-ons as real databases', () => {
  let dir: string;
  let sandbox: SandboxHandle;
  let data: string | undefined;
  const notices: string[] = [];
  const open = () =>
    startSandbox({
      stateFile: join(dir, 'state', 'sandbox.json'),
      heroku: INSTANT,
      processes: testProcesses({ run: runProgram }),
      notice: (message) => notices.push(message),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'daff-pgaddons-'));
    writeFileSync(join(dir, 'app.yaml'), APP_YAML);
    sandbox = await open();
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    // As root, the data directory is outside the state's (see postgres/open.ts).
    if (data !== undefined) rmSync(dirname(data), { recursive: true, force: true });
  });

  const databaseUrl = async () =>
    (await heroku<Record<string, string>>(sandbox, 'GET', '/apps/notes-staging/config-vars')).body['DATABASE_URL'] as string;

  it('gives an applied environment a DATABASE_URL that accepts connections', async () => {
    const health = await fetch(`${sandbox.url}/__sandbox/health`).then((r) => r.json());
    expect(health).toMatchObject({ processes: true, databases: { kind: 'postgresql', port: expect.any(Number), data: expect.any(String) } });
    data = (health as { databases: { data: string } }).databases.data;
    const applied = await cli(['apply', '--all', '--yes', '--sandbox', sandbox.url], { cwd: dir, env: { PATH: path } });
    expect(applied.code, applied.stderr).toBe(0);
    const url = await databaseUrl();
    expect(url).toMatch(/^postgres:\/\/u[0-9a-f]+:[0-9a-f]+@127\.0\.0\.1:\d+\/d[0-9a-f]+$/);
    await vi.waitFor(() => psql(url, 'SELECT 1'), WAIT);
    await psql(url, 'CREATE TABLE visits (at timestamptz DEFAULT now()); INSERT INTO visits DEFAULT VALUES;');
    expect(notices).toEqual([]);
  });

  it('keeps the database when the sandbox is reopened on its state', async () => {
    const url = await databaseUrl();
    await sandbox.close();
    await expect(psql(url, 'SELECT 1')).rejects.toThrow();
    sandbox = await open();
    expect(await databaseUrl()).toBe(url);
    await vi.waitFor(() => psql(url, 'SELECT 1'), WAIT);
    expect(await psql(url, 'SELECT count(*) FROM visits')).toBe('1');
  });

  it('moves DATABASE_URL to another port, in the provider’s release, when its port was taken meanwhile', async () => {
    const url = await databaseUrl();
    const port = Number(new URL(url).port);
    await sandbox.close();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      sandbox = await open();
      const moved = await databaseUrl();
      expect(new URL(moved).port).not.toBe(String(port));
      expect(moved).toBe(url.replace(`:${port}/`, `:${new URL(moved).port}/`));
      const releases = (await heroku<{ version: number }[]>(sandbox, 'GET', '/apps/notes-staging/releases')).body;
      expect(releases.sort((a, b) => a.version - b.version).at(-1)).toMatchObject({ description: 'Update DATABASE by heroku-postgresql', user: { email: 'heroku-postgresql@addons.heroku.com' } });
      await vi.waitFor(() => psql(moved, 'SELECT 1'), WAIT);
    } finally {
      squatter.close();
    }
  });

  it('gives an app’s web process its database through DATABASE_URL', async () => {
    await heroku(sandbox, 'POST', '/apps', { body: { name: 'notes-web' } });
    await heroku(sandbox, 'POST', '/apps/notes-web/addons', { body: { plan: 'heroku-postgresql:essential-0' } });
    await heroku(sandbox, 'PATCH', '/apps/notes-web/config-vars', { body: { PSQL: join(bin as string, 'psql') } });
    await deploy(sandbox, 'notes-web', { Procfile: 'web: node server.js\n', 'server.js': QUERYING_APP });
    const host = new URL((await heroku<{ web_url: string }>(sandbox, 'GET', '/apps/notes-web')).body.web_url).host;
    await vi.waitFor(async () => expect(await viaRouter(sandbox, host, '/')).toEqual({ status: 200, body: '42\n' }), WAIT);
  });

  it('drops the database with the add-on', async () => {
    const url = await databaseUrl();
    const addons = (await heroku<{ id: string }[]>(sandbox, 'GET', '/apps/notes-staging/addons')).body;
    const deleted = await heroku(sandbox, 'DELETE', `/apps/notes-staging/addons/${addons[0]?.id}`);
    expect(deleted.status).toBe(200);
    await vi.waitFor(() => expect(psql(url, 'SELECT 1')).rejects.toThrow(/does not exist|password authentication failed/), WAIT);
  });
});

describe('Postgres add-ons without PostgreSQL', () => {
  it('are metadata only, and the sandbox says so once', async () => {
    const notices: string[] = [];
    const sandbox = await startSandbox({
      heroku: { addonProvisionMs: 0 },
      processes: testProcesses({ run: runProgram, findPostgres: async () => undefined }),
      notice: (message) => notices.push(message),
    });
    try {
      const health = await fetch(`${sandbox.url}/__sandbox/health`).then((r) => r.json());
      expect(health).toMatchObject({ databases: { kind: 'metadata', reason: expect.stringMatching(/were not found/) } });
      await heroku(sandbox, 'POST', '/apps', { body: { name: 'metadata-only' } });
      for (const as of ['DATABASE', 'SPARE']) {
        const created = await heroku(sandbox, 'POST', '/apps/metadata-only/addons', { body: { plan: 'heroku-postgresql:essential-0', attachment: { name: as } } });
        expect(created.status).toBe(201);
      }
      const config = (await heroku<Record<string, string>>(sandbox, 'GET', '/apps/metadata-only/config-vars')).body;
      expect(config['DATABASE_URL']).toMatch(/\.rds\.amazonaws\.com:5432\//);
      expect(notices).toEqual([expect.stringMatching(/^Postgres add-ons are metadata only: PostgreSQL’s server programs .* were not found/)]);
    } finally {
      await sandbox.close();
    }
  });
});

async function psql(url: string, sql: string): Promise<string> {
  const result = await runProgram({ file: join(bin as string, 'psql'), args: ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], env: { PATH: path } });
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}
