import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deployDocument, journalObserver } from '../../../src/commands/deploy-report.js';
import { promoteDocument } from '../../../src/commands/promote-report.js';
import { rollbackDocument } from '../../../src/commands/rollback-report.js';
import { ConfigError, DaffError, ExitCode, ProviderError, UnsafePlanError } from '../../../src/runtime/errors.js';
import { schemaErrors } from '../../helpers/json-schema.js';
import { scenarioPlan } from '../render/fixtures.js';
import { aRelease, build, healthyDeploy, logs, production, promotion } from './run-fixtures.js';

// The documents of `deploy --format json` and `promote --format json` for every way a run can end:
// each is what the shipped schema describes, and says how far the run got.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as object;

function parsed(text: string): Record<string, unknown> {
  const document = JSON.parse(text) as Record<string, unknown>;
  expect(schemaErrors(schema, document)).toEqual([]);
  return document;
}

describe('deployDocument', () => {
  it('a healthy deploy: outcome, exit code 0, build with its duration, release phase, health with its attempts', () => {
    const { journal, deployed } = healthyDeploy();
    const doc = parsed(deployDocument(journal, deployed, undefined));
    expect(doc).toMatchObject({
      kind: 'deploy',
      outcome: 'deployed',
      exitCode: 0,
      build: { origin: 'built', durationMs: 41_250, status: 'succeeded' },
      release: { version: 12, releasePhase: 'succeeded' },
      health: { kind: 'checked', ok: true, status: 200, answer: 'HTTP 200', attempts: 2, durationMs: 850 },
      rollbackPoint: { version: 11 },
    });
    expect(doc).not.toHaveProperty('error');
    expect(doc).not.toHaveProperty('logs');
  });

  it('a failed health check: unhealthy, exit 1, the answer, the logs, the error at the health step', () => {
    const { journal, deployed } = healthyDeploy();
    const unhealthy = {
      ...deployed,
      verdict: { kind: 'checked' as const, outcome: { ok: false as const, url: 'https://shop.example/health', last: 'HTTP 500', ms: 2_000, attempts: 5 } },
      logs,
    };
    const error = new DaffError('Release v12 of shop-staging is live but failed its health check', { hint: 'roll back' });
    const doc = parsed(deployDocument(journal, unhealthy, error));
    expect(doc).toMatchObject({
      outcome: 'unhealthy',
      exitCode: 1,
      health: { ok: false, answer: 'HTTP 500', attempts: 5 },
      logs: { app: 'shop-staging', lines: logs.kind === 'read' ? [...logs.lines] : [] },
      error: { where: 'health', message: 'Release v12 of shop-staging is live but failed its health check', hint: 'roll back' },
    });
    expect(doc['health']).not.toHaveProperty('status');
  });

  it('a failed build: the build as it ended, no release, the infrastructure applied before it', () => {
    const { journal } = healthyDeploy();
    const failedBuild = { ...build, status: 'failed' as const, slugId: null };
    const doc = parsed(
      deployDocument({ ...journal, where: 'build', build: failedBuild, release: undefined }, undefined, new DaffError('The build failed')),
    );
    expect(doc).toMatchObject({ outcome: 'failed', exitCode: 1, build: { status: 'failed', slugId: null }, error: { where: 'build' } });
    expect(doc['build']).not.toHaveProperty('origin');
    expect(doc).not.toHaveProperty('release');
    expect(doc['infrastructure']).toMatchObject({ kind: 'plan', result: { status: 'applied' } });
  });

  it('refused by the plan: the plan shown with nothing applied, exit 3; an API error names its resource', () => {
    const plan = scenarioPlan();
    const refused = new UnsafePlanError(['deleting heroku.app[staging]'], 'pass --allow-destroy');
    const doc = parsed(deployDocument({ where: 'infrastructure', environment: 'staging', app: 'shop-staging', plan }, undefined, refused));
    expect(doc).toMatchObject({ outcome: 'refused', exitCode: ExitCode.Refused, error: { where: 'infrastructure', hint: 'pass --allow-destroy' } });
    expect(doc['infrastructure']).toMatchObject({ result: { status: 'not-applied', applied: [], error: 'Refusing to apply: deleting heroku.app[staging]' } });
    const api = new ProviderError('heroku', 'Heroku rejected the formation', { status: 422, address: 'heroku.formation[staging/web]' });
    const failed = parsed(deployDocument({ where: 'formation', environment: 'staging' }, undefined, api));
    expect(failed['error']).toEqual({ message: 'Heroku rejected the formation (HTTP 422)', where: 'formation', address: 'heroku.formation[staging/web]' });
  });

  it('an invalid app.yaml: every problem, where it is', () => {
    const error = new ConfigError([{ severity: 'error', message: 'unknown key "formaton"', file: 'app.yaml', line: 4, col: 3, hint: 'did you mean "formation"?' }]);
    const doc = parsed(deployDocument({ where: 'config', environment: 'staging' }, undefined, error));
    expect(Object.keys(doc).sort()).toEqual(['environment', 'error', 'exitCode', 'formatVersion', 'kind', 'outcome']);
    expect(doc['error']).toMatchObject({ where: 'config', diagnostics: [{ severity: 'error', line: 4, col: 3, hint: 'did you mean "formation"?' }] });
  });

  it('a health check skipped or not configured, and logs that could not be read, are said so', () => {
    const { journal, deployed } = healthyDeploy();
    const skipped = parsed(deployDocument(journal, { ...deployed, verdict: { kind: 'skipped', reason: 'the sandbox runs no app processes' } }, undefined));
    expect(skipped['health']).toEqual({ kind: 'skipped', reason: 'the sandbox runs no app processes' });
    const unread = { ...deployed, verdict: { kind: 'not-configured' as const }, logs: { app: 'shop-staging', kind: 'unreadable' as const, reason: 'HTTP 503' } };
    const doc = parsed(deployDocument(journal, unread, undefined));
    expect(doc).toMatchObject({ health: { kind: 'not-configured' }, logs: { app: 'shop-staging', unreadable: 'HTTP 503' } });
  });
});

