import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { SERVER_JS } from '../helpers/apps.js';
import { cli } from '../helpers/cli.js';
import { cloudflare } from '../helpers/cloudflare.js';
import { gitRepo } from '../helpers/repo.js';
import { heroku } from '../helpers/sandbox.js';
import { isLockBookkeeping } from '../helpers/scenario.js';

// cost and status of the reference app.yaml, deployed to both environments of a sandbox (no local
// processes: health checks are skipped, said so). The tests run in order and share one world.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCE = readFileSync(join(root, 'config/app.yaml'), 'utf8');
const FILES = {
  'app.yaml': REFERENCE,
  Procfile: 'web: node server.js\nworker: node -e "setInterval(() => {}, 60000)"\n',
  'server.js': SERVER_JS,
};

let sandbox: SandboxHandle;
let repo: { dir: string; sha: string };

beforeAll(async () => {
  repo = gitRepo('daff-cost-', FILES);
  const state = mkdtempSync(join(tmpdir(), 'daff-cost-state-'));
  sandbox = await startSandbox({
    stateFile: join(state, 'sandbox.json'),
    zones: [{ name: 'daffeinated.com', plan: 'pro' }],
    heroku: { buildMs: 100, releasePhaseMs: 50, promotionMs: 100, addonProvisionMs: 0, domainMs: 0, acmMs: 0 },
  });
  for (const environment of ['staging', 'production']) {
    const deployed = await run(['deploy', environment, '--yes']);
    if (deployed.code !== 0) throw new Error(`deploy ${environment} failed: ${deployed.stderr}`);
  }
}, 120_000);

afterAll(async () => {
  await sandbox.close();
});

const run = (args: string[]) =>
  cli([...args, '--sandbox', sandbox.url], { cwd: repo.dir, env: { PATH: process.env['PATH'] } });

/** Monthly cents of everything the reference config runs, from the sandbox's own price lists. */
async function expectedCents(): Promise<{ staging: number; production: number }> {
  const sizes = (await heroku<{ name: string; cost: { cents: number } | null }[]>(sandbox, 'GET', '/dyno-sizes')).body;
  const dyno = (name: string) => sizes.find((s) => s.name.toLowerCase() === name)?.cost?.cents ?? Number.NaN;
  const plan = async (service: string, name: string) => {
    const plans = (
      await heroku<{ name: string; price: { cents: number } }[]>(sandbox, 'GET', `/addon-services/${service}/plans`)
    ).body;
    return plans.find((p) => p.name === `${service}:${name}`)?.price.cents ?? Number.NaN;
  };
  const zones = (
    await cloudflare<{ plan: { price: number; frequency: string } }[]>(sandbox, 'GET', '/zones?name=daffeinated.com')
  ).body.result;
  const zone = zones[0]?.plan;
  expect(zone?.frequency).toBe('monthly');
  const monitoring = await plan('newrelic', 'wayne');
  const staging =
    dyno('basic') +
    (await plan('heroku-postgresql', 'essential-0')) +
    (await plan('heroku-redis', 'mini')) +
    monitoring;
  const production =
    2 * dyno('standard-2x') +
    dyno('standard-1x') +
    (await plan('heroku-postgresql', 'standard-0')) +
    (await plan('heroku-redis', 'premium-0')) +
    monitoring +
    Math.round((zone?.price ?? Number.NaN) * 100);
  return { staging, production };
}

