import type { SandboxHandle } from '../../src/sandbox/index.js';

/** One official-CLI command, what its output must contain, and a sandbox step to run first. */
export interface Check {
  readonly args: readonly string[];
  /** Strings the output (stdout and stderr) must contain. */
  readonly expect: readonly string[];
  readonly before?: () => Promise<void>;
}

const STAGING = 'peer-everyday-staging';
const PRODUCTION = 'peer-everyday-production';
const PIPELINE = 'peer-everyday';

/**
 * The everyday commands of a new user, in order, on apps the CLI creates itself: create two apps,
 * provision an add-on, set config, add a custom domain (the CLI reads the app's SNI endpoints
 * first), release code (a declared slug: the sandbox builds only uploads), scale, create a
 * pipeline (the CLI reads `GET /users/~` and the app's generation first), add the second app,
 * promote, list releases, roll back and read the logs.
 */
export function everydayChecks(sandbox: SandboxHandle): Check[] {
  const declareSlug = async (app: string) => {
    const response = await fetch(`${sandbox.url}/__sandbox/apps/${app}/process-types`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ process_types: { web: 'npm start' }, commit: 'a1b2c3d4e5f6a7b8c9d0' }),
    });
    if (!response.ok) throw new Error(`declaring a slug on ${app} answered ${response.status}: ${await response.text()}`);
  };
  // biome-ignore format: one command per line reads as a script
  return [
    { args: ['apps:create', STAGING, '--no-remote'], expect: [STAGING, 'herokuapp.com'] },
    { args: ['apps:create', PRODUCTION, '--no-remote'], expect: [PRODUCTION] },
    { args: ['addons:create', 'heroku-postgresql:essential-0', '-a', STAGING], expect: ['heroku-postgresql', 'essential-0'] },
    { args: ['config:set', 'GREETING=hello', '-a', STAGING], expect: ['GREETING', 'hello'] },
    { args: ['domains:add', 'www.peer-everyday.example', '-a', STAGING], expect: ['www.peer-everyday.example', 'herokudns.com'] },
    { args: ['ps:scale', 'web=1', '-a', STAGING], expect: ['web at 1'], before: () => declareSlug(STAGING) },
    { args: ['pipelines:create', PIPELINE, '-a', STAGING, '--stage', 'staging'], expect: [PIPELINE] },
    { args: ['pipelines:add', PIPELINE, '-a', PRODUCTION, '--stage', 'production'], expect: [PRODUCTION, 'production'] },
    { args: ['pipelines:promote', '-a', STAGING], expect: [PRODUCTION, 'succeeded'] },
    { args: ['releases', '-a', PRODUCTION], expect: ['Promote', STAGING] },
    { args: ['rollback', '-a', STAGING], expect: ['Rolling back', STAGING] },
    { args: ['logs', '-a', STAGING, '-n', '20'], expect: [] },
  ];
}
