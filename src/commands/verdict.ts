import { assertNever, DaffError } from '../runtime/errors.js';
import type { HealthVerdict, RecentLogs } from '../workflows/health.js';
import { describeSelection, type PurgeOutcome } from '../workflows/purge.js';

/** One line for summaries: `healthy (HTTP 200 at https://…/health)`, `skipped: …`, `not configured`. */
export function describeVerdict(verdict: HealthVerdict): string {
  switch (verdict.kind) {
    case 'not-configured':
      return 'not configured (no healthcheck in app.yaml)';
    case 'skipped':
      return `skipped: ${verdict.reason}`;
    case 'checked':
      return verdict.outcome.ok
        ? `healthy (HTTP ${verdict.outcome.status} at ${verdict.outcome.url})`
        : `UNHEALTHY (${verdict.outcome.url}: ${verdict.outcome.last})`;
    default:
      return assertNever(verdict, 'health verdict');
  }
}

/** The log lines, indented under a heading, to append to a failure message; empty when there are none. */
export function describeLogs(logs: RecentLogs): string {
  switch (logs.kind) {
    case 'read':
      return logs.lines.length === 0
        ? ''
        : `\nThe last ${logs.lines.length} log lines of ${logs.app} (router lines thinned):\n${logs.lines.map((l) => `  | ${l}`).join('\n')}`;
    case 'unreadable':
      return `\n(The logs of ${logs.app} could not be read: ${logs.reason}.)`;
    default:
      return assertNever(logs, 'recent logs');
  }
}

/** One line for summaries: what was purged from Cloudflare's cache, or why nothing was. */
export function describePurge(outcome: PurgeOutcome): string {
  const zones = (done: PurgeOutcome & { kind: 'purged' | 'failed' }) =>
    done.zones.map((z) => `${z.zone} ${describeSelection(z.selection)} (${z.requests} request${z.requests === 1 ? '' : 's'})`).join('; ');
  switch (outcome.kind) {
    case 'not-declared':
      return 'none (no purge in app.yaml)';
    case 'held-back':
      return `not purged: ${outcome.reason}`;
    case 'purged':
      return zones(outcome);
    case 'failed':
      return `FAILED in ${outcome.zone}: ${outcome.message}${outcome.zones.length > 0 ? `; purged before that: ${zones(outcome)}` : ''}`;
    default:
      return assertNever(outcome, 'purge outcome');
  }
}

/** The error for a healthy release whose purge failed: the release is live, the cache may be stale. */
export function purgeFailure(outcome: PurgeOutcome & { kind: 'failed' }, environment: string, app: string, again: string): DaffError {
  return new DaffError(`The new release of ${app} is live, but purging Cloudflare's cache of ${outcome.zone} failed: ${outcome.message}`, {
    hint: `${outcome.hint === undefined ? '' : `${outcome.hint} `}Visitors may see cached pages of the previous release until they expire. Purging again is harmless: ${again}, or purge ${environment}'s hosts in the Cloudflare dashboard (Caching › Configuration › Purge Cache).`,
  });
}
