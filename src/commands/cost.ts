import { type CostFormat, renderCostReport } from '../render/cost-report.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { costNow } from '../workflows/cost.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';

export interface CostOptions {
  readonly environments: readonly string[];
  readonly format: CostFormat;
}

/** `cost [ENV…]`: what runs now costs a month, per environment (default: all) and in total. Read-only; exit 0, or 1 when it cannot read. */
export async function costCommand(io: Io, global: GlobalOptions, options: CostOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: options.environments, all: false, defaultAll: true });
  const connection = await connectFor(io, global, prepared);
  try {
    io.stdout(renderCostReport(await costNow(connection, prepared), options.format));
    return ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
