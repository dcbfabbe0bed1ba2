import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { stableUuid } from '../../ids.js';
import type { World } from '../../world.js';
import { createRelease } from '../api/releases.js';
import { scheduledBackupDue } from '../pg/scheduled-backups.js';
import type { ProcessOptions } from '../runner/processes.js';
import { findPostgresBin, findSetpriv, unprivilegedUser } from './binaries.js';
import { PostgresCluster, type ServerUser } from './cluster.js';
import { PostgresDatabases } from './databases.js';

/** What the sandbox's Postgres add-ons stand for: real local databases, or recorded metadata (and why). */
export type DatabasesStatus =
  | { readonly kind: 'postgresql'; readonly port: number; /** The cluster's data directory. */ readonly data: string }
  | { readonly kind: 'metadata'; readonly reason: string };

export interface SandboxPostgres {
  readonly status: DatabasesStatus;
  /** After the sandbox's reset: drops the databases and archives of the add-ons that are gone. */
  reset(): Promise<void>;
  /** Stops the server (a sandbox without state file also deletes its data). */
  close(): Promise<void>;
}

const SERVICE = 'heroku-postgresql';

/**
 * Sets `world.heroku.databases` when Postgres add-ons can be real databases: the sandbox runs
 * processes, can run programs, and finds PostgreSQL's binaries (as root, also `setpriv` and an
 * unprivileged user, since PostgreSQL refuses root). The server starts on first use, or at once when
 * the state already has Postgres add-ons (a reopened sandbox's apps need their databases; it is
 * waited for when a scheduled backup is due). Else
 * add-ons are metadata only, and `notice` says so once, when the state has or gets one.
 */
export async function openPostgres(
  world: World,
  processes: ProcessOptions | undefined,
  stateFile: string | undefined,
  notice: (message: string) => void,
): Promise<SandboxPostgres> {
  const found = await serverParts(processes);
  if (found.kind === 'metadata') {
    let told = false;
    world.heroku.metadataOnly = () => {
      if (!told) notice(`Postgres add-ons are metadata only: ${found.reason}.`);
      told = true;
    };
    if (postgresAddons(world).size > 0) world.heroku.metadataOnly();
    return { status: found, reset: async () => undefined, close: async () => undefined };
  }
  const { run, launch, bin, user, path } = found;
  const home = postgresDirFor(stateFile) ?? (await mkdtemp(join(tmpdir(), 'daff-pg-home-')));
  await mkdir(home, { recursive: true, mode: 0o700 });
  // As root, the data directory must be reachable by the server's user, which a private state
  // directory (.daffeinated/ is 0700) is not: it goes to a directory of its own, named after home.
  const data =
    user === undefined ? join(home, 'data') : join(tmpdir(), `daffeinated-postgres-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`, 'data');
  const port = await serverPort(world, home);
  const cluster = new PostgresCluster({ bin, data, port, user, launch, run, path });
  const report = (message: string) => notice(`Postgres: ${message}`);
  const databases = new PostgresDatabases(cluster, join(home, 'archives'), () => postgresAddons(world), report);
  world.heroku.databases = databases;
  if (postgresAddons(world).size > 0) {
    const warming = databases.warm().catch((error: unknown) => report((error as Error).message));
    // A scheduled backup due now (the sandbox did not run at its time) is taken at the first
    // request, so the server must be up by then, or it would fail for want of a database.
    if (scheduledBackupDue(world)) await warming;
  }
  return {
    status: { kind: 'postgresql', port, data },
    reset: () => databases.reset(),
    async close() {
      await databases.close();
      if (stateFile === undefined) {
        await rm(home, { recursive: true, force: true });
        await rm(dirname(data), { recursive: true, force: true });
      }
    },
  };
}