describe('journalObserver', () => {
  it('keeps the step, the build and the release; a release read back keeps the release phase its first answer named', () => {
    const fresh = { where: 'config' as const, environment: 'staging' };
    const observe = journalObserver(fresh);
    observe.step('build');
    observe.build(build);
    observe.release(aRelease(12, { status: 'pending', outputStreamUrl: 'https://release-output.heroku.com/streams/v12' }));
    observe.step('release');
    observe.release(aRelease(12, { status: 'failed', outputStreamUrl: null }));
    expect(fresh).toMatchObject({ where: 'release', build, release: { version: 12, status: 'failed', outputStreamUrl: 'https://release-output.heroku.com/streams/v12' } });
    const doc = parsed(deployDocument(fresh, undefined, new DaffError('Release v12 of shop-staging failed (release phase)')));
    expect(doc['release']).toMatchObject({ status: 'failed', releasePhase: 'failed' });
  });
});

describe('promoteDocument', () => {
  it('per target: released, rolled back (verified) or not, not promoted; the error at the promotion step', () => {
    const { journal, results } = promotion();
    const [released, rolledBack] = results;
    if (rolledBack?.kind !== 'rolled-back' || released === undefined) throw new Error('fixture');
    const failedRollback = { ...rolledBack, kind: 'rollback-failed' as const, reason: 'Heroku answered HTTP 503' };
    const notPromoted = { kind: 'not-promoted' as const, environment: released.environment, rollbackTo: released.rollbackTo, reason: 'the promotion did not release it' };
    const all = { ...journal, results: [released, rolledBack, failedRollback, notPromoted] };
    const doc = parsed(promoteDocument(all, new DaffError('Promotion failed: …')));
    expect(doc).toMatchObject({ outcome: 'failed', exitCode: 1, error: { where: 'promotion' } });
    expect(doc['targets']).toMatchObject([
      { outcome: 'released', health: { kind: 'not-configured' }, release: { version: 8, releasePhase: 'none' } },
      { outcome: 'rolled-back', rollbackPoint: { version: 30 }, health: { ok: false, attempts: 6 }, rollback: { verified: true, release: { version: 32 } } },
      { outcome: 'rollback-failed', rollback: { verified: false, error: 'Heroku answered HTTP 503' } },
      { outcome: 'not-promoted', reason: 'the promotion did not release it' },
    ]);
  });

  it('a refusal before anything changed: the checks, no targets, exit 3', () => {
    const { journal } = promotion();
    const refused = new DaffError('Promotion refused: 1 check failed; nothing was changed', { exitCode: ExitCode.Refused });
    const doc = parsed(promoteDocument({ ...journal, where: 'checks', results: undefined }, refused));
    expect(doc).toMatchObject({ outcome: 'refused', exitCode: 3, promotion: { passed: true }, error: { where: 'checks' } });
    expect(doc).not.toHaveProperty('targets');
  });
});

describe('rollbackDocument', () => {
  const examined = {
    environment: production,
    current: aRelease(33, { current: true }),
    target: aRelease(30),
    currentCommit: '3fc659ffccef186ff6b390bf9c2c600a6e5f0aa5',
    targetCommit: null,
    keys: { removed: ['HAND_SET'], restored: [] },
  };

  it('refused for the config var names: from, to and the names, exit 3, nothing rolled back', () => {
    const refused = new DaffError('Rollback refused: the config vars of v30 differ', { exitCode: ExitCode.Refused });
    const doc = parsed(rollbackDocument({ where: 'checks', environment: 'production', app: 'shop-production', examined }, refused));
    expect(doc).toMatchObject({
      kind: 'rollback',
      outcome: 'refused',
      exitCode: 3,
      from: { release: { version: 33 }, commit: examined.currentCommit },
      to: { release: { version: 30 }, commit: null },
      configVars: { removed: ['HAND_SET'], restored: [] },
      error: { where: 'checks' },
    });
    expect(doc).not.toHaveProperty('release');
  });

  it('rolled back but unhealthy: the new release and the failed check, exit 1', () => {
    const verdict = { kind: 'checked' as const, outcome: { ok: false as const, url: 'https://shop.example/health', last: 'ECONNREFUSED', ms: 3_000, attempts: 4 } };
    const journal = { where: 'health' as const, environment: 'production', app: 'shop-production', examined, result: { kind: 'rolled-back' as const, release: aRelease(34), verdict } };
    const doc = parsed(rollbackDocument(journal, new DaffError('shop-production v34 (the rollback) failed its health check')));
    expect(doc).toMatchObject({ outcome: 'unhealthy', exitCode: 1, release: { version: 34 }, health: { ok: false, answer: 'ECONNREFUSED', attempts: 4 }, error: { where: 'health' } });
  });
});
