import { assertNever } from '../runtime/errors.js';
import type { ReleaseOrigin } from '../workflows/promote.js';
import type { TargetResult } from '../workflows/promotion.js';
import { describeLogs, describePurge, describeVerdict } from './verdict.js';

// The human summary of a promotion's targets (`promote`), and what failed for its error.

/** A target's line of the summary, and what failed there for the error, if anything. */
export function renderResult(result: TargetResult): { line: string; failure?: string } {
  const { environment, rollbackTo } = result;
  const at = `  ${environment.name} (${environment.app}):`;
  switch (result.kind) {
    case 'not-promoted':
      return {
        line: `${at} NOT promoted: ${result.reason}; v${rollbackTo.version} is still current`,
        failure: `${environment.app} was not promoted (${firstLine(result.reason)})`,
      };
    case 'released': {
      const line = `${at} v${result.release.version} released${describeOrigin(result.origin)}; health ${describeVerdict(result.verdict)}; purge ${describePurge(result.purge)}`;
      if (result.purge.kind !== 'failed') return { line };
      const hint = result.purge.hint === undefined ? '' : ` (${result.purge.hint})`;
      return {
        line,
        failure: `${environment.app} v${result.release.version} is live, but purging Cloudflare's cache of ${result.purge.zone} failed: ${result.purge.message}${hint}; visitors may see cached pages of the previous release until they expire — promote again (the release is not promoted twice) or purge in the Cloudflare dashboard`,
      };
    }
    case 'rolled-back':
      return {
        line: `${at} v${result.release.version}${describeOrigin(result.origin)} UNHEALTHY; rolled back to v${rollbackTo.version} as v${result.rollback.version} (verified: current runs slug ${rollbackTo.slugId ?? 'none'})${notPurged(environment)}`,
        failure: `${unhealthy(result)}; rolled back to v${rollbackTo.version} (new release v${result.rollback.version}, verified)${describeLogs(result.logs)}`,
      };
    case 'rollback-failed':
      return {
        line: `${at} v${result.release.version}${describeOrigin(result.origin)} UNHEALTHY; ROLLBACK FAILED: ${result.reason}${notPurged(environment)}`,
        failure: `${unhealthy(result)}; the rollback to v${rollbackTo.version} FAILED: ${result.reason}${describeLogs(result.logs)}`,
      };
    default:
      return assertNever(result, 'promotion result');
  }
}

/** Said of a target that failed its health check, when app.yaml declares a purge for it. */
function notPurged(environment: TargetResult['environment']): string {
  return environment.purge === undefined ? '' : "; Cloudflare's cache not purged";
}

/** Said of a release the promotion's answer did not name. */
function describeOrigin(origin: ReleaseOrigin): string {
  switch (origin) {
    case 'answered':
      return '';
    case 'lost-answer':
      return ' (promotion answer lost; found it on the app)';
    case 'earlier-run':
      return ' (promoted by an earlier run; not promoted again)';
    default:
      return assertNever(origin, 'release origin');
  }
}

function unhealthy(result: Extract<TargetResult, { kind: 'rolled-back' | 'rollback-failed' }>): string {
  return `${result.environment.app} v${result.release.version} failed its health check (${result.outcome.url}: ${result.outcome.last})`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
