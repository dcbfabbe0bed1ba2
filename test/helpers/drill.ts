import { reportError } from '../../src/cli.js';
import { drillCommand } from '../../src/commands/drill.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type CliRun, type FakeIoOptions, fakeIo } from './cli.js';
import { heroku } from './sandbox.js';

/** A production with a Postgres and a Redis add-on and a generated secret: what the drill tests drill. */
export const DRILLED_PRODUCTION_YAML = `version: 1
name: shop
defaults:
  formation:
    web: { quantity: 1, size: basic }
  healthcheck: { path: /health, timeout: 5 }
environments:
  production:
    app: shop-production
    stage: production
    addons:
      database: { plan: "heroku-postgresql:standard-0", as: DATABASE }
      cache: { plan: "heroku-redis:premium-0" }
    config:
      SESSION_SECRET: { generate: secret }
`;

export interface DrillRunOptions {
  readonly environment?: string;
  readonly capture?: boolean;
  readonly yes?: boolean;
  /** Resolves when the drill should stop, as SIGINT would (default: never). */
  readonly stop?: () => Promise<void>;
  /** `--config FILE`. */
  readonly config?: string;
}

/** `dr-drill ENV --format json --sandbox URL` in-process; errors reported as the CLI does. */
export async function drillIn(sandbox: SandboxHandle, io: FakeIoOptions, options: DrillRunOptions = {}): Promise<CliRun> {
  const fake = fakeIo(io);
  const code = await drillCommand(
    fake,
    { sandbox: sandbox.url, debug: false, ...(options.config === undefined ? {} : { config: options.config }) },
    { environment: options.environment ?? 'production', capture: options.capture ?? false, yes: options.yes ?? true, format: 'json' },
    options.stop ?? (() => new Promise<void>(() => {})),
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

/** Requests to the sandbox's Postgres API since `from` in its log, as `METHOD path` with ids shortened to `:id`. */
export function postgresRequests(sandbox: SandboxHandle, from = 0): string[] {
  return sandbox
    .requestLog()
    .slice(from)
    .filter((e) => e.path.startsWith('/client/v11/') && e.method !== 'GET')
    .map((e) => `${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`);
}
