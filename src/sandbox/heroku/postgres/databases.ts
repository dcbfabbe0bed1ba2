import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseJob, SandboxDatabases } from '../databases.js';
import type { PostgresCluster } from './cluster.js';

/** Archive ids name files: nothing that could leave the archive directory. */
const ARCHIVE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * Postgres add-ons as real databases of one local server (cluster.ts). Add-on `a` owns database
 * `d<a>` and role `u<a>` (its id's letters and digits), so the mapping needs no storage: the names
 * survive restarts with the cluster, and the role's password lives only in the URL handed out
 * (the app's config var). Work on one add-on's database runs in order (create, dump, restore,
 * drop); work on different ones runs side by side.
 */
export class PostgresDatabases implements SandboxDatabases {
  private readonly urls = new Map<string, string>();
  /** Names of the databases that exist, as of the last start and the work done since. */
  private readonly existing = new Set<string>();
  private readonly sizes = new Map<string, number>();
  private readonly jobs = new Map<string, DatabaseJob>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly refreshing = new Set<string>();
  private opened: Promise<void> | undefined;

  constructor(
    private readonly cluster: PostgresCluster,
    private readonly archiveDir: string,
    /** The add-ons whose databases should exist; the others are dropped when the server starts and on `prune`. */
    private readonly live: () => ReadonlySet<string>,
    /** Where failures of work nobody waits for are told. */
    private readonly report: (message: string) => void,
  ) {}

  provision(addonId: string): string {
    const known = this.urls.get(addonId);
    if (known !== undefined) return known;
    const { database, role } = names(addonId);
    const password = randomBytes(24).toString('hex');
    const url = `postgres://${role}:${password}@127.0.0.1:${this.cluster.port}/${database}`;
    this.urls.set(addonId, url);
    this.after(addonId, async () => {
      await this.cluster.sql(createSql(database, role, password));
      this.existing.add(database);
      await this.refreshSize(addonId);
    }).catch((error: unknown) => this.report(`the database of add-on ${addonId} could not be created: ${messageOf(error)}`));
    return url;
  }

  ready(addonId: string): boolean {
    return this.cluster.running && this.existing.has(names(addonId).database);
  }

  deprovision(addonId: string): void {
    const { database, role } = names(addonId);
    this.urls.delete(addonId);
    this.sizes.delete(addonId);
    this.after(addonId, async () => {
      this.existing.delete(database);
      await this.cluster.sql(dropSql(database, role));
    }).catch((error: unknown) => this.report(`the database of add-on ${addonId} could not be dropped: ${messageOf(error)}`));
  }

  capture(addonId: string, archiveId: string): void {
    this.track(archiveId, () =>
      this.after(addonId, async () => {
        const { database } = names(addonId);
        if (!this.existing.has(database)) throw new Error(`add-on ${addonId} has no database to capture`);
        await mkdir(this.archiveDir, { recursive: true, mode: 0o700 });
        const temp = `${this.archivePath(archiveId)}.${randomBytes(6).toString('hex')}.tmp`;
        await this.cluster.client('pg_dump', ['-Fc', '-f', temp, database]);
        await rename(temp, this.archivePath(archiveId));
        return (await stat(this.archivePath(archiveId))).size;
      }),
    );
  }

  restore(archiveId: string, targetAddonId: string, jobId: string): void {
    this.track(jobId, () =>
      this.after(targetAddonId, async () => {
        const { database, role } = names(targetAddonId);
        const file = this.archivePath(archiveId);
        if (!existsSync(file)) throw new Error(`archive ${archiveId} does not exist (deleted, or never captured)`);
        if (!this.existing.has(database)) throw new Error(`add-on ${targetAddonId} has no database to restore into`);
        // Replacing the contents: a fresh database (open sessions are ended), then the archive's
        // objects created as the target's own role, whoever owned them where they were captured.
        await this.cluster.sql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE);\n${createDatabaseSql(database, role)};\n${revokeSql(database)}`);
        await this.cluster.client('pg_restore', ['--no-owner', '--no-acl', `--role=${role}`, '--exit-on-error', '-d', database, file]);
        await this.refreshSize(targetAddonId);
        return statSync(file).size;
      }),
    );
  }

  archiveFile(archiveId: string): string | undefined {
    if (!ARCHIVE_ID.test(archiveId) || this.jobs.get(archiveId)?.state === 'running') return undefined;
    const file = this.archivePath(archiveId);
    return existsSync(file) ? file : undefined;
  }

  dropArchive(archiveId: string): void {
    this.jobs.delete(archiveId);
    if (ARCHIVE_ID.test(archiveId)) rmSync(this.archivePath(archiveId), { force: true });
  }

  job(jobId: string): DatabaseJob | undefined {
    const known = this.jobs.get(jobId);
    if (known !== undefined || !ARCHIVE_ID.test(jobId)) return known;
    // A capture finished in an earlier run: its archive is all there is to know.
    const file = this.archivePath(jobId);
    return existsSync(file) ? { state: 'completed', bytes: statSync(file).size } : undefined;
  }

  sizeOf(addonId: string): number | undefined {
    if (!this.ready(addonId)) return undefined;
    if (!this.refreshing.has(addonId)) {
      this.refreshing.add(addonId);
      void this.after(addonId, () => this.refreshSize(addonId))
        .catch(() => undefined)
        .finally(() => this.refreshing.delete(addonId));
    }
    return this.sizes.get(addonId);
  }

  /** Starts the server now (rather than at the first piece of work), e.g. for the apps of a reopened sandbox. */
  warm(): Promise<void> {
    return this.open();
  }

  /** After a reset: no archive, no job, and only the databases of add-ons that exist. */
  async reset(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
    this.jobs.clear();
    await rm(this.archiveDir, { recursive: true, force: true });
    await this.prune();
  }

  /** Drops the databases of add-ons that no longer exist (when the server starts, and after a reset). */
  async prune(): Promise<void> {
    if (!this.cluster.running) return;
    const live = new Set([...this.live()].map((id) => names(id).database));
    const rows = await this.cluster.sql(`SELECT datname FROM pg_database WHERE datname ~ '^d[0-9a-z]+$'`);
    for (const database of rows.split('\n').filter((row) => row !== '')) {
      if (live.has(database)) this.existing.add(database);
      else {
        this.existing.delete(database);
        await this.cluster.sql(dropSql(database, `u${database.slice(1)}`));
      }
    }
  }

  /** Waits for the work under way, then stops the server. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
    await this.cluster.stop();
  }

  private open(): Promise<void> {
    if (this.opened === undefined || !this.cluster.running) {
      this.opened = this.cluster.start().then(() => this.prune());
      this.opened.catch(() => {
        this.opened = undefined;
      });
    }
    return this.opened;
  }

  /** Runs `task` once the server is up and earlier work on the add-on's database has settled. */
  private after<T>(addonId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(addonId) ?? Promise.resolve();
    const run = previous.then(() => this.open()).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(addonId, settled);
    void settled.then(() => {
      if (this.queues.get(addonId) === settled) this.queues.delete(addonId);
    });
    return run;
  }

  private track(jobId: string, work: () => Promise<number>): void {
    this.jobs.set(jobId, { state: 'running' });
    work().then(
      (bytes) => this.jobs.set(jobId, { state: 'completed', bytes }),
      (error: unknown) => this.jobs.set(jobId, { state: 'failed', message: messageOf(error) }),
    );
  }

  private async refreshSize(addonId: string): Promise<void> {
    const { database } = names(addonId);
    if (!this.existing.has(database)) return;
    const bytes = Number((await this.cluster.sql(`SELECT pg_database_size('${database}')`)).trim());
    if (Number.isFinite(bytes)) this.sizes.set(addonId, bytes);
  }

  private archivePath(archiveId: string): string {
    if (!ARCHIVE_ID.test(archiveId)) throw new Error(`invalid archive id ${JSON.stringify(archiveId)}`);
    return join(this.archiveDir, `${archiveId}.dump`);
  }
}

/** The add-on's database and role: its id's letters and digits (a uuid: 32), lower case. */
export function names(addonId: string): { readonly database: string; readonly role: string } {
  const key = addonId.toLowerCase().replace(/[^0-9a-z]/g, '').slice(0, 62);
  return { database: `d${key}`, role: `u${key}` };
}

function createSql(database: string, role: string, password: string): string {
  return [
    `SELECT 'CREATE ROLE ${role} LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') \\gexec`,
    `ALTER ROLE ${role} LOGIN PASSWORD '${password}';`,
    `SELECT $$${createDatabaseSql(database, role)}$$ WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${database}') \\gexec`,
    revokeSql(database),
    '',
  ].join('\n');
}

function createDatabaseSql(database: string, role: string): string {
  return `CREATE DATABASE ${database} OWNER ${role}`;
}

/** Other add-ons' roles may not connect (as on Heroku, where each database has its own server). */
function revokeSql(database: string): string {
  return `REVOKE ALL ON DATABASE ${database} FROM PUBLIC;`;
}

function dropSql(database: string, role: string): string {
  return `DROP DATABASE IF EXISTS ${database} WITH (FORCE);\nDROP ROLE IF EXISTS ${role};\n`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