describe('cost', () => {
  it("totals equal the sandbox's price data for the reference config, per environment and in all", async () => {
    const expected = await expectedCents();
    const result = await run(['cost', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      environments: {
        name: string;
        totalCents: number;
        lines: { address: string; cents: number }[];
        unpriced: unknown[];
      }[];
      totalCents: number;
    };
    expect(report.environments.map((e) => [e.name, e.totalCents, e.unpriced])).toEqual([
      ['staging', expected.staging, []],
      ['production', expected.production, []],
    ]);
    expect(report.totalCents).toBe(expected.staging + expected.production);
    expect(report.environments[1]?.lines.map((l) => l.address)).toEqual([
      'cloudflare.zone[daffeinated.com]',
      'heroku.addon[production/cache]',
      'heroku.addon[production/database]',
      'heroku.addon[production/monitoring]',
      'heroku.formation[production/web]',
      'heroku.formation[production/worker]',
    ]);
  });

  it('reads the apps and add-ons account-wide, each app, the zone and the dyno sizes (add-ons carry their billed price): 12 requests, none twice', async () => {
    sandbox.resetLog();
    expect((await run(['cost'])).code).toBe(0);
    const paths = sandbox.requestLog().map((e) => e.path.replace(/\?.*/, ''));
    expect(paths.filter((p) => p === '/dyno-sizes' || p.startsWith('/addon-services/'))).toEqual(['/dyno-sizes']);
    expect(paths.filter((p) => p === '/apps' || p === '/addons')).toHaveLength(2);
    expect(paths.filter((p) => p.startsWith('/apps/daffeinated-staging')).sort()).toEqual([
      '/apps/daffeinated-staging/config-vars',
      '/apps/daffeinated-staging/domains',
      '/apps/daffeinated-staging/formation',
      '/apps/daffeinated-staging/log-drains',
    ]);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toHaveLength(12);
  });

  it('prices one environment in human and markdown form', async () => {
    const human = await run(['cost', 'staging']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^staging \(daffeinated-staging\): \$\d+\.\d\d\/month\n/);
    expect(human.stdout).toMatch(/heroku\.formation\[staging\/web\] +\$7\.00 +1 × basic/);
    expect(human.stdout).not.toContain('production');
    const markdown = await run(['cost', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| cloudflare.zone[daffeinated.com] | pro plan | $25.00 |');
  });

  it('an unknown environment exits 1 naming the valid ones, without a request', async () => {
    sandbox.resetLog();
    const result = await run(['cost', 'prod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('declared environments: staging, production');
    expect(sandbox.requestLog()).toEqual([]);
  });
});

describe('status of the reference config', () => {
  it('reads both environments in two rounds: 6 Heroku requests per environment and 2 Cloudflare requests', async () => {
    sandbox.resetLog();
    const result = await run(['status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('health:    not checked: ');
    const paths = sandbox
      .requestLog()
      .map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{32,36}/g, 'ID').replace(/\?.*/, '')}`);
    expect(paths.filter((p) => p.startsWith('GET /apps/daffeinated-staging')).sort()).toEqual([
      'GET /apps/daffeinated-staging/addons',
      'GET /apps/daffeinated-staging/domains',
      'GET /apps/daffeinated-staging/dynos',
      'GET /apps/daffeinated-staging/formation',
      'GET /apps/daffeinated-staging/releases',
      'GET /apps/daffeinated-staging/slugs/ID',
    ]);
    expect(paths).toHaveLength(14);
    expect(paths.filter((p) => p.includes('/client/v4/'))).toHaveLength(2);
  });
});

describe('budgets', () => {
  it('plan shows the cost after the change against the budget; apply refuses it (exit 3) and writes nothing', async () => {
    const { production } = await expectedCents();
    const budget = (production + 1000) / 100;
    const yaml = REFERENCE.replace(
      '    stage: production\n',
      `    stage: production\n    budget: { monthly: ${budget} }\n`,
    ).replace('web: { quantity: 2, size: standard-2x }', 'web: { quantity: 3, size: standard-2x }');
    expect(yaml).not.toBe(REFERENCE);
    writeFileSync(join(repo.dir, 'app.yaml'), yaml);
    const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
    const sizes = (await heroku<{ name: string; cost: { cents: number } }[]>(sandbox, 'GET', '/dyno-sizes')).body;
    const after = production + (sizes.find((s) => s.name.toLowerCase() === 'standard-2x')?.cost.cents ?? Number.NaN);
    const line = `Budget of production: ${dollars(after)}/month after this plan (now ${dollars(production)}), OVER the ${dollars(production + 1000)} budget by ${dollars(after - production - 1000)}`;
    const plan = await run(['plan', 'production']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(line);
    sandbox.resetLog();
    const applied = await run(['apply', 'production', '--yes']);
    expect(applied.code).toBe(3);
    expect(applied.stderr).toContain('Apply refused: the plan would exceed a budget; nothing was changed');
    expect(applied.stderr).toContain(
      `production: ${dollars(after)}/month after the plan (now ${dollars(production)}), budget ${dollars(production + 1000)}`,
    );
    expect(applied.stderr).toContain('--allow-over-budget');
    // Nothing but the lock --yes took alongside the plan's read, released again.
    expect(sandbox.requestLog().filter((e) => e.method !== 'GET' && !isLockBookkeeping(e))).toEqual([]);
    expect(sandbox.requestLog().filter(isLockBookkeeping).map((e) => e.method)).toEqual(['POST', 'DELETE']);
  });

  it('apply --allow-over-budget applies it; within budget, apply says so and goes ahead', async () => {
    const applied = await run(['apply', 'production', '--yes', '--allow-over-budget']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('Budget of production: ');
    writeFileSync(
      join(repo.dir, 'app.yaml'),
      REFERENCE.replace('    stage: production\n', '    stage: production\n    budget: { monthly: 100000 }\n'),
    );
    const back = await run(['apply', 'production', '--yes']);
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(
      /Budget of production: \$[\d.]+\/month after this plan \(now \$[\d.]+\), within the \$100000\.00 budget/,
    );
    writeFileSync(join(repo.dir, 'app.yaml'), REFERENCE);
  });
});

describe('drift', () => {
  it('reports a dashboard scale-up with what it adds to the monthly bill', async () => {
    const scaled = await heroku(sandbox, 'PATCH', '/apps/daffeinated-staging/formation/web', {
      body: { size: 'standard-1x' },
    });
    expect(scaled.status).toBe(200);
    const sizes = (await heroku<{ name: string; cost: { cents: number } }[]>(sandbox, 'GET', '/dyno-sizes')).body;
    const cents = (name: string) => sizes.find((s) => s.name.toLowerCase() === name)?.cost.cents ?? Number.NaN;
    const growth = `$${((cents('standard-1x') - cents('basic')) / 100).toFixed(2)}`;
    const result = await run(['drift', 'staging']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`Spend grew out of band: live costs +${growth}/month more than app.yaml declares`);
    expect(result.stdout).toContain(
      `heroku.formation[staging/web]: 1 × standard-1x live, 1 × basic declared (+${growth}/month)`,
    );
  });

  it('does not count what drift.ignore accepts: an accepted size change costs nothing, the quantity beside it still does', async () => {
    expect((await heroku(sandbox, 'PATCH', '/apps/daffeinated-staging/formation/web', { body: { quantity: 2 } })).status).toBe(200);
    const sizes = (await heroku<{ name: string; cost: { cents: number } }[]>(sandbox, 'GET', '/dyno-sizes')).body;
    const cents = (name: string) => sizes.find((s) => s.name.toLowerCase() === name)?.cost.cents ?? Number.NaN;
    const dollars = (c: number) => `$${(c / 100).toFixed(2)}`;
    const accepting = (target: string) =>
      writeFileSync(join(repo.dir, 'app.yaml'), `${REFERENCE}\ndrift:\n  ignore:\n    - { target: "${target}", reason: "load test INC-7" }\n`);
    accepting('heroku.formation[staging/web].size');
    const sizeAccepted = await run(['drift', 'staging', '--format', 'json']);
    expect(sizeAccepted.code).toBe(2);
    const cost = (JSON.parse(sizeAccepted.stdout) as { cost: { deltaCents: number; lines: { address: string; beforeCents: number; afterCents: number }[] } }).cost;
    // Priced as if app.yaml declared the live size: 2 × standard-1x live against 1 × standard-1x.
    expect(cost.lines).toEqual([{ address: 'heroku.formation[staging/web]', beforeCents: 2 * cents('standard-1x'), afterCents: cents('standard-1x') }]);
    expect(cost.deltaCents).toBe(-cents('standard-1x'));
    const human = await run(['drift', 'staging']);
    expect(human.stdout).toContain(`Spend grew out of band: live costs +${dollars(cents('standard-1x'))}/month more than app.yaml declares`);
    accepting('heroku.formation[staging/web]');
    const wholeAccepted = await run(['drift', 'staging', '--format', 'json']);
    expect(JSON.parse(wholeAccepted.stdout)).not.toHaveProperty('cost.lines.0');
    expect((await run(['drift', 'staging'])).stdout).not.toContain('Spend grew');
    writeFileSync(join(repo.dir, 'app.yaml'), REFERENCE);
  });
});
