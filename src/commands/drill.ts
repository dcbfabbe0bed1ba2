import { type DrillFormat, formatMs, renderDrillCost, renderDrillReport } from '../render/drill.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { runDrill } from '../workflows/drill.js';
import { type DrillExamined, deriveOrRefuse, examineDrill } from '../workflows/drill-examine.js';
import { connectFor, type GlobalOptions, loadAppYaml } from './context.js';
import { consentOf, convergeHooks } from './hooks.js';
import { realTiming, stderrProgress } from './progress.js';

export interface DrillOptions {
  readonly environment: string;
  /** Capture a backup first instead of using the newest completed one. */
  readonly capture: boolean;
  readonly yes: boolean;
  readonly format: DrillFormat;
}

/**
 * `dr-drill ENV`: the recovery plan run for real against a throwaway copy of ENV (workflows/
 * drill.ts). Offline first (ENV exists and has a Postgres add-on), then read-only checks (a
 * completed backup or `--capture`, ENV's current slug, no foreign app at the drill app's name),
 * then the drill environment's cost and consent (`--yes` in CI; without a terminal and without
 * `--yes`, refused with what to do). SIGINT/SIGTERM stop the drill and tear it down. The report
 * (RTO, RPO, restored size, health answer) is the result, on stdout; exit 0 recovered and
 * healthy, 1 when the drill failed or the recovered app is unhealthy (or for bad input), 3 when
 * refused (not confirmed; the drill app's name taken by an app not marked as a drill).
 */
export async function drillCommand(
  io: Io,
  global: GlobalOptions,
  options: DrillOptions,
  waitForStop: () => Promise<void>,
): Promise<ExitCode> {
  const config = loadAppYaml(io, global);
  const { prepared } = deriveOrRefuse(config, options.environment, null, io.env);
  const connection = await connectFor(io, global, prepared);
  const timing = realTiming();
  const progress = stderrProgress(io, timing);
  try {
    const examined = await examineDrill(connection, config, options.environment, options.capture, io.env);
    io.stderr(preview(examined, io.now()));
    const { drill, source } = examined.derivation;
    await consentOf(io, options.yes)({
      action: 'run the drill',
      productionApps: [],
      question: `Create ${drill.app}, restore ${source.name}'s backup into it, run ${source.name}'s code, then delete it?`,
    });
    const stop = new AbortController();
    void waitForStop().then(() => stop.abort());
    const report = await runDrill(connection, examined, {
      hooks: convergeHooks(io, { planTo: 'stderr', format: 'human' }, true),
      progress,
      timing,
      now: io.now,
      stop: stop.signal,
      env: io.env,
    });
    io.stdout(renderDrillReport(report, options.format));
    if (report.outcome === 'unhealthy') {
      io.stderr(`The restored ${source.name} did not pass its health check; see the report (the drill environment was torn down).\n`);
      return ExitCode.Error;
    }
    return ExitCode.Ok;
  } finally {
    progress.close();
    await connection.close();
  }
}

function preview(examined: DrillExamined, now: Date): string {
  const { backup, derivation, release } = examined;
  const finished = backup?.finishedAt ?? backup?.createdAt ?? '';
  const from =
    examined.capture || backup === undefined
      ? `a backup of ${derivation.source.app}'s database captured now`
      : `backup ${backup.id} (finished ${finished}, ${formatMs(now.getTime() - Date.parse(finished))} old: the recovery point)`;
  return [
    `Recovery drill of ${derivation.source.name} (${derivation.source.app}): restore ${from},`,
    `run the slug of ${derivation.source.app} v${release.version}, health check it, then tear everything down.`,
    ...(examined.leftover.kind === 'absent' ? [] : [`An earlier drill's leftover (${examined.leftover.app}) is removed first.`]),
    renderDrillCost({ environment: derivation.drill.name, app: derivation.drill.app }, examined.cost),
  ].join('\n');
}
