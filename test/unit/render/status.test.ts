import { describe, expect, it } from 'vitest';
import type { EnvironmentStatus } from '../../../src/model/status.js';
import { describeComparison, describeDns, describeHealth, renderStatus } from '../../../src/render/status.js';

const comparison = (behind: number | undefined) => ({
  from: 'staging',
  to: 'production',
  fromCommit: 'b'.repeat(40),
  toCommit: 'a'.repeat(40),
  behind,
});

const production: EnvironmentStatus = {
  name: 'production',
  stage: 'production',
  app: 'shop-production',
  exists: true,
  release: {
    version: 12,
    status: 'succeeded',
    description: 'Deploy 1a2b3c4d',
    commit: '1a2b3c4d5e',
    user: 'dev@example.com',
    createdAt: '2026-12-01T10:00:00Z',
  },
  formation: [{ type: 'web', quantity: 2, size: 'standard-1x' }],
  dynos: [
    { state: 'crashed', count: 1 },
    { state: 'up', count: 1 },
  ],
  addons: [{ name: 'shop-db', plan: 'heroku-postgresql:essential-0', state: 'provisioned' }],
  domains: [
    {
      hostname: 'www.shop.test',
      target: 'x.herokudns.com',
      certificate: 'cert issued',
      dns: { kind: 'elsewhere', content: 'old.example' },
    },
  ],
  health: { kind: 'answered', ok: false, url: 'https://www.shop.test/health', answer: 'HTTP 500' },
};

describe('status rendering', () => {
  it('says how far a stage is behind, or only that it differs', () => {
    expect(describeComparison(comparison(3))).toBe('production is 3 commits behind staging (aaaaaaa vs bbbbbbb)');
    expect(describeComparison(comparison(1))).toBe('production is 1 commit behind staging (aaaaaaa vs bbbbbbb)');
    expect(describeComparison(comparison(0))).toBe(
      'production is not behind staging but runs a different commit (aaaaaaa vs bbbbbbb)',
    );
    expect(describeComparison(comparison(undefined))).toBe(
      'production runs a different commit than staging (aaaaaaa vs bbbbbbb)',
    );
  });

  it('says where DNS points and what the health check answered', () => {
    expect(describeDns({ kind: 'missing' }, 'x.herokudns.com')).toBe(
      'MISSING (no record; should point at x.herokudns.com)',
    );
    expect(describeDns({ kind: 'unmanaged' }, null)).toBe('not in a zone app.yaml declares (not checked)');
    expect(describeDns({ kind: 'unreadable', reason: 'HTTP 403' }, null)).toBe('unknown (the zone could not be read: HTTP 403)');
    expect(describeHealth({ kind: 'skipped', reason: 'no processes' })).toBe('not checked: no processes');
    expect(describeHealth({ kind: 'not-configured' })).toBe('not configured (no healthcheck in app.yaml)');
  });

  it('lays out an environment for people', () => {
    expect(renderStatus({ environments: [production], comparisons: [] }, 'human')).toBe(
      [
        'production (production): shop-production',
        '  release:   v12 succeeded, commit 1a2b3c4 by dev@example.com at 2026-12-01T10:00:00Z — Deploy 1a2b3c4d',
        '  formation: web 2 × standard-1x',
        '  dynos:     1 crashed, 1 up',
        '  add-ons:   shop-db (heroku-postgresql:essential-0) provisioned',
        '  domains:   www.shop.test: certificate issued; DNS points at old.example, NOT at x.herokudns.com',
        '  health:    UNHEALTHY (HTTP 500 at https://www.shop.test/health)',
        '',
        '',
      ].join('\n'),
    );
  });

  it("names the certificate's state once: Heroku's `cert issued` is `certificate issued`", () => {
    const domain = (certificate: string | null) => ({ ...production, domains: [{ ...production.domains[0], hostname: 'www.shop.test', target: null, certificate, dns: { kind: 'unmanaged' as const } }] });
    const human = (certificate: string | null) => renderStatus({ environments: [domain(certificate)], comparisons: [] }, 'human');
    expect(human('pending')).toContain('www.shop.test: certificate pending; DNS');
    expect(human('failing')).toContain('www.shop.test: certificate failing; DNS');
    expect(human(null)).toContain('www.shop.test: certificate none (no ACM); DNS');
    const markdown = renderStatus({ environments: [domain('cert issued')], comparisons: [] }, 'markdown');
    expect(markdown).toContain('| www.shop.test | certificate issued; DNS');
    expect(markdown).not.toContain('cert issued');
  });

  it('draws the pipeline in Mermaid for markdown', () => {
    const staging = { ...production, name: 'staging', app: 'shop-staging', exists: false, release: undefined };
    const markdown = renderStatus({ environments: [staging, production], comparisons: [comparison(2)] }, 'markdown');
    expect(markdown).toContain(
      '```mermaid\nflowchart LR\n  env0["staging<br/>shop-staging<br/>no release"]\n  env1["production<br/>shop-production<br/>v12 1a2b3c4"]\n  env0 --> env1\n```',
    );
    expect(markdown).toContain('- production is 2 commits behind staging');
    expect(markdown).toContain('| app | does not exist |');
  });
});
