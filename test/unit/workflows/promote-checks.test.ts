import { describe, expect, it } from 'vitest';
import type { ReleaseStatus } from '../../../src/providers/provider.js';
import { promotionChecks, type SourceFacts, type TargetFacts } from '../../../src/workflows/promote-checks.js';

const release = (version: number, extra: Partial<ReleaseStatus> = {}): ReleaseStatus => ({
  id: `release-${version}`,
  version,
  status: 'succeeded',
  current: true,
  slugId: `slug-${version}-0000000000`,
  description: `Deploy v${version}`,
  outputStreamUrl: null,
  ...extra,
});

const source = (extra: Partial<SourceFacts> = {}): SourceFacts => ({
  environment: 'staging',
  app: 'shop-staging',
  latest: release(12),
  current: release(12),
  slug: { id: 'slug-12-0000000000', commit: 'abcdef1234567890', processTypes: { web: 'node server.js', release: 'node migrate.js' } },
  configKeys: ['DATABASE_URL', 'GREETING', 'STAGE'],
  health: { kind: 'answered', ok: true, url: 'https://staging.shop.example/health', answer: 'HTTP 200' },
  ...extra,
});

const target = (extra: Partial<TargetFacts> = {}): TargetFacts => ({
  environment: 'production',
  app: 'shop-production',
  pendingChanges: [],
  configKeys: ['DATABASE_URL', 'GREETING', 'STAGE', 'EXTRA'],
  formationTypes: ['web'],
  declaredTypes: ['web'],
  current: release(7, { slugId: 'slug-7-0000000000' }),
  promoted: undefined,
  rollbackPoint: release(7, { slugId: 'slug-7-0000000000' }),
  ...extra,
});

