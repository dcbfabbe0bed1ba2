import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { TINY_APP, testProcesses } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import type { Json } from '../helpers/heroku.js';
import { commitFiles, gitRepo } from '../helpers/repo.js';
import { admin, heroku } from '../helpers/sandbox.js';

// `deploy ENV` end to end against a sandbox that runs the app: a real git repository in a
// temporary directory, a build streamed from the sandbox, the release, the deferred formation and
// a health check answered by the app's own process.
const APP_YAML = `version: 1
name: demo
pipeline: demo-pipe
defaults:
  formation:
    web: { quantity: 1, size: basic }
  config:
    GREETING: hello
  healthcheck: { path: /health, timeout: 2 }
environments:
  staging:
    app: demo-staging
    stage: staging
    domains: [staging.demo.example]
  production:
    app: demo-production
    stage: production
cloudflare:
  zones:
    demo.example: { owner: staging }   # the custom domain resolves (to the sandbox) through its CNAME
`;

const TIMINGS = { buildMs: 300, releasePhaseMs: 200, promotionMs: 100, addonProvisionMs: 0, domainMs: 0, acmMs: 0 };

let sandbox: SandboxHandle;
let repo: { dir: string; sha: string };

beforeAll(async () => {
  repo = gitRepo('daff-deploy-', { 'app.yaml': APP_YAML, ...TINY_APP });
  const state = mkdtempSync(join(tmpdir(), 'daff-deploy-state-'));
  sandbox = await startSandbox({ stateFile: join(state, 'sandbox.json'), heroku: TIMINGS, processes: testProcesses(), zones: ['demo.example'] });
});

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[], cwd = repo.dir) => cli([...args, '--sandbox', sandbox.url], { cwd, env: { PATH: process.env['PATH'] } });

async function currentRelease(app: string): Promise<Json> {
  const list = (await heroku<Json[]>(sandbox, 'GET', `/apps/${app}/releases`)).body;
  return list.find((r) => r['current'] === true) as Json;
}

