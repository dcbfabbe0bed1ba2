import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram } from '../../src/runtime/exec.js';
import { findPostgresBin } from '../../src/sandbox/heroku/postgres/binaries.js';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { testProcesses } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { drillIn, drillLeftovers } from '../helpers/drill.js';
import { gitRepo } from '../helpers/repo.js';
import { heroku } from '../helpers/sandbox.js';

// The data proves the recovery: rows written into production's real database (the sandbox's
// Postgres add-ons are real PostgreSQL databases where the machine has PostgreSQL), a backup
// captured, more rows written after it; then the drill's web process — production's own slug,
// on the drill's database — answers its health check with the row count of the backup, not of
// production now. Afterwards nothing of the drill is left.
const path = process.env['PATH'] ?? '/usr/bin:/bin';
const bin = await findPostgresBin(path, runProgram);
const run = promisify(execFile);

/** A web process whose /health counts the rows of `notes` with psql: 200 `{"rows":N}`, 500 when it cannot. */
const SERVER_JS = `const http = require('node:http');
const { execFile } = require('node:child_process');
http.createServer((req, res) => {
  if (req.url !== '/health') return res.end('notes\\n');
  execFile('psql', [process.env.DATABASE_URL, '-tAc', 'SELECT count(*) FROM notes'], (error, stdout, stderr) => {
    res.writeHead(error ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(error ? { error: String(stderr).trim() } : { rows: Number(stdout.trim()) }));
  });
}).listen(Number(process.env.PORT), process.env.HOST);
`;
const APP_YAML = `version: 1
name: notes
defaults:
  formation:
    web: { quantity: 1, size: basic }
  healthcheck: { path: /health, timeout: 20 }
environments:
  production:
    app: notes-production
    stage: production
    addons:
      database: { plan: "heroku-postgresql:standard-0", as: DATABASE }
`;
const ENV = { PATH: path };

async function psql(url: string, sql: string): Promise<string> {
  return (await run('psql', [url, '-tAc', sql], { env: { PATH: path } })).stdout.trim();
}

describe.runIf(bin !== undefined)('a drill of real data', () => {
  let sandbox: SandboxHandle;
  let dir: string;
  let state: string;
  let data: string | undefined;

  beforeAll(async () => {
    dir = gitRepo('daff-drill-data-', { 'app.yaml': APP_YAML, Procfile: 'web: node server.js\n', 'server.js': SERVER_JS }).dir;
    state = mkdtempSync(join(tmpdir(), 'daff-drill-data-state-'));
    sandbox = await startSandbox({
      stateFile: join(state, 'sandbox.json'),
      // Provisioning takes long enough for the real database to accept connections by its end, as
      // on Heroku (the sandbox can call an add-on provisioned before its database is up).
      heroku: { buildMs: 50, releasePhaseMs: 20, addonProvisionMs: 3000, domainMs: 0, acmMs: 0, pgTransferStartMs: 0 },
      processes: testProcesses({ run: runProgram }),
    });
    data = ((await (await fetch(`${sandbox.url}/__sandbox/health`)).json()) as { databases?: { data?: string } }).databases?.data;
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    rmSync(state, { recursive: true, force: true });
    if (data !== undefined && !data.startsWith(state)) rmSync(dirname(data), { recursive: true, force: true });
  });

  it("restores the backup's rows into the drill's database, where production's code reads them", async () => {
    const apply = await cli(['apply', 'production', '--yes', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
    expect(apply.code, apply.stderr).toBe(0);
    const url = (await heroku<Record<string, string>>(sandbox, 'GET', '/apps/notes-production/config-vars')).body['DATABASE_URL'] as string;
    await vi.waitFor(() => psql(url, 'SELECT 1'), { timeout: 20_000, interval: 100 });
    await psql(url, "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT n, 'note ' || n FROM generate_series(1, 3) n;");
    const deploy = await cli(['deploy', 'production', '--yes', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
    expect(deploy.code, deploy.stderr).toBe(0);
    const backup = await cli(['backups', 'production', '--capture', '--sandbox', sandbox.url], { cwd: dir, env: ENV });
    expect(backup.code, backup.stderr).toBe(0);
    // Written after the backup: the drill must not see them.
    await psql(url, "INSERT INTO notes VALUES (4, 'late'), (5, 'later')");

    const drill = await drillIn(sandbox, { cwd: dir, env: ENV, now: new Date() });
    expect(drill.code, drill.stderr).toBe(0);
    const report = JSON.parse(drill.stdout) as { health: { kind: string; answer: string }; database: { bytes: number | null }; outcome: string };
    expect(report.outcome).toBe('recovered');
    expect(report.health.kind).toBe('passed');
    expect(report.health.answer).toBe('HTTP 200: {"rows":3}');
    expect(report.database.bytes).toBeGreaterThan(0);
    expect(await psql(url, 'SELECT count(*) FROM notes')).toBe('5');
    expect(await drillLeftovers(sandbox)).toEqual([]);
  }, 120_000);
});
