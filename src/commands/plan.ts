import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { planIsEmpty } from '../engine/plan.js';
import { serializePlan } from '../engine/planfile.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { renderBudgets } from '../render/budget.js';
import { checkBudgets } from '../workflows/budget.js';
import { withLockWarnings } from '../workflows/lock-report.js';
import { planNow } from '../workflows/plan.js';
import { everyEnvironment } from './budget.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { lockContext } from './hooks.js';
import { type OutputFormat, renderPlanFor } from './output.js';

export interface PlanOptions {
  readonly environments: readonly string[];
  readonly all: boolean;
  readonly detailedExitcode: boolean;
  readonly format: OutputFormat;
  readonly out?: string;
  /** Read the apply locks and report them as warnings (`--no-lock-survey`: not). */
  readonly lockSurvey: boolean;
}

/** `plan [ENV…]`: read live, diff, print. Exit 2 with --detailed-exitcode when there are changes. */
export async function planCommand(io: Io, global: GlobalOptions, options: PlanOptions): Promise<ExitCode> {
  const prepared = prepare(io, global, { names: options.environments, all: options.all, defaultAll: true });
  const connection = await connectFor(io, global, prepared);
  try {
    const planned = planNow(connection, prepared);
    const plan = options.lockSurvey
      ? await withLockWarnings(connection, planned, prepared.environments, lockContext(io))
      : await planned;
    io.stdout(renderPlanFor(plan, options.format, io, 'plan'));
    const budgets = await checkBudgets(connection, everyEnvironment(prepared, io), plan);
    // The budgets follow a human or markdown plan; JSON keeps stdout one document.
    if (options.format === 'json') io.stderr(renderBudgets(budgets));
    else io.stdout(renderBudgets(budgets));
    if (options.out !== undefined) {
      await writeFile(resolve(io.cwd, options.out), serializePlan(plan));
      io.stderr(`Saved the plan to ${options.out}; apply it with: daffeinated apply ${options.out}\n`);
    }
    return options.detailedExitcode && !planIsEmpty(plan) ? ExitCode.Changes : ExitCode.Ok;
  } finally {
    await connection.close();
  }
}
