import type { BackupEntry, DatabaseRef, TransferProgress } from '../../model/backups.js';
import type { Backups } from '../provider.js';
import { inferAttachment } from './addons.js';
import type { ApiAddon } from './api-types.js';
import { DEFAULT_POLL, type PollOptions } from './apply-support.js';
import type { HerokuClient } from './client.js';
import { backupUrl, captureBackup, listBackups, restoreBackup } from './postgres-api.js';
import { backupEntry } from './postgres-transfers.js';
import { ADDONS } from './shapes.js';

/**
 * `Backups` on Heroku: the database is found through the Platform API (the app's add-ons), its
 * backups through the Postgres API (postgres-api.ts), each client on its own base URL.
 */
export class HerokuBackups implements Backups {
  constructor(
    private readonly platform: HerokuClient,
    private readonly postgres: HerokuClient,
    private readonly poll: PollOptions = DEFAULT_POLL,
  ) {}

  async database(app: string, attachment = 'DATABASE'): Promise<DatabaseRef | undefined> {
    const addons = await this.platform.get<ApiAddon[]>(`/apps/${encodeURIComponent(app)}/addons`, { shape: ADDONS });
    const postgres = addons.filter((a) => a.addon_service.name === 'heroku-postgresql');
    const wanted = attachment.toUpperCase();
    const found = postgres.find((a) => a.config_vars.includes(`${wanted}_URL`));
    if (found === undefined) return undefined;
    return {
      id: found.id,
      name: found.name,
      plan: found.plan.name,
      attachment: inferAttachment(found) ?? wanted,
      // daffeinated's add-ons belong to their environment's app (it creates them there).
      app,
    };
  }

  async list(app: string): Promise<BackupEntry[]> {
    return (await listBackups(this.postgres, app)).map(backupEntry);
  }

  async capture(database: DatabaseRef, onProgress?: (progress: TransferProgress) => void): Promise<BackupEntry> {
    const done = await captureBackup(
      this.postgres,
      { app: database.app, addonId: database.id },
      { poll: this.poll, ...(onProgress === undefined ? {} : { onProgress }) },
    );
    return backupEntry(done);
  }

  url(app: string, backupId: string): Promise<string> {
    return backupUrl(this.postgres, app, backupId);
  }

  async restore(database: DatabaseRef, url: string, onProgress?: (progress: TransferProgress) => void): Promise<void> {
    await restoreBackup(
      this.postgres,
      { app: database.app, addonId: database.id, backupUrl: url },
      { poll: this.poll, ...(onProgress === undefined ? {} : { onProgress }) },
    );
  }
}
