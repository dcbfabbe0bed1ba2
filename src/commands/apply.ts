import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkStale, parsePlanFile } from '../engine/planfile.js';
import { planIsEmpty } from '../engine/plan.js';
import { assertSafe } from '../engine/safety.js';
import type { Plan } from '../engine/types.js';
import type { Reporter } from '../providers/provider.js';
import { ConfirmationError, DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { applyPlan } from '../workflows/apply.js';
import { connect } from './connect.js';
import { type GlobalOptions, type Prepared, planNow, prepare } from './context.js';
import { type OutputFormat, renderPlanFor } from './output.js';

export interface ApplyOptions {
  /** Environment names, or one path to a plan saved with `plan --out`. */
  readonly targets: readonly string[];
  readonly all: boolean;
  readonly yes: boolean;
  readonly allowDestroy: readonly string[];
  readonly force: boolean;
  readonly format: OutputFormat;
}

/**
 * `apply [ENV…|PLAN.json]`: plan, check safety, confirm, apply level by level, then re-read and
 * confirm convergence. A saved plan is refused when live state or config moved since it was made.
 */
export async function applyCommand(io: Io, global: GlobalOptions, options: ApplyOptions): Promise<ExitCode> {
  const saved = await loadSavedPlan(io, options.targets);
  const prepared = prepare(io, global, {
    names: saved?.scopes ?? options.targets,
    all: options.all,
    defaultAll: false,
  });
  const connection = await connect(prepared.config, io, { sandbox: global.sandbox, debug: global.debug });
  try {
    const plan = await planNow(connection, prepared);
    if (saved !== undefined) checkStale(saved, plan);
    io.stdout(renderPlanFor(plan, options.format, io, 'plan'));
    if (planIsEmpty(plan)) return ExitCode.Ok;
    assertSafe(plan, { allowDestroy: options.allowDestroy, force: options.force });
    await confirm(io, prepared, plan, options.yes);
    const outcome = await applyPlan(plan, connection.providers, stderrReporter(io));
    const after = await planNow(connection, prepared);
    if (!planIsEmpty(after)) {
      io.stderr(renderPlanFor(after, 'human', io, 'plan'));
      throw new DaffError(`Applied ${outcome.applied.length} change(s), but live state does not match app.yaml yet`, {
        hint: 'Run `daffeinated plan` to see what remains; an API may still be converging.',
      });
    }
    const deferred = after.deferred.length > 0 ? ` ${after.deferred.length} deferred until the first deploy.` : '';
    io.stderr(`Apply complete: ${outcome.applied.length} change(s) applied; live matches app.yaml.${deferred}\n`);
    return ExitCode.Ok;
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

/**
 * Nothing changes without consent: `--yes`, or a person at a terminal typing `yes` (or, for a
 * production stage, the app names).
 */
async function confirm(io: Io, prepared: Prepared, plan: Plan, yes: boolean): Promise<void> {
  if (yes) return;
  if (!io.interactive) {
    throw new ConfirmationError('Refusing to apply without confirmation: standard input is not a terminal', 'Pass --yes to apply non-interactively (e.g. in CI).');
  }
  const production = prepared.environments
    .map((name) => prepared.config.environments[name])
    .filter((e) => e !== undefined && e.stage === 'production' && plan.changes.some((c) => c.scope === e.name));
  const expected = production.length > 0 ? production.map((e) => e?.app).join(' ') : 'yes';
  const question =
    production.length > 0
      ? `This changes production. Type the app name${production.length > 1 ? 's' : ''} (${expected}) to apply: `
      : 'Apply these changes? Type yes to continue: ';
  const answer = (await io.prompt(question)).trim();
  if (answer !== expected) throw new ConfirmationError('Apply cancelled: the confirmation did not match', 'Nothing was changed.');
}

function stderrReporter(io: Io): Reporter {
  return {
    info: (message) => io.stderr(`${message}\n`),
    warn: (message) => io.stderr(`warning: ${message}\n`),
    progress: (address, message) => io.stderr(`  ${address}: ${message}\n`),
  };
}