describe('promotionChecks', () => {
  it('passes when everything lines up, naming the release, commit and rollback point', () => {
    const report = promotionChecks(source(), [target()], []);
    expect(report.passed).toBe(true);
    expect(report.warnings).toEqual([]);
    expect(report.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.environment}: ${c.title} — ${c.detail}`)).toEqual([
      '✓ staging: current release of staging succeeded — v12 of shop-staging: slug slug-12- of commit abcdef1',
      '✓ staging: staging answers its health check now — https://staging.shop.example/health answered HTTP 200',
      '✓ production: infrastructure matches app.yaml — no pending changes on shop-production',
      '✓ production: config vars of staging are set — 3 keys of staging present on shop-production',
      "✓ production: process types are known — web in shop-production's formation or app.yaml",
      '✓ production: rollback point recorded — v7 (slug slug-7-0) of shop-production',
    ]);
  });

  it('reports every failure at once, each with what to do', () => {
    const report = promotionChecks(
      source({ latest: release(13, { status: 'failed', current: false }), configKeys: ['A_KEY', 'B_KEY', 'GREETING'] }),
      [target({ pendingChanges: ['heroku.config[production]'], configKeys: ['GREETING'], current: undefined, rollbackPoint: undefined, declaredTypes: [], formationTypes: [] })],
      [],
    );
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.detail);
    expect(failed).toEqual([
      'the newest release v13 of shop-staging is failed (v12 is current): promoting would ship v12, not the last deploy — fix it and deploy staging again',
      '1 pending change (heroku.config[production]): run `daffeinated apply production` first, or pass --apply',
      'missing on shop-production: A_KEY, B_KEY — declare them for production in app.yaml (and apply), or list them under promote.allow_missing_config',
      'the slug runs web, which shop-production neither has nor declares: add formation.web for production in app.yaml',
      'shop-production has no current release to return to: run `daffeinated apply production` first',
    ]);
  });

  it('lets listed keys be missing, and says so', () => {
    const report = promotionChecks(source({ configKeys: ['GREETING', 'STAGING_ONLY'] }), [target()], ['STAGING_ONLY']);
    expect(report.passed).toBe(true);
    expect(report.checks[3]?.detail).toBe('2 keys of staging present on shop-production (allowed to differ: STAGING_ONLY)');
  });

  it('fails the source when nothing was deployed, and cannot compare process types then', () => {
    const report = promotionChecks(source({ latest: release(2, { slugId: null }), current: release(2, { slugId: null }), slug: undefined }), [target()], []);
    expect(report.checks[0]).toMatchObject({ ok: false, detail: 'shop-staging has no deployed code: run `daffeinated deploy staging` first' });
    expect(report.checks[4]).toMatchObject({ ok: false, detail: 'no slug to compare (see the source check)' });
  });

  it('accepts a type app.yaml declares but the formation lacks, and warns about declared types the slug lacks', () => {
    const report = promotionChecks(
      source({ slug: { id: 's', commit: null, processTypes: { web: 'x', clock: 'y' } } }),
      [target({ formationTypes: ['web'], declaredTypes: ['clock', 'web', 'worker'] })],
      [],
    );
    expect(report.passed).toBe(true);
    expect(report.checks[0]?.detail).toBe('v12 of shop-staging: slug slug-12-');
    expect(report.warnings).toEqual([
      "production declares process type 'worker', which the promoted slug does not have: it stays unscaled (deferred)",
    ]);
  });

  it('checks every target, and a rollback point of a release without code says so', () => {
    const second = target({ environment: 'eu', app: 'shop-eu', current: release(3, { slugId: null }), rollbackPoint: release(3, { slugId: null }) });
    const report = promotionChecks(source(), [target(), second], []);
    expect(report.checks.filter((c) => c.environment === 'eu')).toHaveLength(4);
    expect(report.checks.at(-1)?.detail).toBe('v3 (no code yet) of shop-eu');
  });

  it('a target an earlier run already promoted: the rollback point is the release before, and it is said', () => {
    const promoted = release(9, { slugId: 'slug-12-0000000000' });
    const report = promotionChecks(source(), [target({ current: promoted, promoted, rollbackPoint: release(7, { current: false, slugId: 'slug-7-0000000000' }) })], []);
    expect(report.passed).toBe(true);
    expect(report.checks.at(-1)?.detail).toBe(
      'v7 (slug slug-7-0) of shop-production — v9 already runs the promoted slug (an earlier run promoted it): it is health checked, not promoted again',
    );
    const nothingBefore = promotionChecks(source(), [target({ current: promoted, promoted, rollbackPoint: undefined })], []);
    expect(nothingBefore.checks.at(-1)).toMatchObject({ ok: false, detail: expect.stringContaining('none of the newest releases of shop-production before v9 runs other code') });
  });

  it('abbreviates long lists', () => {
    const pending = Array.from({ length: 6 }, (_, i) => `heroku.domain[production/d${i}.example]`);
    const report = promotionChecks(source(), [target({ pendingChanges: pending })], []);
    expect(report.checks[2]?.detail).toBe(
      '6 pending changes (heroku.domain[production/d0.example], heroku.domain[production/d1.example], heroku.domain[production/d2.example], heroku.domain[production/d3.example] and 2 more): run `daffeinated apply production` first, or pass --apply',
    );
  });

  it('fails a source without releases (or without a current one) instead of throwing, and warns about no process types then', () => {
    for (const facts of [{ latest: undefined, current: undefined }, { current: undefined }, { latest: undefined }]) {
      const report = promotionChecks(source({ ...facts, slug: undefined }), [target({ declaredTypes: ['web', 'worker'] })], []);
      expect(report.checks[0]).toMatchObject({ ok: false, detail: 'shop-staging has no deployed code: run `daffeinated deploy staging` first' });
      expect(report.warnings).toEqual([]);
    }
  });

  it('names process types, keys and lists in a stable order, with singular and plural', () => {
    const report = promotionChecks(
      source({ configKeys: ['ONLY'], slug: { id: 's', commit: null, processTypes: { worker: 'w', web: 'x', clock: 'c', release: 'r' } } }),
      [target({ formationTypes: [], declaredTypes: [], pendingChanges: ['a', 'b', 'c', 'd'], configKeys: ['ONLY'] })],
      ['Z_KEY', 'A_KEY'],
    );
    expect(report.checks.slice(2, 5).map((c) => c.detail)).toEqual([
      '4 pending changes (a, b, c, d): run `daffeinated apply production` first, or pass --apply',
      '1 key of staging present on shop-production (allowed to differ: A_KEY, Z_KEY)',
      'the slug runs clock, web, worker, which shop-production neither has nor declares: add formation.clock for production in app.yaml',
    ]);
    const one = promotionChecks(source({ configKeys: ['NEW_KEY', 'GREETING'] }), [target({ configKeys: ['GREETING'] })], []);
    expect(one.checks[3]?.detail).toBe('missing on shop-production: NEW_KEY — declare it for production in app.yaml (and apply), or list it under promote.allow_missing_config');
    const none = promotionChecks(source({ slug: { id: 's', commit: null, processTypes: { release: 'r' } } }), [target({ declaredTypes: ['worker', 'web'] })], []);
    expect(none.checks[4]?.detail).toBe("no process types in shop-production's formation or app.yaml");
    expect(none.warnings).toEqual([
      "production declares process type 'web', which the promoted slug does not have: it stays unscaled (deferred)",
      "production declares process type 'worker', which the promoted slug does not have: it stays unscaled (deferred)",
    ]);
  });

  it('refuses a source that does not answer its health check now, unless --force source-health names it', () => {
    const unhealthy = source({
      health: { kind: 'answered', ok: false, url: 'https://staging.shop.example/health', answer: 'HTTP 503: the web process of shop-staging crashed on v12 (web.1 crashed, H10)' },
    });
    const refused = promotionChecks(unhealthy, [target()], []);
    expect(refused.passed).toBe(false);
    expect(refused.checks.filter((c) => !c.ok)).toEqual([
      {
        environment: 'staging',
        title: 'staging answers its health check now',
        ok: false,
        detail:
          'https://staging.shop.example/health answered HTTP 503: the web process of shop-staging crashed on v12 (web.1 crashed, H10): the release would ship to production as it fails in staging — fix it and deploy staging again, or pass --force source-health to promote it anyway',
      },
    ]);
    const forced = promotionChecks(unhealthy, [target()], [], ['source-health']);
    expect(forced.passed).toBe(true);
    expect(forced.checks[1]?.detail).toContain('promoting anyway (--force source-health)');
  });

  it('passes the health check it cannot ask, saying why', () => {
    expect(promotionChecks(source({ health: { kind: 'not-configured' } }), [target()], []).checks[1]).toMatchObject({
      ok: true,
      detail: 'no healthcheck declared for staging in app.yaml: nothing to ask',
    });
    expect(promotionChecks(source({ health: { kind: 'skipped', reason: 'the sandbox runs no app processes' } }), [target()], []).checks[1]).toMatchObject({
      ok: true,
      detail: 'not asked: the sandbox runs no app processes',
    });
  });
});
