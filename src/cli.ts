import { Command, InvalidArgumentError, Option } from 'commander';
import { examplesText } from './cli-help.js';
import type { ProgramSpec } from './commands/complete.js';
import { DaffError, ExitCode, InternalError } from './runtime/errors.js';
import { processIo, type Io } from './runtime/io.js';
import { VERSION } from './version.js';

type Format = 'human' | 'json' | 'markdown';

interface PlanFlags {
  readonly all?: boolean;
  readonly detailedExitcode?: boolean;
  readonly out?: string;
  readonly lockSurvey: boolean;
  readonly format: Format;
}

interface DriftFlags {
  readonly all?: boolean;
  readonly strict?: boolean;
  readonly verbose?: boolean;
  readonly report?: string;
  readonly lockSurvey: boolean;
  readonly format: Format;
}

/** `plan` and `drift`: what the survey costs, so a large organisation can weigh it against its rate budget. */
const LOCK_SURVEY_HELP =
  'do not read the apply locks to report them (saves one Heroku request per environment, of the 4,500 an hour)';

/**
 * The commander program. Commands are imported lazily so `--version` and `--help` load nothing
 * heavy. This is the one place that maps errors to exit codes and messages.
 */
export function buildProgram(io: Io, setExit: (code: ExitCode) => void, waitForStop: () => Promise<void>): Command {
  const program = new Command('daffeinated')
    .description('Deploy the Daffeinated platform onto Heroku and Cloudflare from one app.yaml.')
    .version(VERSION, '-v, --version')
    .option('-c, --config <path>', 'app.yaml to use (default: ./app.yaml, then ./config/app.yaml)')
    .option('--sandbox [url]', 'talk to a sandbox: the one at URL, or an in-process one with state in .daffeinated/')
    .option('--debug', 'log every API request (method, path, status, request id; never bodies) and stack traces')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();

  const global = () => {
    const o = program.opts<{ config?: string; sandbox?: string | true; debug?: boolean; color: boolean }>();
    return { ...(o.config === undefined ? {} : { config: o.config }), ...(o.sandbox === undefined ? {} : { sandbox: o.sandbox }), debug: o.debug ?? false };
  };
  const ioFor = (): Io => (program.opts<{ color: boolean }>().color ? io : { ...io, color: false });
  const run = (action: (io: Io) => Promise<ExitCode> | ExitCode) => async () => {
    setExit(await action(ioFor()));
  };
  const formatOption = () =>
    new Option('-f, --format <format>', 'output format').choices(['human', 'json', 'markdown']).default('human');

  program
    .command('validate')
    .description('check app.yaml offline; every problem with file:line:col')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action((o: { format: 'human' | 'json' }) =>
      run(async (io) => (await import('./commands/validate.js')).validateCommand(io, global(), o.format))(),
    );

  program
    .command('plan')
    .description('show what apply would change (read-only)')
    .argument('[environments...]', 'environments to plan (default: all)')
    .option('--all', 'every environment')
    .option('--detailed-exitcode', 'exit 2 when there are changes')
    .option('--out <file>', 'save the plan for `apply FILE`')
    .option('--no-lock-survey', LOCK_SURVEY_HELP)
    .addOption(formatOption())
    .action((environments: string[], o: PlanFlags) =>
      run(async (io) =>
        (await import('./commands/plan.js')).planCommand(io, global(), {
          environments,
          all: o.all ?? false,
          detailedExitcode: o.detailedExitcode ?? false,
          lockSurvey: o.lockSurvey,
          format: o.format,
          ...(o.out === undefined ? {} : { out: o.out }),
        }),
      )(),
    );

  program
    .command('apply')
    .description('make live match app.yaml (asks first; --yes in CI)')
    .argument('[targets...]', 'environments, or a plan file saved with `plan --out`')
    .option('--all', 'every environment')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--allow-destroy <address...>', 'allow deleting or replacing these protected resources', collect, [])
    .option('--force', 'allow plans over the DNS change threshold')
    .option('--break-lock', "remove another run's apply lock first (only when that run is no longer going)")
    .option('--allow-over-budget', 'apply although the plan exceeds a budget in app.yaml')
    .addOption(formatOption())
    .action((targets: string[], o: { all?: boolean; yes?: boolean; allowDestroy: string[]; force?: boolean; breakLock?: boolean; allowOverBudget?: boolean; format: Format }) =>
      run(async (io) =>
        (await import('./commands/apply.js')).applyCommand(io, global(), {
          targets,
          all: o.all ?? false,
          yes: o.yes ?? false,
          allowDestroy: o.allowDestroy,
          force: o.force ?? false,
          breakLock: o.breakLock ?? false,
          allowOverBudget: o.allowOverBudget ?? false,
          format: o.format,
        }),
      )(),
    );

  program
    .command('deploy')
    .description('converge ENV, build git HEAD, release it, health check (asks first; --yes in CI)')
    .argument('<environment>', 'environment to deploy, e.g. staging')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--allow-dirty', 'deploy HEAD even when tracked files have uncommitted changes (they are not shipped)')
    .option('--allow-destroy <address...>', 'allow deleting or replacing these protected resources', collect, [])
    .option('--force', 'allow plans over the DNS change threshold')
    .option('--break-lock', "remove another run's apply lock first (only when that run is no longer going)")
    .addOption(new Option('-f, --format <format>', 'json: one document at the end (build, release, health, infrastructure), also on failure').choices(['human', 'json']).default('human'))
    .action((environment: string, o: { yes?: boolean; allowDirty?: boolean; allowDestroy: string[]; force?: boolean; breakLock?: boolean; format: 'human' | 'json' }) =>
      run(async (io) =>
        (await import('./commands/deploy.js')).deployCommand(io, global(), {
          environment,
          yes: o.yes ?? false,
          allowDirty: o.allowDirty ?? false,
          allowDestroy: o.allowDestroy,
          force: o.force ?? false,
          breakLock: o.breakLock ?? false,
          format: o.format,
        }),
      )(),
    );

  program
    .command('promote')
    .description("promote the staging release to production through the pipeline: checks, then rollback on a failed health check")
    .option('--from <environment>', "environment to promote from (default: the pipeline's staging environment)")
    .option('--to <environment...>', "environments to promote to (default: the pipeline's production environments)", collect, [])
    .option('--apply', 'converge the targets\' infrastructure first (as `apply`) instead of refusing when it has pending changes')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'show the checks and what would be promoted; change nothing')
    .option('--allow-destroy <address...>', 'with --apply: allow deleting or replacing these protected resources', collect, [])
    .option('--break-lock', "with --apply: remove another run's apply lock first (only when that run is no longer going)")
    .option('--force <check...>', 'promote although these checks fail: source-health (the source answers its health check now)', collect, [])
    .option('--plan <file>', 'promote exactly the release of a document saved with `--dry-run --format json`, or refuse')
    .addOption(new Option('-f, --format <format>', 'json: one document at the end (checks, each target\'s release, health and rollback), also on failure; with --dry-run, the promotion document to approve').choices(['human', 'json']).default('human'))
    .action((o: { from?: string; to: string[]; apply?: boolean; yes?: boolean; dryRun?: boolean; allowDestroy: string[]; breakLock?: boolean; force: string[]; plan?: string; format: 'human' | 'json' }) =>
      run(async (io) =>
        (await import('./commands/promote.js')).promoteCommand(io, global(), {
          ...(o.from === undefined ? {} : { from: o.from }),
          to: o.to,
          apply: o.apply ?? false,
          yes: o.yes ?? false,
          dryRun: o.dryRun ?? false,
          allowDestroy: o.allowDestroy,
          breakLock: o.breakLock ?? false,
          force: o.force,
          format: o.format,
          ...(o.plan === undefined ? {} : { plan: o.plan }),
        }),
      )(),
    );

  program
    .command('drift')
    .description('compare live with app.yaml: exit 0 clean, 2 drift, 1 error')
    .argument('[environments...]', 'environments to check (default: all)')
    .option('--all', 'every environment')
    .option('--strict', 'unexpected unmanaged things count as drift too (add-on variables and certificates never do)')
    .option('--verbose', 'list expected items (add-on variables, certificates) and deferrals one by one')
    .option('--report <file>', 'also write the markdown report to FILE')
    .option('--no-lock-survey', LOCK_SURVEY_HELP)
    .addOption(formatOption())
    .action((environments: string[], o: DriftFlags) =>
      run(async (io) =>
        (await import('./commands/drift.js')).driftCommand(io, global(), {
          environments,
          all: o.all ?? false,
          format: o.format,
          strict: o.strict ?? false,
          verbose: o.verbose ?? false,
          lockSurvey: o.lockSurvey,
          ...(o.report === undefined ? {} : { report: o.report }),
        }),
      )(),
    );

  program
    .command('status')
    .description('what runs where: release, commit, formation, dynos, add-ons, domains, health (read-only)')
    .argument('[environments...]', 'environments to show (default: all), in pipeline order')
    .addOption(formatOption())
    .action((environments: string[], o: { format: Format }) =>
      run(async (io) => (await import('./commands/status.js')).statusCommand(io, global(), { environments, format: o.format }))(),
    );

  program
    .command('rollback')
    .description("roll ENV back to its previous good release (or --to vN), verified and health checked (asks first; --yes in CI)")
    .argument('<environment>', 'environment to roll back, e.g. production')
    .option('--to <version>', 'the release to roll back to, e.g. v12 (default: the newest earlier release that runs other code)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option("--force", "roll back although the target release's config var names differ from the current ones")
    .addOption(new Option('-f, --format <format>', 'json: one document at the end (releases from and to, the new release, health), also on failure').choices(['human', 'json']).default('human'))
    .action((environment: string, o: { to?: string; yes?: boolean; force?: boolean; format: 'human' | 'json' }) =>
      run(async (io) =>
        (await import('./commands/rollback.js')).rollbackCommand(io, global(), {
          environment,
          ...(o.to === undefined ? {} : { to: o.to }),
          yes: o.yes ?? false,
          force: o.force ?? false,
          format: o.format,
        }),
      )(),
    );

  program
    .command('dr-drill')
    .description("recovery drill: restore ENV's newest backup into a throwaway copy of ENV, run its code, health check, report RTO and RPO, tear it down (asks first; --yes in CI)")
    .argument('<environment>', 'environment to drill, e.g. production')
    .option('--capture', "capture a backup of ENV's database first instead of using its newest completed one")
    .option('-y, --yes', 'do not ask for confirmation')
    .addOption(formatOption())
    .action((environment: string, o: { capture?: boolean; yes?: boolean; format: Format }) =>
      run(async (io) =>
        (await import('./commands/drill.js')).drillCommand(
          io,
          global(),
          { environment, capture: o.capture ?? false, yes: o.yes ?? false, format: o.format },
          waitForStop,
        ),
      )(),
    );

  program
    .command('releases')
    .description("ENV's release history: version, status, commit, who, when, what changed (read-only)")
    .argument('<environment>', 'environment, e.g. production')
    .option('-n, --limit <count>', 'how many of the newest releases', Number, 10)
    .addOption(formatOption())
    .action((environment: string, o: { limit: number; format: Format }) =>
      run(async (io) =>
        (await import('./commands/releases.js')).releasesCommand(io, global(), { environment, limit: o.limit, format: o.format }),
      )(),
    );

  program
    .command('backups')
    .description("ENV's Postgres backups (Heroku PGBackups): id, created, status, size; --capture takes one now")
    .argument('<environment>', 'environment, e.g. production')
    .option('--capture', 'take a backup now and wait for it (progress on stderr), then list')
    .addOption(formatOption())
    .action((environment: string, o: { capture?: boolean; format: Format }) =>
      run(async (io) =>
        (await import('./commands/backups.js')).backupsCommand(io, global(), { environment, capture: o.capture ?? false, format: o.format }),
      )(),
    );

  program
    .command('cost')
    .description("what runs now costs a month, per environment and in total, from Heroku's and Cloudflare's price data (read-only)")
    .argument('[environments...]', 'environments to price (default: all)')
    .addOption(formatOption())
    .action((environments: string[], o: { format: Format }) =>
      run(async (io) => (await import('./commands/cost.js')).costCommand(io, global(), { environments, format: o.format }))(),
    );

  program
    .command('diff')
    .description('effective differences between two environments after inheritance (offline): exit 0 same, 2 different')
    .argument('<left>', 'environment, e.g. production')
    .argument('<right>', 'environment, e.g. staging')
    .addOption(formatOption())
    .action((left: string, right: string, o: { format: Format }) =>
      run(async (io) => (await import('./commands/diff.js')).diffCommand(io, global(), left, right, o.format))(),
    );

  program
    .command('import')
    .description('print app.yaml describing a live Heroku app and/or Cloudflare zone (secrets as from_env)')
    .option('--app <name>', 'the Heroku app to describe')
    .option('--zone <name>', 'the Cloudflare zone to describe (owned by the app\'s environment)')
    .option('--env <name>', 'environment name (default: the app\'s pipeline stage, else production)')
    .action((o: { app?: string; zone?: string; env?: string }) =>
      run(async (io) =>
        (await import('./commands/import.js')).importCommand(io, global(), {
          ...(o.app === undefined ? {} : { app: o.app }),
          ...(o.zone === undefined ? {} : { zone: o.zone }),
          ...(o.env === undefined ? {} : { environment: o.env }),
        }),
      )(),
    );

  program
    .command('init')
    .description('write a starting app.yaml (from live apps and zones, or a template), git-ignore the sandbox state, offer the drift workflow')
    .option('--from-app <name>', 'describe this live Heroku app (as `import --app`)')
    .option('--zone <name>', 'describe this live Cloudflare zone (as `import --zone`)')
    .option('--env <name>', "environment name for the app (default: its pipeline stage, else production)")
    .option('--workflow', 'also write the nightly drift workflow (.github/workflows/daffeinated-drift.yml)')
    .option('--force', 'replace an existing app.yaml and workflow')
    .action((o: { fromApp?: string; zone?: string; env?: string; workflow?: boolean; force?: boolean }) =>
      run(async (io) =>
        (await import('./commands/init.js')).initCommand(io, global(), {
          ...(o.fromApp === undefined ? {} : { fromApp: o.fromApp }),
          ...(o.zone === undefined ? {} : { zone: o.zone }),
          ...(o.env === undefined ? {} : { environment: o.env }),
          workflow: o.workflow ?? false,
          force: o.force ?? false,
        }),
      )(),
    );

  program
    .command('sandbox')
    .description('run the local Heroku + Cloudflare API emulator')
    .option('-p, --port <port>', 'port (0: any free port)', parsePort, Number(io.env['PORT'] ?? 0) || 0)
    .option('--host <address>', 'address to bind (non-loopback needs DAFFEINATED_SANDBOX_TOKEN)', '127.0.0.1')
    .option('--state <file>', 'state file', '.daffeinated/sandbox.json')
    .option('--zone <name...>', 'Cloudflare zones to seed', collect, [])
    .option('--latency <ms>', 'added latency per request', parsePort, 0)
    .option('--processes', "run deployed apps' web processes locally and route their hostnames to them")
    .action((o: { port: number; host: string; state: string; zone: string[]; latency: number; processes?: boolean }) =>
      run(async (io) =>
        (await import('./commands/sandbox.js')).sandboxCommand(
          io,
          {
            port: o.port,
            host: o.host,
            state: o.state,
            zones: o.zone,
            latencyMs: o.latency,
            processes: o.processes ?? false,
            ...(global().config === undefined ? {} : { config: global().config }),
          },
          waitForStop(),
        ),
      )(),
    );

  program
    .command('completion')
    .description('print the shell completion script: commands, options, environments and addresses from app.yaml')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell: string) =>
      run(async (io) => (await import('./commands/completion.js')).completionCommand(io, shell))(),
    );

  // Every command's --help lists the global options and ends with examples (a test checks each has some).
  program.configureHelp({ showGlobalOptions: true });
  program.addHelpText('after', "\nRun `daffeinated COMMAND --help` for a command's options and examples.\n");
  for (const command of program.commands) {
    command.configureHelp({ showGlobalOptions: true });
    const examples = examplesText(command.name());
    if (examples !== undefined) command.addHelpText('after', examples);
  }
  return program;
}

