import type { DriftIgnore } from '../model/config.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import type { AcceptedDrift, Change, Plan } from './types.js';
import { summarize } from './plan.js';

/**
 * Applies `drift.ignore` of app.yaml to a plan for the drift check: ignored changes (a whole
 * address) and ignored attributes (`address.attribute`) move to `plan.accepted`, so they neither
 * show as drift nor fail the check. An entry whose `expires` date (YYYY-MM-DD, inclusive) has
 * passed no longer applies and is reported; one that matches nothing is reported as stale.
 * `today` is the injected clock's date. Only for `drift`: apply would still revert accepted drift.
 */
export function applyDriftIgnores(plan: Plan, ignores: readonly DriftIgnore[], today: Date): Plan {
  const day = today.toISOString().slice(0, 10);
  const diagnostics: Diagnostic[] = [];
  const active: DriftIgnore[] = [];
  for (const ignore of ignores) {
    if (ignore.expires !== undefined && ignore.expires < day) {
      diagnostics.push({
        severity: 'warning',
        message: `the accepted drift of ${ignore.target} expired on ${ignore.expires}; it counts as drift again`,
        ...(ignore.source ?? {}),
        hint: 'fix the drift, or extend `expires` with a reason',
      });
    } else {
      active.push(ignore);
    }
  }
  const accepted: AcceptedDrift[] = [];
  const used = new Set<DriftIgnore>();
  const changes: Change[] = [];
  for (const change of plan.changes) {
    const whole = active.find((i) => i.target === change.address);
    if (whole !== undefined) {
      used.add(whole);
      accepted.push(acceptance(whole, change.address, undefined));
      continue;
    }
    const kept = change.diffs.filter((diff) => {
      const ignore = active.find((i) => i.target === `${change.address}.${diff.attribute}`);
      if (ignore === undefined) return true;
      used.add(ignore);
      accepted.push(acceptance(ignore, change.address, diff.attribute));
      return false;
    });
    if (kept.length === change.diffs.length) changes.push(change);
    else if (kept.length > 0) changes.push({ ...change, diffs: kept });
  }
  for (const ignore of active) {
    if (used.has(ignore)) continue;
    diagnostics.push({
      severity: 'warning',
      message: `drift.ignore entry ${ignore.target} matches no drift`,
      ...(ignore.source ?? {}),
      hint: 'remove it once the difference is gone, so it cannot hide a future one',
    });
  }
  return {
    ...plan,
    changes,
    summary: summarize(changes),
    accepted,
    diagnostics: [...plan.diagnostics, ...diagnostics],
  };
}

function acceptance(ignore: DriftIgnore, address: string, attribute: string | undefined): AcceptedDrift {
  return {
    address,
    ...(attribute === undefined ? {} : { attribute }),
    reason: ignore.reason,
    ...(ignore.expires === undefined ? {} : { expires: ignore.expires }),
    ...(ignore.source === undefined ? {} : { source: ignore.source }),
  };
}
