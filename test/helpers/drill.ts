import { reportError } from '../../src/cli.js';
import { drillCommand } from '../../src/commands/drill.js';
import type { DrillDatabases } from '../../src/model/drill-databases.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type CliRun, type FakeIoOptions, fakeIo } from './cli.js';
import { heroku } from './sandbox.js';

export interface Fake extends DrillDatabases {
  /** What was asked, in order: `newest APP ATTACHMENT`, `capture APP ATTACHMENT`, `restore BACKUP APP`. */
  readonly calls: string[];
}

/**
 * The drill's backups API in memory, for tests of everything around it (metadata only: the
 * restore "completes" with a fixed size). One backup of `app` completed at `finishedAt` (5 MB),
 * unless `none`; a capture makes `b002`; `duringRestore` runs while the restore does (with the
 * wait's interruptible sleep, so an interrupted drill stops there).
 */
export function fakeDatabases(
  options: { none?: boolean; app?: string; finishedAt?: string; duringRestore?: (sleep: (ms: number) => Promise<void>) => Promise<void> } = {},
): Fake {
  const calls: string[] = [];
  const backup = (name: string, finishedAt: string) => ({ app: options.app ?? 'shop-production', name, finishedAt, sourceBytes: 5 * 2 ** 20 });
  return {
    calls,
    newestBackup: async (app, database) => {
      calls.push(`newest ${app} ${database.attachment}`);
      return options.none === true ? undefined : backup('b001', options.finishedAt ?? '2026-11-22T11:00:00Z');
    },
    capture: async (app, database) => {
      calls.push(`capture ${app} ${database.attachment}`);
      return backup('b002', '2026-11-22T12:00:00Z');
    },
    restore: async (b, target, wait) => {
      calls.push(`restore ${b.name} ${target.app}`);
      wait.progress('restoring');
      await options.duringRestore?.(wait.sleep);
      return { bytes: 4321 };
    },
  };
}

export interface DrillRunOptions {
  readonly environment?: string;
  readonly capture?: boolean;
  readonly yes?: boolean;
  /** Resolves when the drill should stop, as SIGINT would (default: never). */
  readonly stop?: () => Promise<void>;
}

/** `dr-drill ENV --format json --sandbox URL` in-process with `databases` as its backups API; errors reported as the CLI does. */
export async function drillIn(sandbox: SandboxHandle, io: FakeIoOptions, databases: DrillDatabases, options: DrillRunOptions = {}): Promise<CliRun> {
  const fake = fakeIo(io);
  const code = await drillCommand(
    fake,
    { sandbox: sandbox.url, debug: false },
    { environment: options.environment ?? 'production', capture: options.capture ?? false, yes: options.yes ?? true, format: 'json' },
    options.stop ?? (() => new Promise<void>(() => {})),
    () => databases,
  ).catch((error: unknown) => reportError(fake, error, false));
  return { code, stdout: fake.out.join(''), stderr: fake.err.join('') };
}

/** What a drill could have left, through the API: apps named like a drill's, and add-ons of such apps. */
export async function drillLeftovers(sandbox: SandboxHandle): Promise<string[]> {
  type Named = { name: string; app?: { name: string } };
  const apps = (await heroku<Named[]>(sandbox, 'GET', '/apps')).body.map((a) => a.name).filter((n) => n.endsWith('-drill'));
  const addons = (await heroku<Named[]>(sandbox, 'GET', '/addons')).body.filter((a) => a.app?.name.endsWith('-drill') === true).map((a) => `addon ${a.name}`);
  return [...apps.map((a) => `app ${a}`), ...addons].sort();
}
