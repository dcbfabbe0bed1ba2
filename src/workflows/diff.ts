import { compareEnvironments } from '../engine/environments.js';
import type { EnvironmentDifference } from '../engine/types.js';
import type { Prepared } from './prepare.js';

export interface EnvironmentComparison {
  readonly left: string;
  readonly right: string;
  readonly differences: readonly EnvironmentDifference[];
}

/** The effective differences between two prepared environments after inheritance, offline; undefined when either is not prepared. */
export function compareDeclared(prepared: Prepared, left: string, right: string): EnvironmentComparison | undefined {
  const l = prepared.config.environments[left];
  const r = prepared.config.environments[right];
  if (l === undefined || r === undefined) return undefined;
  return { left, right, differences: compareEnvironments(l, r) };
}
