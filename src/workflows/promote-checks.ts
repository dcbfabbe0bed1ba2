import type { ReleaseStatus, SlugSummary } from '../providers/provider.js';
import { assertNever } from '../runtime/errors.js';
import type { HealthNow } from './health.js';

/** What is known about the environment being promoted from. */
export interface SourceFacts {
  readonly environment: string;
  readonly app: string;
  /** The newest release, whatever its status. */
  readonly latest: ReleaseStatus | undefined;
  /** The release serving traffic (Heroku's `current`). */
  readonly current: ReleaseStatus | undefined;
  /** The slug of `current`, when it has one. */
  readonly slug: SlugSummary | undefined;
  readonly configKeys: readonly string[];
  /** What its health check answers now (one GET, no waiting). */
  readonly health: HealthNow;
}

/** Checks that `promote --force NAME` may override, by name. */
export const FORCEABLE_CHECKS = ['source-health'] as const;
export type ForceableCheck = (typeof FORCEABLE_CHECKS)[number];

/** What is known about one environment being promoted to. */
export interface TargetFacts {
  readonly environment: string;
  readonly app: string;
  /** Addresses of the infrastructure changes `apply` would make (deferrals excluded). */
  readonly pendingChanges: readonly string[];
  readonly configKeys: readonly string[];
  /** Process types of the live formation. */
  readonly formationTypes: readonly string[];
  /** Process types app.yaml declares for the environment. */
  readonly declaredTypes: readonly string[];
  /** The release serving traffic now. */
  readonly current: ReleaseStatus | undefined;
  /** The release of the source's slug an earlier run already made (see `targetHistory`). */
  readonly promoted: ReleaseStatus | undefined;
  /** What a failed promotion rolls back to: the newest succeeded release running other code. */
  readonly rollbackPoint: ReleaseStatus | undefined;
}

export interface Check {
  /** Environment the check is about. */
  readonly environment: string;
  readonly title: string;
  readonly ok: boolean;
  /** What was found; for a failure, also what to do. */
  readonly detail: string;
}

export interface CheckReport {
  readonly checks: readonly Check[];
  /** Worth knowing, not blocking (e.g. a declared process type the slug lacks). */
  readonly warnings: readonly string[];
  readonly passed: boolean;
}

const short = (id: string | null | undefined) => (id == null ? 'none' : id.slice(0, 8));

/**
 * The checks run before a promotion, all of them, so one run reports every problem:
 * - the source's newest release succeeded, is current and has code (otherwise the promotion would
 *   ship something other than the last deploy, or nothing);
 * - the source answers its health check now (`source-health`; a staging deploy that ended
 *   unhealthy would ship a release known not to work), unless `force` names it;
 * - per target: no pending infrastructure changes (app.yaml and live agree);
 * - per target: every config var the source has is set too, except `allowMissing` (a key only the
 *   source has usually means the code needs a setting production lacks);
 * - per target: every process type of the slug exists in the target's formation or app.yaml (a
 *   new type would start unmanaged);
 * - per target: a rollback point exists (a succeeded release running other code than the source).
 * Pure: the facts are read beforehand.
 */
