import { planIsEmpty } from '../engine/plan.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { connect } from './connect.js';
import { type GlobalOptions, planNow, prepare } from './context.js';
import { type OutputFormat, renderPlanFor } from './output.js';

export interface DriftOptions {
  readonly environments: readonly string[];
  readonly all: boolean;
  readonly format: OutputFormat;
}

/**
 * `drift [ENV…|--all]`: a read-only plan of every targeted environment. Exit 0 clean, 2 drift,
 * 1 on any error — an unreachable API or a bad token is never "no drift".
 */
export async function driftCommand(io: Io, global: GlobalOptions, options: DriftOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: options.environments, all: options.all, defaultAll: true });
  const connection = await connect(prepared.config, io, { sandbox: global.sandbox, debug: global.debug });
  try {
    const plan = await planNow(connection, prepared);
    io.stdout(renderPlanFor(plan, options.format, io, 'drift'));
    return planIsEmpty(plan) ? ExitCode.Ok : ExitCode.Changes;
  } finally {
    await connection.close();
  }
}
