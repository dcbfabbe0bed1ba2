import type { DeployJournal } from '../../../src/commands/deploy-report.js';
import type { PromoteJournal } from '../../../src/commands/promote-report.js';
import type { BuildStatus, ReleaseStatus } from '../../../src/providers/provider.js';
import type { Deployed } from '../../../src/workflows/deployment.js';
import type { RecentLogs } from '../../../src/workflows/health.js';
import type { TargetResult } from '../../../src/workflows/promotion.js';
import { environmentConfig } from '../../helpers/config.js';
import { aPlan } from '../render/fixtures.js';

// A deploy and a promotion as their workflows report them, for the --format json documents.

export const staging = { ...environmentConfig('staging', []), app: 'shop-staging' };
export const production = { ...environmentConfig('production', ['shop.example']), app: 'shop-production' };
const commit = { sha: '3fc659ffccef186ff6b390bf9c2c600a6e5f0aa5', subject: 'Add the checkout page' };

export function aRelease(version: number, extra: Partial<ReleaseStatus> = {}): ReleaseStatus {
  return {
    id: `0b8e1f6c-0000-4000-8000-0000000000${String(version).padStart(2, '0')}`,
    version,
    status: 'succeeded',
    current: false,
    slugId: 'c2a6f1d4-7e0b-4b7e-9d1a-5f3e8c2b9a10',
    description: `Deploy ${commit.sha.slice(0, 8)}`,
    outputStreamUrl: null,
    ...extra,
  };
}

export const build: BuildStatus = {
  id: '5d7f3a9e-2c41-4f6b-8a0d-1e9b7c3f2a65',
  status: 'succeeded',
  outputStreamUrl: 'https://build-output.heroku.com/streams/5d7f3a9e',
  releaseId: aRelease(12).id,
  slugId: 'f91c0b2e-3a5d-4c8e-b6f7-2d4a9e1c7b38',
};

export const released = aRelease(12, {
  current: true,
  slugId: build.slugId,
  outputStreamUrl: 'https://release-output.heroku.com/streams/v12',
});

export const logs: RecentLogs = {
  app: 'shop-staging',
  kind: 'read',
  lines: ['2026-11-22T11:59:58+00:00 app[web.1]: listening on 5000', '2026-11-22T11:59:59+00:00 app[web.1]: TypeError: cart is undefined'],
};

/** A deploy that converged nothing, built, released (with a release phase) and passed its health check. */
export function healthyDeploy(): { journal: DeployJournal; deployed: Deployed } {
  const plan = aPlan([], { scopes: ['staging'] });
  const journal: DeployJournal = {
    where: 'health',
    environment: 'staging',
    app: 'shop-staging',
    commit,
    plan,
    converged: { plan, applied: [], after: plan },
    build,
    release: released,
  };
  const deployed: Deployed = {
    environment: staging,
    commit,
    shipped: { build, release: released, buildMs: 41_250, origin: 'built' },
    formation: { applied: ['heroku.formation[staging/web]'], stillDeferred: [] },
    verdict: { kind: 'checked', outcome: { ok: true, url: 'https://shop-staging-1a2b3c4d5e6f.herokuapp.com/health', status: 200, ms: 850, attempts: 2 } },
    url: 'https://shop-staging-1a2b3c4d5e6f.herokuapp.com/',
    before: aRelease(11),
    logs: undefined,
    purge: { kind: 'not-declared' },
  };
  return { journal, deployed };
}

/** A promotion to two targets: one released and healthy, one rolled back after failing its health check. */
export function promotion(): { journal: PromoteJournal; results: TargetResult[] } {
  const failing = { ok: false as const, url: 'https://shop.example/health', last: 'HTTP 500: {"status":"broken"}', ms: 2_004, attempts: 6 };
  const results: TargetResult[] = [
    {
      kind: 'released',
      environment: { ...staging, name: 'qa', app: 'shop-qa' },
      rollbackTo: aRelease(7),
      release: aRelease(8, { current: true }),
      origin: 'answered',
      verdict: { kind: 'not-configured' },
      purge: { kind: 'not-declared' },
    },
    {
      kind: 'rolled-back',
      environment: production,
      rollbackTo: aRelease(30),
      release: aRelease(31, { outputStreamUrl: 'https://release-output.heroku.com/streams/v31' }),
      origin: 'answered',
      outcome: failing,
      rollback: aRelease(32, { current: true, description: 'Rollback to v30' }),
      logs: { ...logs, app: 'shop-production' },
    },
  ];
  const journal: PromoteJournal = {
    where: 'promotion',
    promotion: {
      formatVersion: 1,
      kind: 'promotion',
      pipeline: 'shop-pipe',
      source: { environment: 'staging', app: 'shop-staging', release: { id: released.id, version: 12, slug: released.slugId }, commit: commit.sha },
      targets: [
        { environment: 'qa', app: 'shop-qa', currentRelease: { id: aRelease(7).id, version: 7 } },
        { environment: 'production', app: 'shop-production', currentRelease: { id: aRelease(30).id, version: 30 } },
      ],
      checks: [
        { environment: 'staging', title: 'current release of staging succeeded', ok: true, detail: 'v12 of shop-staging' },
        { environment: 'production', title: 'rollback point recorded', ok: true, detail: 'v30 of shop-production' },
      ],
      passed: true,
    },
    warnings: [],
    results,
  };
  return { journal, results };
}
