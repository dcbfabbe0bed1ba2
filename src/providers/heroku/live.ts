import type { Deferral, LiveState, Unmanaged } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { liveAddons } from './addons.js';
import type {
  ApiAddon,
  ApiApp,
  ApiBuildpackInstallation,
  ApiConfigVars,
  ApiCoupling,
  ApiDomain,
  ApiFeature,
  ApiFormation,
  ApiLogDrain,
} from './api-types.js';
import { fromApiApp, fromApiConfigVars, fromApiFormation } from './convert.js';
import { isLockDrain } from './lock.js';
import {
  domainNotes,
  withCertificate,
  drainAddress,
  fromApiBuildpacks,
  fromApiCoupling,
  fromApiDomain,
  fromApiDrain,
  fromApiFeature,
} from './convert-kinds.js';

/** Everything one request per kind returned for an app; all undefined when the app does not exist. */
export interface RawApp {
  readonly app: ApiApp | undefined;
  readonly vars: ApiConfigVars | undefined;
  readonly formation: readonly ApiFormation[] | undefined;
  readonly addons: readonly ApiAddon[] | undefined;
  readonly buildpacks: readonly ApiBuildpackInstallation[] | undefined;
  readonly features: readonly ApiFeature[] | undefined;
  readonly domains: readonly ApiDomain[] | undefined;
  readonly drains: readonly ApiLogDrain[] | undefined;
  readonly coupling: ApiCoupling | undefined;
}

/** One environment to read: its app name and desired resources. */
export interface EnvironmentPlan {
  readonly environment: string;
  readonly appName: string;
  readonly desired: readonly Resource[];
}

/**
 * The live state of one environment from its raw reads. Live resources carry what app.yaml can
 * declare. Things app.yaml leaves alone when it does not mention them — ACM, app features, the
 * buildpack list, the pipeline coupling — appear only where it does (so they are never reported
 * as prunable), unless `complete` (import), which keeps everything, including every enabled
 * feature.
 */
export function liveEnvironment(
  plan: EnvironmentPlan,
  raw: RawApp,
  pipelineNames: ReadonlyMap<string, string>,
  complete: boolean,
): LiveState & { notes: Unmanaged[] } {
  const env = plan.environment;
  const desiredFormation = plan.desired.filter((r) => r.kind === 'heroku.formation');
  if (raw.app === undefined) {
    return {
      resources: [],
      deferred: desiredFormation.map((r) => deferFormation(r, `the app ${plan.appName} does not exist yet`)),
      diagnostics: [],
      notes: [],
    };
  }
  const vars = raw.vars ?? {};
  const owned = new Map<string, string>();
  for (const addon of raw.addons ?? []) for (const key of addon.config_vars) owned.set(key, addon.name);
  const desiredOf = (kind: Resource['kind']) => plan.desired.filter((r) => r.kind === kind);
  const desiredConfig = desiredOf('heroku.config')[0];
  const addons = liveAddons(env, raw.addons ?? [], desiredOf('heroku.addon'), new Set(Object.keys(vars)));
  const liveTypes = new Set((raw.formation ?? []).map((f) => f.type));
  const declaredFeatures = new Set(desiredOf('heroku.feature').map((r) => featureName(r)));
  const desiredBuildpacks = desiredOf('heroku.buildpacks')[0];
  const domains = (raw.domains ?? []).filter((d) => d.kind !== 'heroku');
  const resources: Resource[] = [
    project(fromApiApp(env, raw.app), desiredOf('heroku.app')[0], ['acm'], complete),
    fromApiConfigVars(env, vars, new Set(owned.keys()), desiredConfig),
    ...(raw.formation ?? []).map((f) => fromApiFormation(env, f)),
    ...addons.resources,
    ...(raw.buildpacks !== undefined && (desiredBuildpacks !== undefined || (complete && raw.buildpacks.length > 0))
      ? [fromApiBuildpacks(env, raw.buildpacks, desiredBuildpacks)]
      : []),
    ...(raw.features ?? [])
      .filter((f) => declaredFeatures.has(f.name) || (complete && f.enabled))
      .map((f) => fromApiFeature(env, f)),
    ...domains.map((d) => withCertificate(fromApiDomain(env, d), d, desiredOf('heroku.domain'))),
    ...(raw.drains ?? [])
      .filter((d) => d.addon === null && !isLockDrain(d.url))
      .map((d) => fromApiDrain(env, d, drainAddress(env, d, desiredOf('heroku.drain')))),
    ...(raw.coupling !== undefined && (complete || desiredOf('heroku.coupling').length > 0)
      ? [fromApiCoupling(env, raw.coupling, pipelineNames)]
      : []),
  ];
  return {
    resources,
    deferred: desiredFormation
      .filter((r) => !liveTypes.has(processTypeOf(r)))
      .map((r) => deferFormation(r, `no release of ${plan.appName} declares the process type yet`)),
    diagnostics: [...addonOwnedConflicts(desiredConfig, owned), ...addons.diagnostics],
    notes: [...addons.notes, ...domains.flatMap((d) => domainNotes(fromApiDomain(env, d).address, d))],
  };
}

/** Drops `optional` attributes the desired resource does not declare (unless `complete`). */
function project(
  live: Resource,
  desired: Resource | undefined,
  optional: readonly string[],
  complete: boolean,
): Resource {
  if (complete || desired === undefined) return live;
  const attributes = { ...live.attributes };
  for (const name of optional) if (desired.attributes[name] === undefined) delete attributes[name];
  return { ...live, attributes };
}

function featureName(feature: Resource): string {
  return feature.address.slice(feature.address.indexOf('/') + 1, -1);
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

/**
 * app.yaml declaring a var an add-on owns would overwrite it (Heroku rejects that with 422): an
 * error before any write, naming the add-on.
 */
function addonOwnedConflicts(desired: Resource | undefined, owned: ReadonlyMap<string, string>): Diagnostic[] {
  if (desired === undefined) return [];
  return Object.keys(desired.attributes)
    .filter((key) => owned.has(key))
    .map((key) => ({
      severity: 'error' as const,
      message: `${key} is set by the add-on ${owned.get(key)} and is not managed from app.yaml: writing it would overwrite the add-on's value`,
      ...(desired.attributeSources?.[key] ?? {}),
      hint: `remove ${key} from app.yaml; Heroku rejects writes to add-on config vars`,
    }));
}
