import type { Deferral, LiveState } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import type { ReadScope } from '../provider.js';
import type { ApiAddon, ApiApp, ApiConfigVars, ApiFormation } from './api-types.js';
import type { HerokuClient } from './client.js';
import { fromApiApp, fromApiConfigVars, fromApiFormation } from './convert.js';

/** The desired resources of one environment, as needed to read it. */
interface EnvironmentPlan {
  readonly environment: string;
  readonly appName: string;
  readonly desired: readonly Resource[];
}

/**
 * Reads every planned environment concurrently; within one, all its reads are issued at once (one
 * round trip): the app, its config vars, formation and add-ons. A missing app is simply absent.
 */
export async function readHeroku(client: HerokuClient, scope: ReadScope): Promise<LiveState> {
  const environments = groupByEnvironment(scope);
  const parts = await Promise.all(environments.map((plan) => readEnvironment(client, plan)));
  return {
    resources: parts.flatMap((p) => p.resources),
    deferred: parts.flatMap((p) => p.deferred),
    diagnostics: parts.flatMap((p) => p.diagnostics),
  };
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

async function readEnvironment(client: HerokuClient, plan: EnvironmentPlan): Promise<LiveState> {
  const app = encodeURIComponent(plan.appName);
  const [live, vars, formation, addons] = await Promise.all([
    client.find<ApiApp>(`/apps/${app}`),
    client.find<ApiConfigVars>(`/apps/${app}/config-vars`),
    client.find<ApiFormation[]>(`/apps/${app}/formation`),
    client.find<ApiAddon[]>(`/apps/${app}/addons`),
  ]);
  const desiredFormation = plan.desired.filter((r) => r.kind === 'heroku.formation');
  if (live === undefined) {
    return {
      resources: [],
      deferred: desiredFormation.map((r) => deferFormation(r, `the app ${plan.appName} does not exist yet`)),
      diagnostics: [],
    };
  }
  const owned = new Map<string, string>();
  for (const addon of addons ?? []) for (const key of addon.config_vars) owned.set(key, addon.name);
  const desiredConfig = plan.desired.find((r) => r.kind === 'heroku.config');
  const formationResources = (formation ?? []).map((f) => fromApiFormation(plan.environment, f));
  const liveTypes = new Set((formation ?? []).map((f) => f.type));
  return {
    resources: [
      fromApiApp(plan.environment, live),
      fromApiConfigVars(plan.environment, vars ?? {}, new Set(owned.keys()), desiredConfig),
      ...formationResources,
    ],
    deferred: desiredFormation
      .filter((r) => !liveTypes.has(processTypeOf(r)))
      .map((r) => deferFormation(r, `no release of ${plan.appName} declares the process type yet`)),
    diagnostics: addonOwnedConflicts(desiredConfig, owned),
  };
}

function processTypeOf(formation: Resource): string {
  return formation.address.slice(formation.address.lastIndexOf('/') + 1, -1);
}

function deferFormation(formation: Resource, why: string): Deferral {
  return {
    address: formation.address,
    reason: `${why}; '${processTypeOf(formation)}' is scaled after the first deploy that declares it in its Procfile`,
  };
}

/** app.yaml declaring a var an add-on owns would be rejected by Heroku (422); say so up front. */
function addonOwnedConflicts(desired: Resource | undefined, owned: ReadonlyMap<string, string>): Diagnostic[] {
  if (desired === undefined) return [];
  return Object.keys(desired.attributes)
    .filter((key) => owned.has(key))
    .map((key) => ({
      severity: 'error' as const,
      message: `${key} is set by the add-on ${owned.get(key)} and is not managed from app.yaml`,
      ...(desired.attributeSources?.[key] ?? {}),
      hint: `remove ${key} from app.yaml; Heroku rejects writes to add-on config vars`,
    }));
}
