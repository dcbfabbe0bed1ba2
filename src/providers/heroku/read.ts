import type { LiveState, Unmanaged } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import type { ReadScope } from '../provider.js';
import type { ApiAddon, ApiLogDrain, ApiPipeline } from './api-types.js';
import type { HerokuClient } from './client.js';
import { fromApiPipeline } from './convert-kinds.js';
import { type EnvironmentPlan, liveEnvironment, type RawApp } from './live.js';
import { type OptionalReads, readApps } from './read-apps.js';
import * as shapes from './shapes.js';

export type { OptionalReads } from './read-apps.js';

export interface ReadOptions {
  /** Keep every attribute and every enabled feature (for import), not only what app.yaml declares. */
  readonly complete?: boolean;
  /** Told every live add-on read, with its `billed_price` (cost.ts prices what it is billed). */
  readonly onAddons?: (addons: readonly ApiAddon[]) => void;
  /** Told each environment's log drains as read (undefined: no app), before they are turned into resources. */
  readonly drainsRead?: (environment: string, drains: readonly ApiLogDrain[] | undefined) => void;
}

/**
 * Reads every planned environment and the pipeline in one round: the apps as read-apps.ts says
 * (per app, or with the account's listings of apps, add-ons and couplings from two apps on), each
 * app's own kinds it needs (see `readsFor`), and `GET /pipelines/{name}` for the pipeline app.yaml
 * names, all issued at once. A missing app is simply absent, as are its parts. Couplings are
 * resolved to pipeline names with the pipeline read in the same round.
 */
export async function readHeroku(
  client: HerokuClient,
  scope: ReadScope,
  options: ReadOptions = {},
): Promise<LiveState> {
  const environments = groupByEnvironment(scope);
  const desiredPipelines = scope.desired.filter((r) => r.kind === 'heroku.pipeline' && scope.scopes.includes(r.scope));
  const [raws, pipelines] = await Promise.all([
    readApps(
      client,
      environments.map((plan) => ({ appName: plan.appName, reads: readsFor(plan.desired, options.complete ?? false) })),
    ),
    Promise.all(desiredPipelines.map((p) => findPipeline(client, String(p.attributes['name'])))),
  ]);
  options.onAddons?.(raws.flatMap((raw) => raw.addons ?? []));
  for (const [i, plan] of environments.entries()) options.drainsRead?.(plan.environment, raws[i]?.drains);
  const pipelineNames = new Map<string, string>();
  const resources: Resource[] = [];
  for (const [index, pipeline] of pipelines.entries()) {
    if (pipeline === undefined) continue;
    pipelineNames.set(pipeline.id, pipeline.name);
    resources.push(fromApiPipeline((desiredPipelines[index] as Resource).scope, pipeline));
  }
  const parts = environments.map((plan, i) =>
    liveEnvironment(plan, raws[i] as RawApp, pipelineNames, options.complete ?? false),
  );
  const notes: Unmanaged[] = parts.flatMap((p) => p.notes);
  return {
    resources: [...resources, ...parts.flatMap((p) => p.resources)],
    deferred: parts.flatMap((p) => p.deferred),
    diagnostics: parts.flatMap((p) => p.diagnostics),
    notes,
  };
}

const ALL_READS: OptionalReads = { buildpacks: true, features: true, coupling: true };

/** The optional reads an environment's desired resources need. */
export function readsFor(desired: readonly Resource[], complete: boolean): OptionalReads {
  if (complete) return ALL_READS;
  const declares = (kind: Resource['kind']) => desired.some((r) => r.kind === kind);
  return {
    buildpacks: declares('heroku.buildpacks'),
    features: declares('heroku.feature'),
    coupling: declares('heroku.coupling'),
  };
}

/** A pipeline by name (`GET /pipelines/{name}`); undefined when there is none. */
export function findPipeline(client: HerokuClient, name: string): Promise<ApiPipeline | undefined> {
  return client.find<ApiPipeline>(`/pipelines/${encodeURIComponent(name)}`, shapes.PIPELINE);
}

function groupByEnvironment(scope: ReadScope): EnvironmentPlan[] {
  const plans: EnvironmentPlan[] = [];
  for (const environment of scope.scopes) {
    const desired = scope.desired.filter((r) => r.provider === 'heroku' && r.scope === environment);
    const app = desired.find((r) => r.kind === 'heroku.app');
    const appName = app?.attributes['name'];
    if (typeof appName === 'string') plans.push({ environment, appName, desired });
  }
  return plans;
}
