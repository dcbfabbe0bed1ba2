import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plan } from '../engine/types.js';
import type { Config } from '../model/config.js';
import { createPalette } from '../render/colors.js';
import { DaffError, ExitCode, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { converge } from '../workflows/converge.js';
import { describeSelection, purgePlan } from '../workflows/purge.js';
import { type CheckReport, FORCEABLE_CHECKS, type ForceableCheck } from '../workflows/promote-checks.js';
import { prepareEnvironments } from '../workflows/prepare.js';
import { promotionRoute, type Route } from '../workflows/promote-facts.js';
import { carryOutPromotion, type Examined, examinePromotion } from '../workflows/promotion.js';
import {
  assertApproved,
  type PromotionDocument,
  parsePromotionDocument,
  promotionDocument,
} from '../workflows/promotion-plan.js';
import { connectFor, type GlobalOptions, loadAppYaml } from './context.js';
import { consentOf, convergeHooks, stderrReporter } from './hooks.js';
import { realTiming, stderrProgress } from './progress.js';
import { type PromoteJournal, promoteDocument } from './promote-report.js';
import { renderResult } from './promote-summary.js';

export interface PromoteOptions {
  readonly from?: string;
  readonly to: readonly string[];
  readonly apply: boolean;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly allowDestroy: readonly string[];
  /** With `apply`: take over another run's apply lock while converging. */
  readonly breakLock?: boolean;
  /** Named checks to pass although they fail (`--force source-health`). */
  readonly force?: readonly string[];
  /**
   * `json`: one document at the end, also on failure (promote-report.ts); with `dryRun`, the
   * promotion document to approve (workflows/promotion-plan.ts).
   */
  readonly format?: 'human' | 'json';
  /** A promotion document approved earlier: promote exactly that release, or refuse. */
  readonly plan?: string;
}

/**
 * `promote [--from ENV] [--to ENV…]`: the source's current release onto the targets through the
 * pipeline, without rebuilding. Every check runs and is reported before anything changes (see
 * `examinePromotion`); `--apply` converges the targets' infrastructure first; `--dry-run` stops
 * after the checks and shows what would be promoted. Then: confirmation, and the promotion with a
 * health check per target and rollback of a target that fails it (`carryOutPromotion`). Exit 0
 * when every target runs the new release healthily; 3 when a check refused; 1 otherwise, saying
 * what happened. With `--format json` the result is one document instead, also on failure (with
 * the error and the same exit code); a dry run's is the promotion document.
 */
export async function promoteCommand(io: Io, global: GlobalOptions, options: PromoteOptions): Promise<ExitCode> {
  const journal: PromoteJournal = { where: 'config' };
  try {
    const code = await promote(io, global, options, journal);
    if (options.format === 'json' && !options.dryRun) io.stdout(promoteDocument(journal, undefined));
    return code;
  } catch (error) {
    if (options.format === 'json') io.stdout(promoteDocument(journal, error));
    throw error;
  }
}

/** The promotion, `journal` kept up to date as it runs; prints the human result (and a dry run's). */
async function promote(io: Io, global: GlobalOptions, options: PromoteOptions, journal: PromoteJournal): Promise<ExitCode> {
  const json = options.format === 'json';
  const force = forceableChecks(options.force ?? []);
  const approved = options.plan === undefined ? undefined : await readApproved(io, options.plan);
  const config = loadAppYaml(io, global);
  const route = promotionRoute(
    config,
    options.from ?? approved?.source.environment,
    options.to.length > 0 || approved === undefined ? options.to : approved.targets.map((t) => t.environment),
  );
  const targets = { names: route.targets.map((t) => t.name), all: false, defaultAll: false };
  const prepared = prepareEnvironments(config, targets, io.env);
  journal.where = 'connect';
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    if (options.apply && !options.dryRun) {
      journal.where = 'infrastructure';
      const converging = { allowDestroy: options.allowDestroy, force: false, breakLock: options.breakLock ?? false };
      const hooks = convergeHooks(io, { planTo: 'stderr', format: 'human' }, options.yes);
      const showPlan = (plan: Plan) => {
        journal.plan = plan;
        hooks.showPlan(plan);
      };
      journal.converged = await converge(connection, prepared, converging, { ...hooks, showPlan });
    }
    journal.where = 'checks';
    const examined = await examinePromotion(connection, prepared, route, {
      allowMissingConfig: config.promote?.allowMissingConfig ?? [],
      assumeApplied: options.apply && options.dryRun,
      force,
    });
    const { report, wouldApply } = examined;
    const notes =
      wouldApply.length > 0
        ? [`--apply would first make ${wouldApply.length} infrastructure change(s): ${wouldApply.join(', ')}`]
        : [];
    const release = examined.source.current;
    const preview = renderPreview(route, examined, options.dryRun, config);
    const checks = renderChecks(report, [...notes, ...report.warnings], io.color);
    const document = promotionDocument(route, examined);
    journal.promotion = document;
    journal.warnings = [...notes, ...report.warnings];
    if (options.dryRun && json) {
      io.stdout(`${JSON.stringify(document, null, 2)}\n`);
      return report.passed ? ExitCode.Ok : ExitCode.Refused;
    }
    if (options.dryRun) {
      io.stdout(
        `${checks}\n${preview}\n${report.passed ? 'Dry run: nothing was changed.' : 'Dry run: the promotion would be refused.'}\n`,
      );
      return report.passed ? ExitCode.Ok : ExitCode.Refused;
    }
    io.stderr(`${checks}\n`);
    journal.where = 'approval';
    if (approved !== undefined && options.plan !== undefined) assertApproved(approved, document, options.plan);
    journal.where = 'checks';
    if (!report.passed || release === undefined) {
      const failed = report.checks.filter((c) => !c.ok).length;
      throw new DaffError(`Promotion refused: ${failed} check${failed === 1 ? '' : 's'} failed; nothing was changed`, {
        hint: 'Fix what the failed checks above say, then promote again (`--dry-run` re-runs just the checks).',
        exitCode: ExitCode.Refused,
      });
    }
    io.stderr(`${preview}\n`);
    journal.where = 'confirmation';
    await consentOf(
      io,
      options.yes,
    )({
      action: 'promote',
      productionApps: route.targets.filter((t) => t.stage === 'production').map((t) => t.app),
      question: `Promote v${release.version} of ${route.source.app} to ${route.targets.map((t) => t.app).join(', ')}?`,
    });
    journal.where = 'promotion';
    const results = await carryOutPromotion(connection, prepared, route, examined, release, {
      progress,
      timing,
      reporter: stderrReporter(io),
    });
    journal.results = results;
    const rendered = results.map(renderResult);
    const failures = rendered.flatMap((r) => (r.failure === undefined ? [] : [r.failure]));
    const summary = `Promotion of ${route.source.name} v${release.version} (commit ${examined.source.slug?.commit?.slice(0, 7) ?? 'unknown'}):\n${rendered.map((r) => r.line).join('\n')}\n`;
    if (failures.length > 0) {
      io.stderr(summary);
      throw new DaffError(`Promotion failed: ${failures.join('\n')}`, {
        hint: `Rolled-back targets run their previous release again. Read the logs (\`heroku logs -a <app>\`), fix the code, deploy ${route.source.name} and promote again; for a failed rollback, roll back by hand: \`heroku rollback -a <app>\`.`,
      });
    }
    if (json) io.stderr(summary);
    else io.stdout(summary);
    return ExitCode.Ok;
  } finally {
    progress.close();
    await connection.close();
  }
}

