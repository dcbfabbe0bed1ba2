import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '../model/config.js';
import { createPalette } from '../render/colors.js';
import { assertNever, DaffError, ExitCode, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { converge } from '../workflows/converge.js';
import type { ReleaseOrigin } from '../workflows/promote.js';
import { describeSelection, purgePlan } from '../workflows/purge.js';
import { type CheckReport, FORCEABLE_CHECKS, type ForceableCheck } from '../workflows/promote-checks.js';
import { prepareEnvironments } from '../workflows/prepare.js';
import { promotionRoute, type Route } from '../workflows/promote-facts.js';
import { carryOutPromotion, type Examined, examinePromotion, type TargetResult } from '../workflows/promotion.js';
import {
  assertApproved,
  type PromotionDocument,
  parsePromotionDocument,
  promotionDocument,
} from '../workflows/promotion-plan.js';
import { connectFor, type GlobalOptions, loadAppYaml } from './context.js';
import { consentOf, convergeHooks, stderrReporter } from './hooks.js';
import { realTiming, stderrProgress } from './progress.js';
import { describeLogs, describePurge, describeVerdict } from './verdict.js';

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
  /** `json`: with `dryRun`, print the promotion document to approve (workflows/promotion-plan.ts). */
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
 * what happened.
 */
export async function promoteCommand(io: Io, global: GlobalOptions, options: PromoteOptions): Promise<ExitCode> {
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
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    if (options.apply && !options.dryRun) {
      const converging = { allowDestroy: options.allowDestroy, force: false, breakLock: options.breakLock ?? false };
      await converge(
        connection,
        prepared,
        converging,
        convergeHooks(io, { planTo: 'stderr', format: 'human' }, options.yes),
      );
    }
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
    if (options.dryRun && options.format === 'json') {
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
    if (approved !== undefined && options.plan !== undefined) assertApproved(approved, document, options.plan);
    if (!report.passed || release === undefined) {
      const failed = report.checks.filter((c) => !c.ok).length;
      throw new DaffError(`Promotion refused: ${failed} check${failed === 1 ? '' : 's'} failed; nothing was changed`, {
        hint: 'Fix what the failed checks above say, then promote again (`--dry-run` re-runs just the checks).',
        exitCode: ExitCode.Refused,
      });
    }
    io.stderr(`${preview}\n`);
    await consentOf(
      io,
      options.yes,
    )({
      action: 'promote',
      productionApps: route.targets.filter((t) => t.stage === 'production').map((t) => t.app),
      question: `Promote v${release.version} of ${route.source.app} to ${route.targets.map((t) => t.app).join(', ')}?`,
    });
    const results = await carryOutPromotion(connection, prepared, route, examined, release, {
      progress,
      timing,
      reporter: stderrReporter(io),
    });
    const rendered = results.map(renderResult);
    const failures = rendered.flatMap((r) => (r.failure === undefined ? [] : [r.failure]));
    const summary = `Promotion of ${route.source.name} v${release.version} (commit ${examined.source.slug?.commit?.slice(0, 7) ?? 'unknown'}):\n${rendered.map((r) => r.line).join('\n')}\n`;
    if (failures.length > 0) {
      io.stderr(summary);
      throw new DaffError(`Promotion failed: ${failures.join('\n')}`, {
        hint: `Rolled-back targets run their previous release again. Read the logs (\`heroku logs -a <app>\`), fix the code, deploy ${route.source.name} and promote again; for a failed rollback, roll back by hand: \`heroku rollback -a <app>\`.`,
      });
    }
    io.stdout(summary);
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

/** A target's line of the summary, and what failed there for the error, if anything. */
function renderResult(result: TargetResult): { line: string; failure?: string } {
  const { environment, rollbackTo } = result;
  const at = `  ${environment.name} (${environment.app}):`;
  switch (result.kind) {
    case 'not-promoted':
      return {
        line: `${at} NOT promoted: ${result.reason}; v${rollbackTo.version} is still current`,
        failure: `${environment.app} was not promoted (${firstLine(result.reason)})`,
      };
    case 'released': {
      const line = `${at} v${result.release.version} released${describeOrigin(result.origin)}; health ${describeVerdict(result.verdict)}; purge ${describePurge(result.purge)}`;
      if (result.purge.kind !== 'failed') return { line };
      const hint = result.purge.hint === undefined ? '' : ` (${result.purge.hint})`;
      return {
        line,
        failure: `${environment.app} v${result.release.version} is live, but purging Cloudflare's cache of ${result.purge.zone} failed: ${result.purge.message}${hint}; visitors may see cached pages of the previous release until they expire — promote again (the release is not promoted twice) or purge in the Cloudflare dashboard`,
      };
    }
    case 'rolled-back':
      return {
        line: `${at} v${result.release.version}${describeOrigin(result.origin)} UNHEALTHY; rolled back to v${rollbackTo.version} as v${result.rollback.version} (verified: current runs slug ${rollbackTo.slugId ?? 'none'})${notPurged(environment)}`,
        failure: `${unhealthy(result)}; rolled back to v${rollbackTo.version} (new release v${result.rollback.version}, verified)${describeLogs(result.logs)}`,
      };
    case 'rollback-failed':
      return {
        line: `${at} v${result.release.version}${describeOrigin(result.origin)} UNHEALTHY; ROLLBACK FAILED: ${result.reason}${notPurged(environment)}`,
        failure: `${unhealthy(result)}; the rollback to v${rollbackTo.version} FAILED: ${result.reason}${describeLogs(result.logs)}`,
      };
    default:
      return assertNever(result, 'promotion result');
  }
}

/** Said of a target that failed its health check, when app.yaml declares a purge for it. */
function notPurged(environment: TargetResult['environment']): string {
  return environment.purge === undefined ? '' : "; Cloudflare's cache not purged";
}

/** Said of a release the promotion's answer did not name. */
function describeOrigin(origin: ReleaseOrigin): string {
  switch (origin) {
    case 'answered':
      return '';
    case 'lost-answer':
      return ' (promotion answer lost; found it on the app)';
    case 'earlier-run':
      return ' (promoted by an earlier run; not promoted again)';
    default:
      return assertNever(origin, 'release origin');
  }
}

function unhealthy(result: Extract<TargetResult, { kind: 'rolled-back' | 'rollback-failed' }>): string {
  return `${result.environment.app} v${result.release.version} failed its health check (${result.outcome.url}: ${result.outcome.last})`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
