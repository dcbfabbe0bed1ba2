import { type BackupsFormat, renderBackups } from '../render/backups.js';
import { ExitCode, InternalError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { environmentBackups, formatBytes } from '../workflows/backups.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { realTiming, stderrProgress } from './progress.js';

export interface BackupsOptions {
  readonly environment: string;
  /** Take a backup now (and wait for it) before listing. */
  readonly capture: boolean;
  readonly format: BackupsFormat;
}

/**
 * `backups ENV [--capture]`: the backups of ENV's Postgres database (Heroku PGBackups), newest
 * first: id (`b001`), created, status, size. `--capture` takes one first and waits, its progress
 * on stderr. Exit 0, or 1 when it cannot read or the backup failed.
 */
export async function backupsCommand(io: Io, global: GlobalOptions, options: BackupsOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: [options.environment], all: false, defaultAll: false });
  const environment = prepared.config.environments[options.environment];
  if (environment === undefined)
    throw new InternalError(`environment ${options.environment} vanished after validation`);
  const connection = await connectFor(io, global, { ...prepared, desired: { resources: [], prune: [] } });
  const progress = stderrProgress(io, realTiming());
  try {
    const found = await environmentBackups(connection, environment, { capture: options.capture, progress });
    io.stdout(renderBackups({ ...found, size: formatBytes }, options.format));
    return ExitCode.Ok;
  } finally {
    progress.close();
    await connection.close();
  }
}