/** The program's commands and options as completion reads them (commands/complete.ts). */
function programSpec(program: Command): ProgramSpec {
  const options = (command: Command) =>
    command.options
      .filter((o) => !o.hidden)
      .map((o) => ({
        ...(o.long === undefined ? {} : { long: o.long }),
        ...(o.short === undefined ? {} : { short: o.short }),
        takesValue: o.required,
        variadic: o.variadic,
        ...(o.argChoices === undefined ? {} : { choices: o.argChoices }),
      }));
  return {
    options: options(program),
    // commander keeps `hidden` private; help lists only the visible commands, and so does this.
    commands: program.commands.filter((c) => (c as unknown as { _hidden?: boolean })._hidden !== true).map((c) => ({ name: c.name(), options: options(c) })),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a whole number from 0 to 65535');
  return n;
}

/**
 * Prints an error the way users should see it: what, where, what next; a stack only with --debug
 * (or for a bug, which is worth reporting). Returns the exit code the error carries. The renderer
 * (and picocolors) is imported here, only when there is an error to print, so that successful
 * runs, `--version` and `--help` never load it (bench/cold-start.ts lists what they load).
 */
export async function reportError(io: Io, error: unknown, debug: boolean): Promise<ExitCode> {
  const { renderError } = await import('./render/diagnostics.js');
  const daff = error instanceof DaffError ? error : new InternalError(error instanceof Error ? error.message : String(error), error);
  io.stderr(renderError(daff, { color: io.color, debug }));
  return daff.exitCode;
}

/**
 * Runs one command line to completion and returns its exit code; never throws. Tests call this
 * with a fake Io; `main` with the real process.
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  waitForStop: () => Promise<void> = () => new Promise<void>(() => {}),
): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  }, waitForStop);
  // The completion scripts' helper: never in help, never an error (a shell is waiting on it).
  if (argv[0] === '__complete') {
    const { completeCommand } = await import('./commands/completion.js');
    return completeCommand(io, programSpec(program), argv.slice(1));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = commanderExit(error) ?? (await reportError(io, error, argv.includes('--debug')));
  }
  return exitCode;
}

/** Entry point used by bin/daffeinated.js. */
export async function main(argv: readonly string[]): Promise<void> {
  // Only long-running commands (sandbox) trap signals; everything else keeps Ctrl-C's default.
  const waitForStop = () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  process.exitCode = await runCli(argv, processIo(), waitForStop);
}

/** commander signals help/version/usage errors by throwing with an exit code (exitOverride). */
function commanderExit(error: unknown): ExitCode | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('commander.')) return undefined;
  if (code === 'commander.helpDisplayed' || code === 'commander.version') return ExitCode.Ok;
  // Help shown instead of running anything (no command given) is a usage error.
  if (code === 'commander.help') return (error as { exitCode?: unknown }).exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
  return ExitCode.Error;
}