describe('deploy', () => {
  it('refuses outside a git repository before any API call', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'daff-no-git-'));
    writeFileSync(join(outside, 'app.yaml'), APP_YAML);
    sandbox.resetLog();
    const result = await run(['deploy', 'staging', '--yes'], outside);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not inside a git repository');
    expect(sandbox.requestLog()).toEqual([]);
  });

  it('converges staging, builds HEAD with streamed output, releases it and checks health on the custom domain', async () => {
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Apply complete');
    expect(result.stderr).toContain('-----> Discovering process types');
    expect(result.stderr).toContain('Procfile declares types -> web');
    expect(result.stdout).toContain(`Deployed ${repo.sha.slice(0, 7)} (first commit) to staging (demo-staging)`);
    expect(result.stdout).toContain(`commit:    ${repo.sha}`);
    expect(result.stdout).toContain('health:    healthy (HTTP 200 at https://staging.demo.example/health)');
    const release = await currentRelease('demo-staging');
    expect(release['description']).toBe(`Deploy ${repo.sha.slice(0, 8)}`);
    const build = (await heroku<Json[]>(sandbox, 'GET', '/apps/demo-staging/builds')).body[0] as Json;
    expect(build['source_blob']).toMatchObject({ version: repo.sha, checksum: expect.stringMatching(/^SHA256:[0-9a-f]{64}$/) });
    const replan = await run(['plan', 'staging', '--detailed-exitcode']);
    expect(replan.code).toBe(0);
  });

  it('refuses a dirty tree (exit 3, no API call); --allow-dirty ships HEAD without the edit', async () => {
    writeFileSync(join(repo.dir, 'server.js'), `${TINY_APP['server.js']}// not committed\n`);
    sandbox.resetLog();
    const refused = await run(['deploy', 'staging', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain('M server.js');
    expect(refused.stderr).toContain('--allow-dirty');
    expect(sandbox.requestLog()).toEqual([]);
    const dirty = await run(['deploy', 'staging', '--yes', '--allow-dirty']);
    expect(dirty.code).toBe(0);
    expect(dirty.stderr).toContain('1 uncommitted change(s) are not included');
    commitFiles(repo.dir, {}, 'commit the edit');
  });

  it('fails on a failed build with its last output lines; the previous release stays current', async () => {
    const before = await currentRelease('demo-staging');
    await admin(sandbox, 'POST', '/apps/demo-staging/fail-next', { kind: 'build', message: 'npm ERR! missing script: build' });
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The build of [0-9a-f]{7} on demo-staging failed \(build [0-9a-f-]{36}\)\. Its last \d+ lines of output:/);
    expect(result.stderr).toContain('|  !     npm ERR! missing script: build');
    expect(result.stderr).toContain('Nothing was released');
    expect((await currentRelease('demo-staging'))['id']).toBe(before['id']);
  });

  it('fails on a failed release phase with its output; the previous release stays current', async () => {
    commitFiles(repo.dir, { Procfile: 'web: node server.js\nrelease: node migrate.js\n', 'migrate.js': 'console.log("migrating")\n' }, 'add a release phase');
    const before = await currentRelease('demo-staging');
    await admin(sandbox, 'POST', '/apps/demo-staging/fail-next', { kind: 'release-phase', message: 'migration 42 failed: relation exists' });
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Release v\d+ of demo-staging failed \(release phase\)/);
    expect(result.stderr).toContain('| Release command failed: migration 42 failed: relation exists');
    expect(result.stderr).toContain('The previous release is still current');
    expect((await currentRelease('demo-staging'))['id']).toBe(before['id']);
    const again = await run(['deploy', 'staging', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Running release command');
  });

  it('fails when the new release does not pass its health check, with the app log and a rollback hint', async () => {
    await heroku(sandbox, 'PATCH', '/apps/demo-staging/config-vars', { body: { BREAK_HEALTH: '1' } });
    // A new commit, so the deploy builds and releases: the release it checks is its own, not the
    // config change's restart (a re-deploy of a shipped commit reuses its build and releases nothing).
    commitFiles(repo.dir, { 'NOTES.md': 'health check test\n' }, 'a commit to ship');
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed its health check: https://staging.demo.example/health answered HTTP 500');
    expect(result.stderr).toMatch(/heroku\[web\.1\]: Starting process with command `node server\.js`/);
    expect(result.stderr).toMatch(/roll back with `heroku rollback v\d+ -a demo-staging`/);
    await heroku(sandbox, 'PATCH', '/apps/demo-staging/config-vars', { body: { BREAK_HEALTH: null } });
  });

  it('fails at once when the web process crashes (H10), with the crash in the log, instead of waiting out the timeout', async () => {
    const procfile = 'web: node server.js\nrelease: node migrate.js\n';
    const crashing = 'web: node -e "console.error(\'boom: PORT_TYPO is not set\'); process.exit(3)"\nrelease: node migrate.js\n';
    commitFiles(repo.dir, { 'app.yaml': APP_YAML.replace('timeout: 2', 'timeout: 60'), Procfile: crashing }, 'a web process that crashes');
    const started = Date.now();
    const result = await run(['deploy', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.stderr).toMatch(/answered HTTP 503: the web process of demo-staging crashed on v\d+ \(web\.1 crashed, H10\)/);
    expect(result.stderr).toContain('a crash is a final answer, not waiting out the 60 s');
    expect(result.stderr).toContain('boom: PORT_TYPO is not set');
    expect(result.stderr).toContain('Process exited with status 3');
    commitFiles(repo.dir, { 'app.yaml': APP_YAML, Procfile: procfile }, 'a web process that runs');
  }, 60_000);
});

describe('deploy to a production stage', () => {
  it('asks before shipping code even when the infrastructure needs no change', async () => {
    expect((await run(['apply', 'production', '--yes'])).code).toBe(0);
    sandbox.resetLog();
    const result = await run(['deploy', 'production']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Refusing to deploy without confirmation');
    expect(sandbox.requestLog().filter((e) => e.method !== 'GET')).toEqual([]);
  });
});

describe('deploy against a sandbox that runs no processes', () => {
  it('skips the health check with a notice instead of passing it', async () => {
    const quiet = await startSandbox({ heroku: TIMINGS, zones: ['demo.example'] });
    try {
      const result = await cli(['deploy', 'staging', '--yes', '--sandbox', quiet.url], { cwd: repo.dir, env: { PATH: process.env['PATH'] } });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`health check of demo-staging skipped: the sandbox at ${quiet.url} runs no app processes`);
      expect(result.stdout).toContain('health:    skipped:');
      expect(result.stdout).not.toContain('healthy');
    } finally {
      await quiet.close();
    }
  });
});

describe('deploy again after a run was killed right after starting its build', () => {
  it('follows the running build, then reuses it: one build per commit', async () => {
    // Builds take 3 s here, so the re-run finds the killed run's build still running.
    const slow = await startSandbox({ heroku: { ...TIMINGS, buildMs: 3_000 }, zones: ['demo.example'] });
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    try {
      const fresh = gitRepo('daff-deploy-kill-', { 'app.yaml': APP_YAML, ...TINY_APP });
      const deploy = () => cli(['deploy', 'staging', '--yes', '--sandbox', slow.url], { cwd: fresh.dir, env: { PATH: process.env['PATH'] } });
      const started = () => slow.requestLog().some((e) => e.method === 'POST' && e.path === '/apps/demo-staging/builds' && e.status === 201);
      const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), 'deploy', 'staging', '--yes', '--sandbox', slow.url], {
        cwd: fresh.dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: fresh.dir },
        stdio: 'ignore',
      });
      const killed = await new Promise<boolean>((done) => {
        child.once('exit', () => done(child.signalCode === 'SIGKILL'));
        const watch = () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          if (started()) child.kill('SIGKILL');
          else setTimeout(watch, 1);
        };
        watch();
      });
      expect(killed).toBe(true);
      const buildsOfCommit = async () =>
        (await heroku<Json[]>(slow, 'GET', '/apps/demo-staging/builds')).body.filter((b) => (b['source_blob'] as Json)['version'] === fresh.sha);

      const again = await deploy();
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/build [0-9a-f-]{36} of [0-9a-f]{7} is already running on demo-staging \(started by an earlier run\): following it instead of building again/);
      expect(again.stdout).toContain('started by an earlier run and followed');
      expect(await buildsOfCommit()).toHaveLength(1);

      const third = await deploy();
      expect(third.code, third.stderr).toBe(0);
      expect(third.stderr).toMatch(/v\d+ of demo-staging already runs the slug of build [0-9a-f-]{36} \(released by an earlier run\)/);
      expect(third.stdout).toContain('of this commit succeeded earlier and was reused');
      expect(await buildsOfCommit()).toHaveLength(1);
    } finally {
      await slow.close();
    }
  }, 60_000);
});
