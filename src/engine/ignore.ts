import type { DriftIgnore } from '../model/config.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import type { AcceptedDrift, Change, CostEstimate, CostLine, Plan } from './types.js';
import { summarize } from './plan.js';

/**
 * Applies `drift.ignore` of app.yaml to a plan for the drift check: ignored changes (a whole
 * address) and ignored attributes (`address.attribute`) move to `plan.accepted`, so they neither
 * show as drift nor fail the check. An entry whose `expires` date (YYYY-MM-DD, inclusive) has
 * passed no longer applies and is reported; one that matches nothing is reported as stale.
 * `today` is the injected clock's date. Only for `drift`: apply would still revert accepted drift.
 * The cost keeps only the changes left; a change left with some attributes accepted keeps its
 * old price until `withRepricedCost` (see `pricedAsAccepted`).
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
  const { cost, ...rest } = plan;
  const kept = new Set(changes.map((c) => c.address));
  return {
    ...rest,
    changes,
    summary: summarize(changes),
    accepted,
    diagnostics: [...plan.diagnostics, ...diagnostics],
    ...(cost === undefined ? {} : { cost: costOf(cost.lines.filter((l) => kept.has(l.address)), cost.unpriced.filter((u) => kept.has(u.address))) }),
  };
}

/**
 * The changes of a drift plan that have accepted attributes, as they are priced: with app.yaml's
 * value of each accepted attribute replaced by the live one, so that accepted drift (a dashboard
 * scale-up of `quantity`) costs nothing while the rest of the change (its `size`) still does.
 */
export function pricedAsAccepted(plan: Plan): Change[] {
  return plan.changes.flatMap((change) => {
    if (change.action !== 'update' && change.action !== 'replace') return [];
    const attributes = (plan.accepted ?? []).filter((a) => a.address === change.address && a.attribute !== undefined).map((a) => a.attribute as string);
    if (attributes.length === 0) return [];
    const after = { ...change.after.attributes };
    for (const name of attributes) {
      const live = change.before.attributes[name];
      if (live === undefined) delete after[name];
      else after[name] = live;
    }
    return [{ ...change, after: { ...change.after, attributes: after } }];
  });
}

/** The plan with the cost of `repriced`'s changes (see `pricedAsAccepted`) replaced by `estimate`. */
export function withRepricedCost(plan: Plan, repriced: readonly Change[], estimate: CostEstimate | undefined): Plan {
  if (plan.cost === undefined || repriced.length === 0) return plan;
  const again = new Set(repriced.map((c) => c.address));
  const byAddress = <T extends { address: string }>(a: T, b: T) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  const lines = [...plan.cost.lines.filter((l) => !again.has(l.address)), ...(estimate?.lines ?? [])].sort(byAddress);
  const unpriced = [...plan.cost.unpriced.filter((u) => !again.has(u.address)), ...(estimate?.unpriced ?? [])].sort(byAddress);
  return { ...plan, cost: costOf(lines, unpriced) };
}

function costOf(lines: readonly CostLine[], unpriced: CostEstimate['unpriced']): CostEstimate {
  return { lines, deltaCents: lines.reduce((sum, l) => sum + l.afterCents - l.beforeCents, 0), unpriced };
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
