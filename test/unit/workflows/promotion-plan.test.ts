import { describe, expect, it } from 'vitest';
import {
  assertApproved,
  type PromotionDocument,
  parsePromotionDocument,
} from '../../../src/workflows/promotion-plan.js';

const doc = (
  release: string | null,
  targetRelease: string | null,
  targets = ['shop-production'],
): PromotionDocument => ({
  formatVersion: 1,
  kind: 'promotion',
  pipeline: 'shop',
  source: {
    environment: 'staging',
    app: 'shop-staging',
    release: release === null ? null : { id: release, version: 7, slug: 's' },
    commit: null,
  },
  targets: targets.map((app) => ({
    environment: 'production',
    app,
    currentRelease: targetRelease === null ? null : { id: targetRelease, version: 3 },
  })),
  checks: [],
  passed: true,
});

const refusal = (approved: PromotionDocument, now: PromotionDocument): string => {
  try {
    assertApproved(approved, now, 'approved.json');
  } catch (error) {
    expect((error as { exitCode: number }).exitCode).toBe(3);
    return (error as Error).message;
  }
  return 'accepted';
};

describe('assertApproved', () => {
  it('accepts exactly the approved release onto targets that have not moved', () => {
    expect(refusal(doc('r7', 't3'), doc('r7', 't3'))).toBe('accepted');
    expect(refusal(doc('r7', null), doc('r7', null))).toBe('accepted');
  });

  it('refuses, saying what moved: the source release, a target, the targets', () => {
    expect(refusal(doc('r7', 't3'), doc('r8', 't4'))).toBe(
      'Promotion refused: live state moved since approved.json was approved; nothing was changed\n' +
        '  the approved release of shop-staging is v7 (r7), its current release is now v7 (r8)\n' +
        '  shop-production was at v3 when approved and is now at v3',
    );
    expect(refusal(doc('r7', 't3'), doc('r7', 't3', ['shop-eu']))).toContain(
      'it promotes to shop-production, this run to shop-eu',
    );
    expect(refusal(doc(null, 't3'), doc(null, 't3'))).toContain('the approved release of shop-staging is none');
  });

  it('reads only promotion documents of its version', () => {
    expect(parsePromotionDocument(JSON.stringify(doc('r7', 't3')), 'a.json').source.app).toBe('shop-staging');
    expect(() => parsePromotionDocument('{', 'a.json')).toThrow(
      /^a\.json is not a promotion to approve: it is not JSON/,
    );
    expect(() => parsePromotionDocument('{"kind":"promotion","formatVersion":2}', 'a.json')).toThrow(
      'a.json is not a promotion to approve: its formatVersion is 2, this daffeinated reads 1',
    );
    expect(() => parsePromotionDocument('{"kind":"promotion","formatVersion":1}', 'a.json')).toThrow(
      'it has no source or targets',
    );
  });
});
