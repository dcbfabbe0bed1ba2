import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type SandboxHandle, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP, testProcesses } from './apps.js';
import { type CliRun, cli } from './cli.js';
import type { Json } from './heroku.js';
import { gitRepo } from './repo.js';
import { heroku } from './sandbox.js';

/**
 * Heroku's timings in a promote world: builds, release phases and promotions take a moment, so runs
 * wait for them as they would on Heroku; add-ons, domains and certificates are due at once.
 */
export const PROMOTE_TIMINGS = {
  buildMs: 200,
  releasePhaseMs: 100,
  promotionMs: 200,
  addonProvisionMs: 0,
  domainMs: 0,
  acmMs: 0,
} as const;

/** A pipeline of staging and production, told apart by the config var STAGE, health checked at /health. */
export const SHOP_PIPELINE_YAML = `version: 1
name: shop
pipeline: shop-pipe
defaults:
  formation:
    web: { quantity: 1, size: basic }
  healthcheck: { path: /health, timeout: 2 }
environments:
  staging:
    app: shop-staging
    stage: staging
    config: { STAGE: staging }
  production:
    app: shop-production
    stage: production
    config: { STAGE: production }
`;

export interface PromoteWorldOptions {
  /** Starts the names of the temporary directories: the repository's, and the sandbox state's (`…state-`). */
  readonly prefix: string;
  /** The repository's first commit besides the tiny app (TINY_APP): its app.yaml at least. */
  readonly files: Readonly<Record<string, string>>;
  /** More sandbox options; `heroku` timings replace those of PROMOTE_TIMINGS one by one. */
  readonly sandbox?: Omit<SandboxOptions, 'stateFile' | 'processes'>;
}

export interface GitRepo {
  readonly dir: string;
  readonly sha: string;
}

export interface RunOptions {
  /** Default: the world's repository. */
  readonly cwd?: string;
  /** Variables besides PATH, the only one a run is given otherwise. */
  readonly env?: Record<string, string>;
}

/** A world for deploy and promote tests; `sandbox` and `repo` exist only inside tests. */
export interface PromoteWorld {
  /** Runs the apps' processes (testProcesses) and keeps its state in a file; closed after the file's tests. */
  readonly sandbox: SandboxHandle;
  /** A git repository holding the tiny app and `files` in one commit. */
  readonly repo: GitRepo;
  /** Another repository with the same first commit, for a test that starts its world over. */
  readonly newRepo: () => GitRepo;
  /** `daffeinated ARGS --sandbox URL`, in-process. */
  readonly run: (args: readonly string[], options?: RunOptions) => Promise<CliRun>;
  /** An app's releases as the Heroku API lists them. */
  readonly releases: (app: string) => Promise<Json[]>;
  /** An app's current release. */
  readonly current: (app: string) => Promise<Json>;
}

/**
 * The set-up that deploy and promote tests share: a sandbox running the apps, started before the
 * file's tests with PROMOTE_TIMINGS, and a git repository of the tiny app. Call at top level or in
 * `describe`. Nothing is reset between tests: tests that run in order share the one world.
 */
export function usePromoteWorld(options: PromoteWorldOptions): PromoteWorld {
  let started: { readonly sandbox: SandboxHandle; readonly repo: GitRepo } | undefined;
  const newRepo = () => gitRepo(options.prefix, { ...TINY_APP, ...options.files });
  beforeAll(async () => {
    const repo = newRepo();
    const state = mkdtempSync(join(tmpdir(), `${options.prefix}state-`));
    const sandbox = await startSandbox({
      ...options.sandbox,
      stateFile: join(state, 'sandbox.json'),
      heroku: { ...PROMOTE_TIMINGS, ...options.sandbox?.heroku },
      processes: testProcesses(),
    });
    started = { sandbox, repo };
  });
  afterAll(async () => {
    await started?.sandbox.close();
  });
  const world = (): NonNullable<typeof started> => {
    if (started === undefined) throw new Error('the promote world is only available inside tests');
    return started;
  };
  const releases = async (app: string) => (await heroku<Json[]>(world().sandbox, 'GET', `/apps/${app}/releases`)).body;
  return {
    get sandbox() {
      return world().sandbox;
    },
    get repo() {
      return world().repo;
    },
    newRepo,
    run: (args, { cwd, env } = {}) =>
      cli([...args, '--sandbox', world().sandbox.url], {
        cwd: cwd ?? world().repo.dir,
        env: { PATH: process.env['PATH'], ...env },
      }),
    releases,
    current: async (app) => (await releases(app)).find((r) => r['current'] === true) as Json,
  };
}

/** The id of the slug a release runs; null for a release without code. */
export function slugOf(release: Json): string | null {
  return (release['slug'] as { id: string } | null)?.id ?? null;
}
