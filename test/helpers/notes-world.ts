import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { runProgram } from '../../src/runtime/exec.js';
import { findPostgresBin } from '../../src/sandbox/heroku/postgres/binaries.js';
import { type SandboxHandle, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { testProcesses } from './apps.js';
import { cli } from './cli.js';
import { gitRepo } from './repo.js';
import { heroku } from './sandbox.js';

/**
 * The "notes" world of the tests that drill real data: a production whose Postgres add-on is a
 * real database (the sandbox runs PostgreSQL where the machine has it: `postgresBin`), and a web
 * process whose /health counts the rows of `notes` with psql (200 `{"rows":N}`, 500 when it cannot).
 */
const path = process.env['PATH'] ?? '/usr/bin:/bin';
export const NOTES_ENV = { PATH: path };
/** PostgreSQL's binaries, when the machine has them: the notes tests run only then. */
export const postgresBin = await findPostgresBin(path, runProgram);
const run = promisify(execFile);

const NOTES_SERVER_JS = `const http = require('node:http');
const { execFile } = require('node:child_process');
http.createServer((req, res) => {
  if (req.url !== '/health') return res.end('notes\\n');
  execFile('psql', [process.env.DATABASE_URL, '-tAc', 'SELECT count(*) FROM notes'], (error, stdout, stderr) => {
    res.writeHead(error ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(error ? { error: String(stderr).trim() } : { rows: Number(stdout.trim()) }));
  });
}).listen(Number(process.env.PORT), process.env.HOST);
`;

/** app.yaml of the notes app; `database` is added to the database add-on's flow map (`, backups: …`). */
function notesYaml(database: string): string {
  return `version: 1
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
      database: { plan: "heroku-postgresql:standard-0", as: DATABASE${database} }
`;
}

export async function psql(url: string, sql: string): Promise<string> {
  return (await run('psql', [url, '-tAc', sql], { env: NOTES_ENV })).stdout.trim();
}

export interface NotesWorld {
  sandbox: SandboxHandle;
  /** The notes app's git repository (app.yaml, Procfile, server.js). */
  readonly dir: string;
  /** The directory of the sandbox's state file, `sandbox.json`: reopen with `reopen`. */
  readonly state: string;
  /** Closes the sandbox and starts it again on the same state with `options`. */
  reopen(options: Partial<SandboxOptions>): Promise<SandboxHandle>;
  /** Closes the sandbox and removes its state and its databases. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox running the apps' processes with real databases, and the notes app's repository.
 * Provisioning takes long enough for the real database to accept connections by its end, as on
 * Heroku (the sandbox can call an add-on provisioned before its database is up).
 */
export async function startNotesWorld(
  prefix: string,
  { database = '', sandbox: options = {} }: { database?: string; sandbox?: Partial<SandboxOptions> } = {},
): Promise<NotesWorld> {
  const files = { 'app.yaml': notesYaml(database), Procfile: 'web: node server.js\n', 'server.js': NOTES_SERVER_JS };
  const dir = gitRepo(prefix, files).dir;
  const state = mkdtempSync(join(tmpdir(), `${prefix}state-`));
  const processes = testProcesses({ run: runProgram });
  const stateFile = join(state, 'sandbox.json');
  const quick = {
    buildMs: 50,
    releasePhaseMs: 20,
    addonProvisionMs: 3000,
    domainMs: 0,
    acmMs: 0,
    pgTransferStartMs: 0,
  };
  const sandbox = await startSandbox({ stateFile, processes, ...options, heroku: { ...quick, ...options.heroku } });
  const health = (await (await fetch(`${sandbox.url}/__sandbox/health`)).json()) as { databases?: { data?: string } };
  const data = health.databases?.data;
  const world: NotesWorld = {
    sandbox,
    dir,
    state,
    async reopen(again) {
      await world.sandbox.close();
      world.sandbox = await startSandbox({ stateFile, processes, ...again });
      return world.sandbox;
    },
    async close() {
      await world.sandbox.close();
      rmSync(state, { recursive: true, force: true });
      if (data !== undefined && !data.startsWith(state)) rmSync(dirname(data), { recursive: true, force: true });
    },
  };
  return world;
}

/** Applies and deploys production with 3 rows in `notes`; returns its DATABASE_URL. */
export async function productionWithThreeNotes(world: NotesWorld): Promise<string> {
  const options = { cwd: world.dir, env: NOTES_ENV };
  const apply = await cli(['apply', 'production', '--yes', '--sandbox', world.sandbox.url], options);
  expect(apply.code, apply.stderr).toBe(0);
  const vars = await heroku<Record<string, string>>(world.sandbox, 'GET', '/apps/notes-production/config-vars');
  const url = vars.body['DATABASE_URL'] as string;
  await vi.waitFor(() => psql(url, 'SELECT 1'), { timeout: 20_000, interval: 100 });
  await psql(
    url,
    "CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT n, 'note ' || n FROM generate_series(1, 3) n;",
  );
  const deploy = await cli(['deploy', 'production', '--yes', '--sandbox', world.sandbox.url], options);
  expect(deploy.code, deploy.stderr).toBe(0);
  return url;
}
