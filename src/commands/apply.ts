import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePlanFile } from '../engine/planfile.js';
import type { Plan } from '../engine/types.js';
import { renderJson } from '../render/json.js';
import { toPlanView } from '../render/view-model.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { converge } from '../workflows/converge.js';
import { applyResult } from './apply-report.js';
import { everyEnvironment } from './budget.js';
import { connectFor, type GlobalOptions, prepare } from './context.js';
import { convergeHooks } from './hooks.js';
import type { OutputFormat } from './output.js';

export interface ApplyOptions {
  /** Environment names, or one path to a plan saved with `plan --out`. */
  readonly targets: readonly string[];
  readonly all: boolean;
  readonly yes: boolean;
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  readonly format: OutputFormat;
  /** Remove another run's apply lock first (`--break-lock`). */
  readonly breakLock?: boolean;
  /** Apply although the plan exceeds a budget in app.yaml. */
  readonly allowOverBudget?: boolean;
}

/**
 * `apply [ENV…|PLAN.json]`: plan, check safety, confirm, lock, apply (each change once its
 * dependencies are applied), then re-read and confirm convergence (workflows/converge.ts). A saved
 * plan is refused when live state or config moved since it was made. With `--format json`, one
 * document at the end: the plan and its `result` (applied, failed, not attempted), also when the
 * run stops after showing the plan.
 */
export async function applyCommand(io: Io, global: GlobalOptions, options: ApplyOptions): Promise<ExitCode> {
  const saved = await loadSavedPlan(io, options.targets);
  const prepared = prepare(io, global, {
    names: saved?.scopes ?? options.targets,
    all: options.all,
    defaultAll: false,
  });
  const connection = await connectFor(io, global, prepared);
  const hooks = convergeHooks(io, { planTo: 'stdout', format: options.format }, options.yes);
  // With --format json the plan is printed once, at the end, with what became of each change.
  let shown: Plan | undefined;
  const json = options.format === 'json';
  try {
    const converged = await converge(
      connection,
      prepared,
      {
        allowDestroy: options.allowDestroy,
        force: options.force,
        breakLock: options.breakLock ?? false,
        budget: { everything: everyEnvironment(prepared, io), allowOver: options.allowOverBudget ?? false },
        ...(saved === undefined ? {} : { saved }),
      },
      json
        ? {
            ...hooks,
            showPlan: (plan) => {
              shown = plan;
            },
          }
        : hooks,
    );
    if (json) io.stdout(renderJson(toPlanView(converged.plan, { mode: 'apply' }), { result: applyResult(converged.plan, converged) }));
    return ExitCode.Ok;
  } catch (error) {
    if (json && shown !== undefined) io.stdout(renderJson(toPlanView(shown, { mode: 'apply' }), { result: applyResult(shown, { error }) }));
    throw error;
  } finally {
    await connection.close();
  }
}

async function loadSavedPlan(io: Io, targets: readonly string[]) {
  const [first] = targets;
  if (targets.length !== 1 || first === undefined || !first.endsWith('.json')) return undefined;
  const text = await readFile(resolve(io.cwd, first), 'utf8').catch((error: unknown) => {
    throw new DaffError(`Cannot read the saved plan ${first}: ${(error as Error).message}`, {
      hint: 'Save one with `daffeinated plan ENV --out plan.json`.',
    });
  });
  return parsePlanFile(text);
}
