import type { BackupEntry, DatabaseRef } from '../model/backups.js';
import type { EnvironmentConfig } from '../model/config.js';
import { DaffError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import type { Progress } from './progress.js';

export interface EnvironmentBackups {
  readonly app: string;
  readonly database: DatabaseRef;
  /** Newest first. */
  readonly backups: readonly BackupEntry[];
  /** The backup `--capture` took. */
  readonly captured?: BackupEntry;
}

/**
 * The environment's primary Postgres database (its app.yaml Postgres add-on's attachment, else
 * `DATABASE`) and its backups; with `capture`, a backup taken first, its progress shown.
 */
export async function environmentBackups(
  connection: Connection,
  environment: EnvironmentConfig,
  options: { readonly capture: boolean; readonly progress: Progress },
): Promise<EnvironmentBackups> {
  const app = environment.app;
  const attachment = primaryAttachment(environment);
  const database = await connection.backups.database(app, attachment);
  if (database === undefined) {
    throw new DaffError(`${app} (${environment.name}) has no Heroku Postgres database attached as ${attachment}`, {
      hint: `Declare one under environments.${environment.name}.addons (e.g. database: { plan: "heroku-postgresql:essential-0" }) and apply.`,
    });
  }
  let captured: BackupEntry | undefined;
  if (options.capture) {
    const step = options.progress.step(`Backing up ${database.name} (${database.attachment}) of ${app}`);
    try {
      captured = await connection.backups.capture(database, (p) =>
        step.update(`${p.id} ${p.status}, ${formatBytes(p.processedBytes)}`),
      );
    } catch (error) {
      step.fail();
      throw error;
    }
    step.done(`Backed up ${database.attachment} of ${app} to ${captured.id} (${formatBytes(captured.bytes)})`);
  }
  const backups = await connection.backups.list(app);
  return { app, database, backups, ...(captured === undefined ? {} : { captured }) };
}

/** The attachment of the environment's first declared Postgres add-on, else Heroku's default. */
function primaryAttachment(environment: EnvironmentConfig): string {
  const postgres = Object.values(environment.addons).filter((a) => a.service === 'heroku-postgresql');
  return postgres.find((a) => a.as === 'DATABASE')?.as ?? postgres[0]?.as ?? 'DATABASE';
}

/** `812 B`, `48.2 kB`, `1.20 GB` (decimal units, as PGBackups shows sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