/** The promotion document `--plan FILE` names, read before anything else. */
async function readApproved(io: Io, file: string): Promise<PromotionDocument> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch((error: unknown) => {
    throw new DaffError(`Cannot read the promotion document ${file}: ${(error as Error).message}`, {
      hint: 'Make one with `daffeinated promote --dry-run --format json > promotion.json`.',
    });
  });
  return parsePromotionDocument(text, file);
}

/** `--force` names checks; an unknown name is a usage error listing the ones that can be forced. */
function forceableChecks(names: readonly string[]): ForceableCheck[] {
  const known: readonly string[] = FORCEABLE_CHECKS;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`--force names no check that can be forced: ${unknown.join(', ')}`, {
      hint: `Checks that --force can override: ${FORCEABLE_CHECKS.join(', ')}.`,
    });
  }
  return names as ForceableCheck[];
}

/** What is promoted from where to where, and each target's rollback point. */
function renderPreview(route: Route, examined: Examined, dryRun: boolean, config: Config): string {
  const release = examined.source.current;
  const purges = route.targets.flatMap((target) =>
    purgePlan(config, target).map((p) => `  then, if ${target.name} is healthy, purge Cloudflare's cache of ${p.zone}: ${describeSelection(p.selection)}`),
  );
  return [
    `${dryRun ? 'Would promote' : 'Promoting'} ${route.source.name} (${route.source.app}) v${release?.version ?? '?'}: slug ${release?.slugId ?? 'none'}, commit ${examined.source.slug?.commit ?? 'unknown'}`,
    ...examined.targets.map((t) => {
      const now = t.current === undefined ? 'no release' : `v${t.current.version}`;
      const point = t.rollbackPoint === undefined ? '' : t.rollbackPoint.id === t.current?.id ? ' (recorded for rollback)' : `; rollback point v${t.rollbackPoint.version}`;
      const already = t.promoted === undefined ? '' : ` — v${t.promoted.version} already runs this slug (promoted by an earlier run): health check only, no new promotion`;
      return `  to ${t.environment} (${t.app}), now at ${now}${point}${already}`;
    }),
    ...purges,
  ].join('\n');
}

/** The checks as a list: ✓/✗, environment, title, detail; then warnings. */
function renderChecks(report: CheckReport, warnings: readonly string[], color: boolean): string {
  const palette = createPalette(color);
  const lines = ['Promotion checks:'];
  for (const check of report.checks) {
    const mark = check.ok ? palette.create('✓') : palette.error('✗');
    lines.push(`  ${mark} ${check.environment}: ${check.title} — ${check.detail}`);
  }
  for (const warning of warnings) lines.push(`  ${palette.warning('!')} ${warning}`);
  return lines.join('\n');
}
