import { assertNever } from '../runtime/errors.js';
import type { HealthVerdict, RecentLogs } from '../workflows/health.js';

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
