import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DrillReport } from '../../../src/model/drill.js';
import { formatBytes, formatMs, renderDrillCost, renderDrillReport } from '../../../src/render/drill.js';
import { schemaErrors } from '../../helpers/json-schema.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as object;

const REPORT: DrillReport = {
  environment: 'production',
  app: 'shop-production',
  drill: { environment: 'production-drill', app: 'shop-production-drill', webUrl: 'https://shop-production-drill-0a1b.herokuapp.com/' },
  backup: { name: 'a042', finishedAt: '2026-11-22T02:00:00Z', captured: false },
  rpoSeconds: 36_000,
  rtoMs: 254_300,
  database: { plan: 'heroku-postgresql:essential-1', bytes: 3 * 2 ** 30 },
  release: { sourceVersion: 87, slugId: '5b0e4c7e-1111-4222-8333-944455556666', drillVersion: 4 },
  health: { kind: 'passed', url: 'https://shop-production-drill-0a1b.herokuapp.com/health', answer: 'HTTP 200: {"rows":3}' },
  steps: [
    { step: 'leftover', ms: 3_100 },
    { step: 'create', ms: 61_000 },
    { step: 'restore', ms: 150_200 },
    { step: 'release', ms: 30_000 },
    { step: 'health', ms: 13_100 },
    { step: 'teardown', ms: 8_000 },
  ],
  cost: {
    lines: [
      { address: 'heroku.addon[production-drill/database]', what: 'heroku-postgresql:essential-1', cents: 900 },
      { address: 'heroku.formation[production-drill/web]', what: '1 × basic', cents: 700 },
    ],
    monthlyCents: 1600,
    hourlyCents: 3,
    unpriced: [{ address: 'heroku.addon[production-drill/other]', reason: 'no monthly price' }],
  },
  teardown: {
    deleted: ['heroku.addon[production-drill/database]', 'heroku.app[production-drill]'],
    leftoverRemoved: ['heroku.app[production-drill]'],
  },
  outcome: 'recovered',
};

describe('dr-drill report', () => {
  it('reads as RTO, RPO, size, code, health, steps, cost and teardown', () => {
    expect(renderDrillReport(REPORT, 'human')).toBe(
      [
        'Recovery drill of production (shop-production) in production-drill (shop-production-drill): recovered',
        '  RTO:      4 min 14 s (creating the environment to a healthy answer)',
        '  RPO:      10 h 00 min (backup a042, finished 2026-11-22T02:00:00Z)',
        '  database: 3.0 GB restored into heroku-postgresql:essential-1',
        '  code:     slug 5b0e4c7e-1111-4222-8333-944455556666 of shop-production v87, released as v4',
        '  health:   healthy: https://shop-production-drill-0a1b.herokuapp.com/health answered HTTP 200: {"rows":3}',
        '  steps:    leftover 3.1 s, create 1 min 01 s, restore 2 min 30 s, release 30.0 s, health 13.1 s, teardown 8.0 s',
        '  cost:     about $0.03 an hour while it ran ($16.00/month)',
        "  teardown: shop-production-drill deleted with 1 add-on(s); an earlier drill's leftover removed first (1 resource(s))",
        '',
      ].join('\n'),
    );
  });

  it('is a markdown table for a CI artifact, escaping cells', () => {
    const text = renderDrillReport({ ...REPORT, outcome: 'unhealthy', health: { kind: 'failed', url: 'u', answer: 'HTTP 500: a|b' } }, 'markdown');
    expect(text.split('\n')[0]).toBe('## Recovery drill of production (shop-production) in production-drill (shop-production-drill): recovered, but UNHEALTHY');
    expect(text).toContain('| health | UNHEALTHY: u answered HTTP 500: a\\|b |');
  });

  it('validates against schemas/output.schema.json, every health kind, and rejects an unknown key', () => {
    const healths: DrillReport['health'][] = [REPORT.health, { kind: 'failed', url: 'u', answer: 'a' }, { kind: 'skipped', reason: 'r' }, { kind: 'not-configured' }];
    for (const health of healths) {
      const document = JSON.parse(renderDrillReport({ ...REPORT, health, database: { plan: 'p', bytes: null } }, 'json')) as Record<string, unknown>;
      expect(document['kind']).toBe('dr-drill');
      expect(schemaErrors(schema, document)).toEqual([]);
    }
    const document = JSON.parse(renderDrillReport(REPORT, 'json')) as Record<string, unknown>;
    expect(schemaErrors(schema, { ...document, extra: 1 })).not.toEqual([]);
  });

  it('shows the cost before the drill: per hour and per month, with what is unpriced', () => {
    expect(renderDrillCost({ environment: 'production-drill', app: 'shop-production-drill' }, REPORT.cost)).toContain('costs about $0.03 an hour ($16.00/month');
    expect(renderDrillCost({ environment: 'e', app: 'a' }, REPORT.cost)).toContain('unpriced  no monthly price');
  });

  it('formats durations and sizes', () => {
    expect([formatMs(900), formatMs(61_000), formatMs(3 * 3_600_000 + 60_000), formatMs(50 * 3_600_000)]).toEqual(['0.9 s', '1 min 01 s', '3 h 01 min', '2 d 2 h']);
    expect([formatBytes(null), formatBytes(512), formatBytes(1536), formatBytes(5 * 2 ** 20)]).toEqual(['unknown', '512 B', '1.5 KB', '5.0 MB']);
  });
});
