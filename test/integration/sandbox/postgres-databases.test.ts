import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runProgram, startProcessGroup } from '../../../src/runtime/exec.js';
import type { DatabaseJob } from '../../../src/sandbox/heroku/databases.js';
import { findPostgresBin, findSetpriv, unprivilegedUser } from '../../../src/sandbox/heroku/postgres/binaries.js';
import { PostgresCluster, type ServerUser } from '../../../src/sandbox/heroku/postgres/cluster.js';
import { PostgresDatabases } from '../../../src/sandbox/heroku/postgres/databases.js';

// One real PostgreSQL server for the whole file (initdb and start take about a second).
const path = process.env['PATH'] ?? '/usr/bin:/bin';
const bin = await findPostgresBin(path, runProgram);
const WAIT = { timeout: 10_000, interval: 50 };
const SOURCE = '11111111-2222-4333-8444-555555555555';
const TARGET = '66666666-7777-4888-9999-aaaaaaaaaaaa';

describe.runIf(bin !== undefined)('real databases of a local PostgreSQL server', () => {
  let dir: string;
  let user: ServerUser | undefined;
  let cluster: PostgresCluster;
  let databases: PostgresDatabases;
  const live = new Set([SOURCE, TARGET]);
  const reports: string[] = [];
  const newCluster = (port: number) => new PostgresCluster({ bin: bin as string, data: join(dir, 'pg', 'data'), port, user, launch: startProcessGroup, run: runProgram, path });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'daff-pgtest-'));
    user = serverUser();
    if (user !== undefined) await chown(dir, user.uid, user.gid);
    cluster = newCluster(await freePort());
    databases = new PostgresDatabases(cluster, join(dir, 'archives'), () => live, (message) => reports.push(message));
  });
  afterAll(async () => {
    await databases?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('provisions a database per add-on, reachable over TCP with its own password only', async () => {
    const source = databases.provision(SOURCE);
    const target = databases.provision(TARGET);
    expect(databases.provision(SOURCE)).toBe(source);
    expect(source).toMatch(new RegExp(`^postgres://u[0-9a-f]{32}:[0-9a-f]{48}@127\\.0\\.0\\.1:${cluster.port}/d[0-9a-f]{32}$`));
    await vi.waitFor(() => expect(databases.ready(SOURCE) && databases.ready(TARGET)).toBe(true), WAIT);
    await psql(source, 'CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT n, $$note $$ || n FROM generate_series(1, 25) n;');
    expect(await psql(source, 'SELECT count(*) FROM notes')).toBe('25');
    const wrongPassword = source.replace(/:[0-9a-f]{48}@/, ':nope@');
    await expect(psql(wrongPassword, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    // Another add-on's role may not connect to this database.
    const intruder = target.replace(/\/d[0-9a-f]+$/, source.slice(source.lastIndexOf('/')));
    await expect(psql(intruder, 'SELECT 1')).rejects.toThrow(/permission denied/);
    await vi.waitFor(() => expect(databases.sizeOf(SOURCE)).toBeGreaterThan(1_000_000), WAIT);
  });

  it('captures with pg_dump and restores with pg_restore into another add-on, which then owns the tables', async () => {
    const [source, target] = [databases.provision(SOURCE), databases.provision(TARGET)];
    await psql(target, 'CREATE TABLE leftovers (id int)');
    databases.capture(SOURCE, 'b001');
    expect(databases.job('b001')).toEqual({ state: 'running' });
    const captured = await settled(() => databases.job('b001'));
    expect(captured).toEqual({ state: 'completed', bytes: expect.any(Number) });
    expect((await readFile(join(dir, 'archives', 'b001.dump'))).subarray(0, 5).toString()).toBe('PGDMP');

    await psql(source, 'DELETE FROM notes WHERE id > 10');
    databases.restore('b001', TARGET, 'r001');
    expect(await settled(() => databases.job('r001'))).toMatchObject({ state: 'completed' });
    expect(await psql(target, 'SELECT count(*) FROM notes')).toBe('25');
    expect(await psql(target, "SELECT to_regclass('leftovers') IS NULL")).toBe('t');
    await psql(target, 'INSERT INTO notes VALUES (26, $$mine$$)');
    expect(await psql(source, 'SELECT count(*) FROM notes')).toBe('10');
  });

  it('fails a job with a reason, and forgets a dropped archive', async () => {
    databases.restore('missing', TARGET, 'r002');
    expect(await settled(() => databases.job('r002'))).toEqual({ state: 'failed', message: expect.stringMatching(/archive missing does not exist/) });
    databases.capture('00000000-0000-4000-8000-000000000000', 'b002');
    expect(await settled(() => databases.job('b002'))).toEqual({ state: 'failed', message: expect.stringMatching(/has no database/) });
    databases.dropArchive('b001');
    expect(databases.job('b001')).toBeUndefined();
  });

  it('comes back after its server was killed (a stale postmaster.pid), keeping the data', async () => {
    const source = databases.provision(SOURCE);
    const pidFile = join(dir, 'pg', 'data', 'postmaster.pid');
    const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(cluster.running).toBe(false), { timeout: 15_000, interval: 50 });
    await vi.waitFor(() => expect(alive(pid)).toBe(false), WAIT);
    // As if a reused process id were in the file: a live process that is no server of ours.
    await writeFile(pidFile, `${process.pid}\n${join(dir, 'pg', 'data')}\n`);
    expect(await psql(source, 'SELECT count(*) FROM notes').catch(() => 'down')).toBe('down');
    await databases.warm();
    expect(await psql(source, 'SELECT count(*) FROM notes')).toBe('10');
  });

  it('drops a deprovisioned add-on’s database and role, and those of add-ons gone from the state', async () => {
    const target = databases.provision(TARGET);
    databases.deprovision(SOURCE);
    await vi.waitFor(() => expect(databases.ready(SOURCE)).toBe(false), WAIT);
    live.delete(TARGET);
    await databases.prune();
    expect(databases.ready(TARGET)).toBe(false);
    await expect(psql(target, 'SELECT 1')).rejects.toThrow(/password authentication failed|does not exist/);
    expect(await cluster.sql("SELECT count(*) FROM pg_roles WHERE rolname ~ '^u[0-9a-f]{32}$'")).toBe('0\n');
    expect(reports).toEqual([]);
  });
});

/** Runs SQL through psql at `url` (TCP, password auth); its output, trimmed. */
async function psql(url: string, sql: string): Promise<string> {
  const result = await runProgram({ file: join(bin as string, 'psql'), args: ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], env: { PATH: path } });
  if (result.code !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

async function settled(job: () => DatabaseJob | undefined): Promise<DatabaseJob | undefined> {
  await vi.waitFor(() => expect(job()?.state).not.toBe('running'), { timeout: 30_000, interval: 50 });
  return job();
}

/** PostgreSQL refuses root: then the server runs as an unprivileged user (as the sandbox does). */
function serverUser(): ServerUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const account = unprivilegedUser();
  const setpriv = findSetpriv(path);
  if (account === undefined || setpriv === undefined) throw new Error('running as root needs setpriv and a postgres or nobody user');
  return { uid: account.uid, gid: account.gid, setpriv };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