export function promotionChecks(
  source: SourceFacts,
  targets: readonly TargetFacts[],
  allowMissing: readonly string[],
  force: readonly ForceableCheck[] = [],
): CheckReport {
  const checks: Check[] = [sourceCheck(source), sourceHealthCheck(source, force.includes('source-health'))];
  const warnings: string[] = [];
  const allowed = new Set(allowMissing);
  const slugTypes = Object.keys(source.slug?.processTypes ?? {}).filter((t) => t !== 'release').sort();
  for (const target of targets) {
    const env = target.environment;
    const pending = target.pendingChanges;
    checks.push({
      environment: env,
      title: 'infrastructure matches app.yaml',
      ok: pending.length === 0,
      detail:
        pending.length === 0
          ? `no pending changes on ${target.app}`
          : `${pending.length} pending change${pending.length === 1 ? '' : 's'} (${list(pending, 4)}): run \`daffeinated apply ${env}\` first, or pass --apply`,
    });
    const have = new Set(target.configKeys);
    const missing = source.configKeys.filter((k) => !have.has(k) && !allowed.has(k));
    checks.push({
      environment: env,
      title: `config vars of ${source.environment} are set`,
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `${source.configKeys.length} key${source.configKeys.length === 1 ? '' : 's'} of ${source.environment} present on ${target.app}${allowed.size > 0 ? ` (allowed to differ: ${[...allowed].sort().join(', ')})` : ''}`
          : `missing on ${target.app}: ${list(missing, 8)} — declare ${missing.length === 1 ? 'it' : 'them'} for ${env} in app.yaml (and apply), or list ${missing.length === 1 ? 'it' : 'them'} under promote.allow_missing_config`,
    });
    const known = new Set([...target.formationTypes, ...target.declaredTypes]);
    const unknown = slugTypes.filter((t) => !known.has(t));
    checks.push({
      environment: env,
      title: 'process types are known',
      ok: source.slug !== undefined && unknown.length === 0,
      detail:
        source.slug === undefined
          ? 'no slug to compare (see the source check)'
          : unknown.length === 0
            ? `${slugTypes.length === 0 ? 'no process types' : slugTypes.join(', ')} in ${target.app}'s formation or app.yaml`
            : `the slug runs ${unknown.join(', ')}, which ${target.app} neither has nor declares: add formation.${unknown[0]} for ${env} in app.yaml`,
    });
    for (const type of target.declaredTypes.filter((t) => source.slug !== undefined && !slugTypes.includes(t)).sort()) {
      warnings.push(`${env} declares process type '${type}', which the promoted slug does not have: it stays unscaled (deferred)`);
    }
    checks.push(rollbackCheck(target));
  }
  return { checks, warnings, passed: checks.every((c) => c.ok) };
}

function rollbackCheck(target: TargetFacts): Check {
  const base = { environment: target.environment, title: 'rollback point recorded' };
  const point = target.rollbackPoint;
  const promoted = target.promoted;
  const already =
    promoted === undefined
      ? ''
      : ` — v${promoted.version} already runs the promoted slug (an earlier run promoted it): it is health checked, not promoted again`;
  if (point === undefined) {
    return {
      ...base,
      ok: false,
      detail:
        promoted === undefined
          ? `${target.app} has no current release to return to: run \`daffeinated apply ${target.environment}\` first`
          : `none of the newest releases of ${target.app} before v${promoted.version} runs other code than the promoted slug${already}; roll back by hand (\`heroku releases -a ${target.app}\`)`,
    };
  }
  return {
    ...base,
    ok: true,
    detail: `v${point.version} (${point.slugId === null ? 'no code yet' : `slug ${short(point.slugId)}`}) of ${target.app}${already}`,
  };
}

function sourceCheck(source: SourceFacts): Check {
  const base = { environment: source.environment, title: `current release of ${source.environment} succeeded` };
  const latest = source.latest;
  if (latest === undefined || source.current === undefined || source.current.slugId === null) {
    return { ...base, ok: false, detail: `${source.app} has no deployed code: run \`daffeinated deploy ${source.environment}\` first` };
  }
  if (latest.id !== source.current.id) {
    return {
      ...base,
      ok: false,
      detail: `the newest release v${latest.version} of ${source.app} is ${latest.status} (v${source.current.version} is current): promoting would ship v${source.current.version}, not the last deploy — fix it and deploy ${source.environment} again`,
    };
  }
  const commit = source.slug?.commit;
  return {
    ...base,
    ok: true,
    detail: `v${latest.version} of ${source.app}: slug ${short(latest.slugId)}${commit == null ? '' : ` of commit ${commit.slice(0, 7)}`}`,
  };
}

function sourceHealthCheck(source: SourceFacts, forced: boolean): Check {
  const base = { environment: source.environment, title: `${source.environment} answers its health check now` };
  const health = source.health;
  switch (health.kind) {
    case 'not-configured':
      return { ...base, ok: true, detail: `no healthcheck declared for ${source.environment} in app.yaml: nothing to ask` };
    case 'skipped':
      return { ...base, ok: true, detail: `not asked: ${health.reason}` };
    case 'answered':
      if (health.ok) return { ...base, ok: true, detail: `${health.url} answered ${health.answer}` };
      return forced
        ? { ...base, ok: true, detail: `${health.url} answered ${health.answer} — promoting anyway (--force source-health)` }
        : {
            ...base,
            ok: false,
            detail: `${health.url} answered ${health.answer}: the release would ship to production as it fails in ${source.environment} — fix it and deploy ${source.environment} again, or pass --force source-health to promote it anyway`,
          };
    default:
      return assertNever(health, 'source health');
  }
}

function list(items: readonly string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
