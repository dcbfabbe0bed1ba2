/**
 * What minimum.ts and extras.ts both read: the bench scenarios and the desired resources of a kind.
 * Kept apart so the minimum model and its explanation of extras do not import each other.
 */
import type { Resource } from '../src/model/resource.js';

export type Scenario = 'plan-empty' | 'plan' | 'drift' | 'apply-empty' | 'apply-one';

export function of(desired: readonly Resource[], kind: Resource['kind'], scope?: string): Resource[] {
  return desired.filter((r) => r.kind === kind && (scope === undefined || r.scope === scope));
}
