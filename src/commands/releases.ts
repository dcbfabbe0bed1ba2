import { type ReleasesFormat, renderReleases } from '../render/releases.js';
import { ExitCode, InternalError, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { releaseHistory } from '../workflows/releases.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';

export interface ReleasesOptions {
  readonly environment: string;
  readonly limit: number;
  readonly format: ReleasesFormat;
}

/**
 * `releases ENV [--limit N]`: ENV's newest releases (default 10), newest first, the current one
 * marked, each with its commit, who made it, when and what it did. Read-only; exit 0, or 1 when
 * it cannot read.
 */
export async function releasesCommand(io: Io, global: GlobalOptions, options: ReleasesOptions): Promise<ExitCode> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 1000) {
    throw new UsageError(`--limit expects a whole number from 1 to 1000, not ${options.limit}`);
  }
  const prepared = prepare(io, global, { names: [options.environment], all: false, defaultAll: false });
  const environment = prepared.config.environments[options.environment];
  if (environment === undefined)
    throw new InternalError(`environment ${options.environment} vanished after validation`);
  const connection = await connectFor(io, global, { ...prepared, desired: { resources: [], prune: [] } });
  try {
    const history = await releaseHistory(connection, environment, options.limit);
    io.stdout(renderReleases(environment.app, history, options.format));
    return ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
