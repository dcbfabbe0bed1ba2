/**
 * Fidelity check with a client we did not write: the official Heroku CLI (npm `heroku`), installed
 * into a temporary folder (it is ~400 MB, so it is not a dependency), pointed at a sandbox that
 * daffeinated populated, must print the right data. Run: `npm run peer:heroku-cli`.
 *
 * Isolation: HOME points into the temporary folder (the CLI writes git config and caches there),
 * telemetry, update checks and autoupdate are off, and every host it may call is the sandbox.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';
import { backupChecks } from './heroku-cli-backups.js';
import { isolatedHerokuCliEnv } from './heroku-cli-env.js';
import { type Check, everydayChecks } from './heroku-cli-everyday.js';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'peer-check-token';

async function main(): Promise<void> {
  const work = process.env['HEROKU_CLI_DIR'] ?? mkdtempSync(join(tmpdir(), 'daff-heroku-cli-'));
  const bin = join(work, 'node_modules/.bin/heroku');
  const home = join(work, 'home');
  if (!existsSync(bin)) {
    process.stderr.write(`Installing the Heroku CLI into ${work} (about a minute)…\n`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', work, 'heroku@11'], { maxBuffer: 64 << 20 });
  }
  const { stdout: version } = await run(bin, ['--version'], { env: isolatedHerokuCliEnv(home, 'http://127.0.0.1:9', TOKEN) });

  const project = mkdtempSync(join(tmpdir(), 'daff-peer-'));
  cpSync(join(root, 'config/app.yaml'), join(project, 'app.yaml'));
  // The wall clock, moved on a day when a check lets a night pass (the schedule's backup).
  let shift = 0;
  const clock = () => new Date(Date.now() + shift);
  const sandbox = await startSandbox({ port: 0, clock, zones: [{ name: 'daffeinated.com', plan: 'pro' }] });
  try {
    const applied = await cli(['apply', '--all', '--yes', '--sandbox', sandbox.url], { cwd: project, env: { STRIPE_KEY: 'sk_test_peer' } });
    if (applied.code !== 0) throw new Error(`daffeinated apply failed:\n${applied.stderr}`);
    const env = isolatedHerokuCliEnv(home, sandbox.url, TOKEN);
    const app = 'daffeinated-production';
    const checks: Check[] = [
      { args: ['apps:info', '-a', app], expect: [app, 'us'] },
      { args: ['config', '-a', app, '--json'], expect: ['NODE_ENV', 'production', 'SESSION_SECRET'] },
      { args: ['ps', '-a', app], expect: [] },
      { args: ['addons', '-a', app, '--json'], expect: ['heroku-postgresql:standard-0', 'heroku-redis:premium-0', 'newrelic:wayne'] },
      { args: ['domains', '-a', app, '--json'], expect: ['daffeinated.com', 'www.daffeinated.com', 'herokudns.com'] },
      { args: ['releases', '-a', app, '--json'], expect: ['Initial release'] },
      { args: ['pipelines:info', 'daffeinated', '--json'], expect: ['daffeinated-staging', 'daffeinated-production', 'production', 'staging'] },
      ...backupChecks(app, () => {
        shift += 86_400_000;
      }),
      ...everydayChecks(sandbox),
    ];
    process.stdout.write(`Heroku CLI ${version.trim()} against the sandbox at ${sandbox.url}\n\n`);
    let failures = 0;
    for (const check of checks) {
      await check.before?.();
      const result = await run(bin, [...check.args], { cwd: project, env, maxBuffer: 16 << 20 }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: e.stdout ?? '', err: e.stderr ?? '' }),
      );
      const missing = check.expect.filter((text) => !`${result.out}\n${result.err}`.includes(text));
      const ok = result.code === 0 && missing.length === 0;
      if (!ok) failures += 1;
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'}  heroku ${check.args.join(' ')}  (exit ${result.code})\n`);
      if (!ok) {
        if (missing.length > 0) process.stdout.write(`      missing: ${missing.join(', ')}\n`);
        process.stdout.write(`${indent(result.err.trim() || result.out.trim())}\n`);
      } else if (process.env['VERBOSE']) {
        process.stdout.write(`${indent(result.out.trim())}\n`);
      }
    }
    const unserved = sandbox.requestLog().filter((entry) => entry.status === 404);
    if (unserved.length > 0) {
      process.stdout.write(`\nRequests the sandbox answered 404:\n${unserved.map((e) => `  ${e.method} ${e.path}`).join('\n')}\n`);
    }
    process.stdout.write(`\n${checks.length - failures} passed, ${failures} failed\n`);
    process.exitCode = failures === 0 ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 20)
    .map((line) => `      ${line}`)
    .join('\n');
}

await main();
