import { hostname } from 'node:os';
import type { Reporter } from '../providers/provider.js';
import { renderBudgets } from '../render/budget.js';
import type { Io } from '../runtime/io.js';
import type { LockContext } from '../workflows/apply-lock.js';
import type { Consent, ConvergeHooks } from '../workflows/converge.js';
import { confirmOrRefuse } from './confirm.js';
import { type OutputFormat, renderPlanFor } from './output.js';

/** A workflow's progress on stderr: plain lines, warnings prefixed `warning:`. */
export function stderrReporter(io: Io): Reporter {
  return {
    info: (message) => io.stderr(`${message}\n`),
    warn: (message) => io.stderr(`warning: ${message}\n`),
    progress: (address, message) => io.stderr(`  ${address}: ${message}\n`),
  };
}

/** Consent from `--yes` or the person at the terminal (see `confirmOrRefuse`). */
export function consentOf(io: Io, yes: boolean): Consent {
  return (request) => confirmOrRefuse(io, { yes, ...request });
}

/** Who this run is, for the apply locks it records: from `io`, the machine's name when `io` lacks it. */
export function lockContext(io: Io): LockContext {
  return {
    env: io.env,
    host: io.host ?? hostname(),
    pid: io.pid,
    ...(io.machine === undefined ? {} : { machine: io.machine }),
    now: io.now,
    ...(io.processAlive === undefined ? {} : { alive: io.processAlive }),
    warn: (message) => io.stderr(`warning: ${message}\n`),
  };
}

export interface PlanDisplay {
  /** `apply` prints the plan as its result (stdout, in `format`); deploy and promote as progress (stderr, human). */
  readonly planTo: 'stdout' | 'stderr';
  readonly format: OutputFormat;
}

/** Converging on a terminal: the plan where `display` says, consent from `--yes` or a person, progress on stderr. */
export function convergeHooks(io: Io, display: PlanDisplay, yes: boolean): ConvergeHooks {
  return {
    showPlan: (plan) => {
      const rendered = renderPlanFor(plan, display.planTo === 'stdout' ? display.format : 'human', io, 'plan');
      if (display.planTo === 'stdout') io.stdout(rendered);
      else io.stderr(rendered);
    },
    showBudgets: (checks) => io.stderr(renderBudgets(checks)),
    showRemaining: (plan) => io.stderr(renderPlanFor(plan, 'human', io, 'plan')),
    consent: consentOf(io, yes),
    reporter: stderrReporter(io),
    lock: lockContext(io),
    asksPerson: !yes,
  };
}
