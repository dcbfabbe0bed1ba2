import { renderStatus, type StatusFormat } from '../render/status.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { readStatus } from '../workflows/status.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';

export interface StatusOptions {
  readonly environments: readonly string[];
  readonly format: StatusFormat;
}

/**
 * `status [ENV…]`: what runs where, read-only, every environment at once (default: all), in
 * pipeline order. Exit 0 whatever it finds (it reports; `drift` judges); 1 when it cannot read.
 */
export async function statusCommand(io: Io, global: GlobalOptions, options: StatusOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: options.environments, all: false, defaultAll: true });
  const connection = await connectFor(io, global, prepared);
  try {
    io.stdout(renderStatus(await readStatus(connection, prepared, io.cwd), options.format));
    return ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
