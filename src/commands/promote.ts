import { loadConfig } from '../config/index.js';
import { createPalette } from '../render/colors.js';
import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { type CheckReport, promotionChecks } from '../workflows/promote-checks.js';
import { promoteRelease, rollBack } from '../workflows/promote.js';
import { confirmOrRefuse } from './confirm.js';
import { connectFor, type GlobalOptions, planNow, prepare } from './context.js';
import { applyDeferred, converge } from './converge.js';
import { describeVerdict, healthCheckEnvironment, recentLogLines } from './health-check.js';
import { realTiming, stderrProgress } from './progress.js';
import { promotionFacts, promotionRoute } from './promote-facts.js';

export interface PromoteOptions {
  readonly from?: string;
  readonly to: readonly string[];
  readonly apply: boolean;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly allowDestroy: readonly string[];
  /** With `apply`: take over another run's apply lock while converging. */
  readonly breakLock?: boolean;
}

/**
 * `promote [--from ENV] [--to ENV…]`: the source's current release onto the targets through the
 * pipeline, without rebuilding. Every check runs and is reported before anything changes (see
 * `promotionChecks`); `--apply` converges the targets' infrastructure first; `--dry-run` stops
 * after the checks and shows what would be promoted. Then: confirmation, the promotion, each
 * target's release, deferred formation, and a health check per target — a target that fails it is
 * rolled back to the release recorded before, and the rollback verified. Exit 0 when every target
 * runs the new release healthily; 3 when a check refused; 1 otherwise, saying what happened.
 */
export async function promoteCommand(io: Io, global: GlobalOptions, options: PromoteOptions): Promise<ExitCode> {
  const config = loadConfig({ ...(global.config === undefined ? {} : { path: global.config }), cwd: io.cwd, env: io.env });
  const route = promotionRoute(config, options.from, options.to);
  const prepared = prepare(io, global, { names: route.targets.map((t) => t.name), all: false, defaultAll: false });
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    if (options.apply && !options.dryRun) {
      await converge(io, connection, prepared, { yes: options.yes, allowDestroy: options.allowDestroy, force: false, format: 'human', planTo: 'stderr', breakLock: options.breakLock ?? false });
    }
    const plan = await planNow(connection, prepared);
    const facts = await promotionFacts(connection, route, plan);
    const pendingApplied = options.apply && options.dryRun;
    const report = promotionChecks(
      facts.source,
      pendingApplied ? facts.targets.map((t) => ({ ...t, pendingChanges: [] })) : facts.targets,
      config.promote?.allowMissingConfig ?? [],
    );
    const pending = facts.targets.flatMap((t) => t.pendingChanges);
    const notes = pendingApplied && pending.length > 0 ? [`--apply would first make ${pending.length} infrastructure change(s): ${pending.join(', ')}`] : [];
    const release = facts.source.current;
    const preview = [
      `${options.dryRun ? 'Would promote' : 'Promoting'} ${route.source.name} (${route.source.app}) v${release?.version ?? '?'}: slug ${release?.slugId ?? 'none'}, commit ${facts.source.slug?.commit ?? 'unknown'}`,
      ...facts.targets.map((t) => `  to ${t.environment} (${t.app}), now at ${t.current === undefined ? 'no release' : `v${t.current.version}`}${t.current === undefined ? '' : ' (recorded for rollback)'}`),
    ].join('\n');
    const checks = renderChecks(report, [...notes, ...report.warnings], io.color);
    if (options.dryRun) {
      io.stdout(`${checks}\n${preview}\n${report.passed ? 'Dry run: nothing was changed.' : 'Dry run: the promotion would be refused.'}\n`);
      return report.passed ? ExitCode.Ok : ExitCode.Refused;
    }
    io.stderr(`${checks}\n`);
    if (!report.passed || release === undefined) {
      const failed = report.checks.filter((c) => !c.ok).length;
      throw new DaffError(`Promotion refused: ${failed} check${failed === 1 ? '' : 's'} failed; nothing was changed`, {
        hint: 'Fix what the failed checks above say, then promote again (`--dry-run` re-runs just the checks).',
        exitCode: ExitCode.Refused,
      });
    }
    io.stderr(`${preview}\n`);
    const production = route.targets.filter((t) => t.stage === 'production').map((t) => t.app);
    await confirmOrRefuse(io, {
      yes: options.yes,
      action: 'promote',
      productionApps: production,
      question: `Promote v${release.version} of ${route.source.app} to ${route.targets.map((t) => t.app).join(', ')}?`,
    });

    const pipelineId = await connection.delivery.pipelineId(route.pipeline);
    const sourceApp = await connection.delivery.app(route.source.app);
    const targetApps = await Promise.all(route.targets.map((t) => connection.delivery.app(t.app)));
    if (pipelineId === undefined) throw new DaffError(`The pipeline ${route.pipeline} does not exist`, { hint: 'Run `daffeinated apply --all` to create and couple it.' });
    const outcomes = await promoteRelease(
      connection.delivery,
      {
        pipelineId,
        source: { app: route.source.app, appId: sourceApp.id, release },
        targets: route.targets.map((t, i) => {
          const current = facts.targets[i]?.current;
          if (current === undefined) throw new DaffError(`No rollback point for ${t.app}`);
          return { app: t.app, appId: targetApps[i]?.id ?? '', rollbackTo: current };
        }),
      },
      progress,
      timing,
    );
    await applyDeferred(io, connection, prepared, new Set(plan.deferred.map((d) => d.address)));

    const lines: string[] = [];
    const failures: string[] = [];
    for (const [i, target] of route.targets.entries()) {
      const outcome = outcomes[i];
      const rollbackTo = facts.targets[i]?.current;
      if (outcome === undefined || rollbackTo === undefined) continue;
      if (outcome.kind === 'failed') {
        lines.push(`  ${target.name} (${target.app}): NOT promoted: ${outcome.reason}; v${rollbackTo.version} is still current`);
        failures.push(`${target.app} was not promoted (${firstLine(outcome.reason)})`);
        continue;
      }
      const verdict = await healthCheckEnvironment(connection, target, progress, timing);
      if (verdict.kind !== 'checked' || verdict.outcome.ok) {
        lines.push(`  ${target.name} (${target.app}): v${outcome.release.version} released; health ${describeVerdict(verdict)}`);
        continue;
      }
      const logs = await recentLogLines(connection, target.app, 20);
      progress.warn(`${target.app} failed its health check: rolling back to v${rollbackTo.version}`);
      const back = await rollBack(connection.delivery, target.app, rollbackTo, progress, timing);
      const what = `${target.app} v${outcome.release.version} failed its health check (${verdict.outcome.url}: ${verdict.outcome.last})`;
      if (back.ok) {
        lines.push(`  ${target.name} (${target.app}): v${outcome.release.version} UNHEALTHY; rolled back to v${rollbackTo.version} as v${back.release.version} (verified: current runs slug ${rollbackTo.slugId ?? 'none'})`);
        failures.push(`${what}; rolled back to v${rollbackTo.version} (new release v${back.release.version}, verified)${logs}`);
      } else {
        lines.push(`  ${target.name} (${target.app}): v${outcome.release.version} UNHEALTHY; ROLLBACK FAILED: ${back.reason}`);
        failures.push(`${what}; the rollback to v${rollbackTo.version} FAILED: ${back.reason}${logs}`);
      }
    }
    const summary = `Promotion of ${route.source.name} v${release.version} (commit ${facts.source.slug?.commit?.slice(0, 7) ?? 'unknown'}):\n${lines.join('\n')}\n`;
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

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
