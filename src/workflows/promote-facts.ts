import type { Plan } from '../engine/types.js';
import type { Config, EnvironmentConfig } from '../model/config.js';
import type { ReleaseStatus } from '../providers/provider.js';
import { NotFoundError, UsageError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { type HealthNow, healthNow } from './health.js';
import type { SourceFacts, TargetFacts } from './promote-checks.js';

/** Who promotes to whom, through which pipeline. */
export interface Route {
  readonly pipeline: string;
  readonly source: EnvironmentConfig;
  readonly targets: readonly EnvironmentConfig[];
}

/**
 * The environments of a promotion, offline: `--from` or the pipeline's only `staging`-stage
 * environment; `--to` or every `production`-stage environment. Usage errors say what to pass.
 */
export function promotionRoute(config: Config, from: string | undefined, to: readonly string[]): Route {
  if (config.pipeline === undefined) {
    throw new UsageError(`${config.file} declares no pipeline: promote works through a Heroku pipeline`, {
      hint: 'Add `pipeline: <name>` to app.yaml and `stage:` to the environments, then `daffeinated apply --all`.',
    });
  }
  const all = Object.values(config.environments);
  const named = (name: string): EnvironmentConfig => {
    const found = config.environments[name];
    if (found === undefined) {
      throw new UsageError(`There is no environment "${name}" in ${config.file}`, { hint: `declared environments: ${all.map((e) => e.name).join(', ')}` });
    }
    return found;
  };
  const byStage = (stage: string) => all.filter((e) => e.stage === stage);
  let source: EnvironmentConfig;
  if (from !== undefined) source = named(from);
  else {
    const staging = byStage('staging');
    if (staging.length !== 1 || staging[0] === undefined) {
      throw new UsageError(`Cannot tell which environment to promote from: ${staging.length === 0 ? 'none has' : `${staging.map((e) => e.name).join(', ')} have`} \`stage: staging\``, {
        hint: 'Pass --from ENV.',
      });
    }
    source = staging[0];
  }
  const targets = to.length > 0 ? [...new Set(to)].map(named) : byStage('production');
  if (targets.length === 0) {
    throw new UsageError('Cannot tell which environments to promote to: none has `stage: production`', { hint: 'Pass --to ENV.' });
  }
  if (targets.some((t) => t.name === source.name)) {
    throw new UsageError(`Cannot promote ${source.name} to itself`, { hint: 'Choose different --from and --to environments.' });
  }
  return { pipeline: config.pipeline.name, source, targets };
}

/** How many of a target's newest releases are read to find its rollback point. */
const TARGET_HISTORY = 25;

/**
 * What a target's newest releases (newest first) say about promoting `sourceSlug` there:
 * - `promoted`: the release of `sourceSlug` an earlier run already made — the current release runs
 *   it, or a newer release of it is still releasing (a run killed after its POST);
 * - `rollbackPoint`: the newest succeeded release, the current one or older, that runs other code.
 *   Never a release of the slug being promoted: rolling back to it would keep the promoted code.
 */
export function targetHistory(
  releases: readonly ReleaseStatus[],
  sourceSlug: string | null | undefined,
): { current: ReleaseStatus | undefined; promoted: ReleaseStatus | undefined; rollbackPoint: ReleaseStatus | undefined } {
  const current = releases.find((r) => r.current);
  const ofSource = (r: ReleaseStatus) => sourceSlug != null && r.slugId === sourceSlug;
  const newer = (r: ReleaseStatus) => current === undefined || r.version > current.version;
  const promoted =
    current !== undefined && ofSource(current)
      ? current
      : releases.find((r) => r.status === 'pending' && ofSource(r) && newer(r));
  const rollbackPoint = releases.find((r) => r.status === 'succeeded' && !ofSource(r) && !newer(r));
  return { current, promoted, rollbackPoint };
}

/**
 * Reads what the checks need, concurrently: the source's newest releases, current slug, config
 * keys and what its health check answers now (not asked when nothing is deployed there); each
 * target's config keys, formation and newest releases (an app that does not exist yet has none
 * of them), and from those its current release, rollback point and what an earlier run already
 * promoted (see `targetHistory`). `plan` is the targets' plan, read just before.
 */
export async function promotionFacts(connection: Connection, route: Route, plan: Plan): Promise<{ source: SourceFacts; targets: TargetFacts[] }> {
  const { delivery } = connection;
  const sourceApp = route.source.app;
  const [sourceReleases, sourceConfig] = await Promise.allSettled([delivery.releases(sourceApp, 10), delivery.configKeys(sourceApp)]);
  const settled = <T>(result: PromiseSettledResult<T>, none: T): T => {
    if (result.status === 'fulfilled') return result.value;
    // No source app at all: the source check reports that nothing was deployed.
    if (result.reason instanceof NotFoundError) return none;
    throw result.reason;
  };
  const releases = settled(sourceReleases, []);
  const sourceKeys = settled(sourceConfig, []);
  const current = releases.find((r) => r.current);
  const slug = current?.slugId == null ? undefined : await delivery.slug(sourceApp, current.slugId);
  const health: Promise<HealthNow> =
    current?.slugId == null
      ? Promise.resolve({ kind: 'skipped', reason: `nothing is deployed to ${sourceApp}` })
      : healthNow(connection, route.source);
  const targetFacts = Promise.all(
    route.targets.map(async (env): Promise<TargetFacts> => {
      const base = {
        environment: env.name,
        app: env.app,
        pendingChanges: plan.changes.filter((c) => c.scope === env.name).map((c) => c.address),
        declaredTypes: Object.keys(env.formation).sort(),
      };
      // Settled together: a missing app fails all three, and none may be left in flight.
      const [keys, formation, list] = await Promise.allSettled([
        delivery.configKeys(env.app),
        delivery.formation(env.app),
        delivery.releases(env.app, TARGET_HISTORY),
      ]);
      if (keys.status === 'fulfilled' && formation.status === 'fulfilled' && list.status === 'fulfilled') {
        return {
          ...base,
          configKeys: keys.value,
          formationTypes: formation.value.map((f) => f.type),
          ...targetHistory(list.value, current?.slugId),
        };
      }
      const failure = [keys, formation, list].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (!(failure?.reason instanceof NotFoundError)) throw failure?.reason;
      return { ...base, configKeys: [], formationTypes: [], current: undefined, promoted: undefined, rollbackPoint: undefined };
    }),
  );
  // Settled together: neither may fail unobserved, nor be left in flight when the other fails.
  const [targetsRead, healthRead] = await Promise.allSettled([targetFacts, health]);
  if (targetsRead.status === 'rejected') throw targetsRead.reason;
  if (healthRead.status === 'rejected') throw healthRead.reason;
  const [targets, sourceHealth] = [targetsRead.value, healthRead.value];
  return {
    source: { environment: route.source.name, app: sourceApp, latest: releases[0], current, slug, configKeys: sourceKeys, health: sourceHealth },
    targets,
  };
}
