import { parseAddress } from '../model/resource.js';
import type { Address, Resource, ResourceKind } from '../model/resource.js';
import { assertNever, InternalError, UnsafePlanError } from '../runtime/errors.js';
import { compareStrings, sortedUnique } from './collections.js';
import { type Change, type Plan, prunesKey } from './types.js';

/** The parts of a plan that safety looks at. */
export type SafetyInput = Pick<Plan, 'changes' | 'liveCounts'>;

/** octoDNS-style guard: more than this share of a zone's records may not change without --force… */
export const DNS_CHANGE_LIMIT_PERCENT = 30;
/** …in zones with at least this many live records. */
export const DNS_GUARD_MIN_RECORDS = 10;

export interface SafetyOptions {
  /** Addresses the user allows to be deleted or replaced (`--allow-destroy`). */
  readonly allowDestroy: readonly Address[];
  /** `--force`: lifts the DNS change threshold (never the protection of data). */
  readonly force: boolean;
}

export interface SafetyReport {
  /** One sentence per refusal, naming the address or zone and what would be lost; empty when safe. */
  readonly refusals: string[];
  /** Protected addresses the plan destroys that `allowDestroy` does not name, sorted. */
  readonly needsAllowDestroy: Address[];
  /** Zones over the DNS change threshold, sorted; empty when `force`. */
  readonly needsForce: string[];
}

/**
 * Refuses (a) deleting a resource whose live side is `protect`ed, or replacing one whose desired or
 * live side is, unless its address is in `allowDestroy`; (b) updating, replacing or deleting more
 * than 30% of a Cloudflare zone's live DNS records (`plan.liveCounts`) in a zone of 10 or more,
 * unless `force`. Exactly 30% is allowed. A zone with DNS changes but no live count is a bug
 * (InternalError).
 */
export function checkSafety(plan: SafetyInput, options: SafetyOptions): SafetyReport {
  const allowed = new Set(options.allowDestroy);
  const refusals: string[] = [];
  const needsAllowDestroy: Address[] = [];
  for (const change of plan.changes) {
    const refusal = destroysProtected(change);
    if (refusal !== undefined && !allowed.has(change.address)) {
      refusals.push(refusal);
      needsAllowDestroy.push(change.address);
    }
  }
  const needsForce: string[] = [];
  if (!options.force) {
    for (const [zone, changed] of dnsChangesByZone(plan.changes)) {
      const count = plan.liveCounts[prunesKey('cloudflare.dns', zone)];
      if (count === undefined) throw new InternalError(`no live DNS record count for zone ${zone}`);
      if (count >= DNS_GUARD_MIN_RECORDS && changed * 100 > count * DNS_CHANGE_LIMIT_PERCENT) {
        refusals.push(
          `zone ${zone}: ${changed} of its ${count} DNS records would be updated, replaced or deleted ` +
            `(${Math.round((changed * 100) / count)}%, more than the ${DNS_CHANGE_LIMIT_PERCENT}% allowed without --force)`,
        );
        needsForce.push(zone);
      }
    }
  }
  return { refusals, needsAllowDestroy: needsAllowDestroy.sort(compareStrings), needsForce };
}

/** Throws UnsafePlanError (exit code 3) listing every refusal, with the flags that would allow it. */
export function assertSafe(plan: SafetyInput, options: SafetyOptions): void {
  const report = checkSafety(plan, options);
  if (report.refusals.length === 0) return;
  const flags = [
    ...report.needsAllowDestroy.map((address) => `--allow-destroy '${address}'`),
    ...(report.needsForce.length > 0 ? ['--force'] : []),
  ];
  throw new UnsafePlanError(
    report.refusals,
    `Review the plan; if this is intended, run again with ${flags.join(' ')}.`,
  );
}

function destroysProtected(change: Change): string | undefined {
  switch (change.action) {
    case 'create':
    case 'update':
      return undefined;
    case 'replace':
      if (change.after.protect !== true && change.before.protect !== true) return undefined;
      return `replacing ${change.address} (${change.because.join(', ')} cannot change in place) ${loss(change.kind, change.before)}`;
    case 'delete':
      if (change.before.protect !== true) return undefined;
      return `deleting ${change.address} ${loss(change.kind, change.before)}`;
    default:
      return assertNever(change, 'change action');
  }
}

/** What destroying the live resource loses; an add-on names its plan (`heroku-postgresql:standard-0`). */
function loss(kind: ResourceKind, live: Resource): string {
  switch (kind) {
    case 'heroku.app':
      return 'destroys the app with its add-ons and all their data, config vars, domains and releases';
    case 'heroku.addon': {
      const plan = live.attributes['plan'];
      return `destroys the add-on${typeof plan === 'string' ? ` (${plan})` : ''} and all its data`;
    }
    default:
      return 'destroys it (it is marked protect)';
  }
}

/**
 * Updates, replaces and deletes of DNS records per zone, zones sorted. The zone is the first part
 * of the address (`cloudflare.dns[zone/TYPE/name]`); the scope is the owning environment.
 */
function dnsChangesByZone(changes: readonly Change[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const change of changes) {
    if (change.kind === 'cloudflare.dns' && change.action !== 'create') {
      const zone = parseAddress(change.address)?.parts[0] ?? change.scope;
      counts.set(zone, (counts.get(zone) ?? 0) + 1);
    }
  }
  return new Map(sortedUnique([...counts.keys()]).map((zone) => [zone, counts.get(zone) as number]));
}