type ServerParts =
  | { readonly kind: 'metadata'; readonly reason: string }
  | {
      readonly kind: 'postgresql';
      readonly bin: string;
      readonly user: ServerUser | undefined;
      readonly path: string;
      readonly run: NonNullable<ProcessOptions['run']>;
      readonly launch: ProcessOptions['launch'];
    };

async function serverParts(processes: ProcessOptions | undefined): Promise<ServerParts> {
  if (processes === undefined) return { kind: 'metadata', reason: 'the sandbox runs no processes' };
  const run = processes.run;
  if (run === undefined) return { kind: 'metadata', reason: 'the sandbox was given no way to run programs' };
  const path = processes.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin';
  const bin = await (processes.findPostgres ?? (() => findPostgresBin(path, run)))();
  if (bin === undefined) {
    return {
      kind: 'metadata',
      reason: 'PostgreSQL’s server programs (initdb, postgres, pg_ctl) were not found; install PostgreSQL (Debian: apt-get install postgresql) for real databases',
    };
  }
  if (userInfo().uid !== 0) return { kind: 'postgresql', bin, user: undefined, path, run, launch: processes.launch };
  const setpriv = findSetpriv(path);
  const account = unprivilegedUser();
  if (setpriv === undefined || account === undefined) {
    return { kind: 'metadata', reason: 'PostgreSQL refuses to run as root, and setpriv or an unprivileged user (postgres, nobody) to run it as was not found' };
  }
  return { kind: 'postgresql', bin, user: { uid: account.uid, gid: account.gid, setpriv }, path, run, launch: processes.launch };
}

/** Where a state file's databases live: `dir/sandbox.json` → `dir/sandbox-postgres` (see blobDirFor). */
export function postgresDirFor(stateFile: string | undefined): string | undefined {
  if (stateFile === undefined) return undefined;
  return join(dirname(stateFile), `${basename(stateFile, extname(stateFile))}-postgres`);
}

/** The ids of the state's Postgres add-ons. */
function postgresAddons(world: World): ReadonlySet<string> {
  return new Set(world.state.heroku.apps.flatMap((app) => app.addons.filter((a) => a.service.name === SERVICE).map((a) => a.id)));
}

/**
 * The server's port: the one of earlier runs (the apps' `DATABASE_URL`s name it), unless something
 * else took it meanwhile; then a free one, and the URLs move with it, each app getting a release
 * from the provider, as when Heroku changes a database's credentials.
 */
async function serverPort(world: World, home: string): Promise<number> {
  const file = join(home, 'server.json');
  let previous: number | undefined;
  try {
    const port = (JSON.parse(await readFile(file, 'utf8')) as { port?: unknown }).port;
    if (typeof port === 'number' && Number.isInteger(port)) previous = port;
  } catch {
    previous = undefined;
  }
  if (previous !== undefined && (await portFree(previous))) return previous;
  const port = await portFree(0);
  if (port === false) throw new Error('no free loopback port for the sandbox’s PostgreSQL');
  await writeFile(file, `${JSON.stringify({ port })}\n`, { mode: 0o600 });
  if (previous !== undefined) moveUrls(world, previous, port);
  return port;
}

function moveUrls(world: World, from: number, to: number): void {
  const before = `@127.0.0.1:${from}/`;
  for (const app of world.state.heroku.apps) {
    for (const addon of app.addons.filter((a) => a.service.name === SERVICE)) {
      const keys = addon.configVars.filter((key) => app.config[key]?.includes(before));
      for (const key of keys) app.config[key] = (app.config[key] as string).replace(before, `@127.0.0.1:${to}/`);
      if (keys.length === 0) continue;
      const user = { id: stableUuid('addon-provider', SERVICE), email: `${SERVICE}@addons.heroku.com` };
      createRelease(world, app, { description: `Update ${addon.attachment.name} by ${SERVICE}`, user });
    }
  }
}

/** Whether `port` is free on loopback (0: the port the OS picks, or false). */
function portFree(port: number): Promise<number | false> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : false));
    });
  });
}
