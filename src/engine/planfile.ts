import type { Resource } from '../model/resource.js';
import { canonicalJson } from '../model/value.js';
import { assertNever, StalePlanError } from '../runtime/errors.js';
import { PLAN_FORMAT_VERSION, SENSITIVE_PLACEHOLDER, type SavedPlan } from './saved-plan.js';
import type { AttributeDiff, Change, Plan } from './types.js';

export {
  type JsonValue,
  PLAN_FORMAT_VERSION,
  parsePlanFile,
  SENSITIVE_PLACEHOLDER,
  type SavedAttributeDiff,
  type SavedChange,
  type SavedPlan,
} from './saved-plan.js';

/**
 * The plan file text: versioned JSON, keys sorted, two-space indent, final newline. Changes keep
 * their attribute diffs (an Unknown as `{"unknown": reason}`) but not the full resources; every
 * value of an attribute that the diff or either resource marks sensitive is "(sensitive)". So the
 * file never contains a secret, while its digests still move when a secret does.
 */
export function serializePlan(plan: Plan): string {
  const saved = {
    formatVersion: PLAN_FORMAT_VERSION,
    scopes: plan.scopes,
    changes: plan.changes.map(savedChange),
    deferred: plan.deferred,
    unmanaged: plan.unmanaged,
    diagnostics: plan.diagnostics,
    summary: plan.summary,
    digests: plan.digests,
  };
  return `${canonicalJson(saved, 2)}\n`;
}

/**
 * Throws StalePlanError when the current plan was not made from the same desired and live state
 * as the saved one (different scopes, app.yaml or environment changed, or live changed).
 */
export function checkStale(saved: SavedPlan, current: Plan): void {
  const reasons = [
    saved.scopes.join(',') === current.scopes.join(',')
      ? undefined
      : `it covers ${describeScopes(saved.scopes)}, not ${describeScopes(current.scopes)}`,
    saved.digests.desired === current.digests.desired ? undefined : 'app.yaml (or a value it reads) has changed since',
    saved.digests.live === current.digests.live
      ? undefined
      : 'live state has changed since (someone or something else changed it)',
  ].filter((reason): reason is string => reason !== undefined);
  if (reasons.length > 0) throw new StalePlanError(`The saved plan is stale: ${reasons.join('; ')}.`);
}

function describeScopes(scopes: readonly string[]): string {
  return scopes.length === 0 ? 'no scope' : scopes.join(', ');
}

function savedChange(change: Change): object {
  const secret = new Set(resourcesOf(change).flatMap((resource) => resource.sensitive));
  return {
    action: change.action,
    address: change.address,
    provider: change.provider,
    kind: change.kind,
    scope: change.scope,
    diffs: change.diffs.map((diff) => redact(diff, diff.sensitive || secret.has(diff.attribute))),
    because: change.action === 'replace' ? change.because : undefined,
  };
}

function redact(diff: AttributeDiff, sensitive: boolean): AttributeDiff {
  if (!sensitive) return diff;
  return {
    ...diff,
    sensitive,
    ...(diff.before === undefined ? {} : { before: SENSITIVE_PLACEHOLDER }),
    ...(diff.after === undefined ? {} : { after: SENSITIVE_PLACEHOLDER }),
  };
}

function resourcesOf(change: Change): readonly Resource[] {
  switch (change.action) {
    case 'create':
      return [change.after];
    case 'update':
    case 'replace':
      return [change.before, change.after];
    case 'delete':
      return [change.before];
    default:
      return assertNever(change, 'change action');
  }
}
