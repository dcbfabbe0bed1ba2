import { CERTIFICATE_ISSUED } from '../../model/certificate.js';
import type { AddonConfig, Config, EnvironmentConfig, Stage } from '../../model/config.js';
import { type Address, makeAddress, type Resource, type SourceLocation } from '../../model/resource.js';
import { Unknown, type Value } from '../../model/value.js';
import { DATA_SERVICES } from './kinds.js';

/**
 * Desired Heroku resources beyond the app, config vars and formation (desired.ts): add-ons,
 * buildpacks, features, domains, log drains, the pipeline and each app's coupling. Pure.
 *
 * Apply order within an environment comes from `dependsOn` (see engine `executionLevels`):
 * app → (features, buildpacks, config vars, add-ons, domains, drains) → formation → coupling.
 * ACM is an attribute of the app (desired.ts).
 */

/** Add-ons, buildpacks, features, domains and drains of one environment, with their prune keys. */
export interface EnvironmentExtras {
  readonly resources: Resource[];
  /** `kind@scope` keys whose undeclared live resources are deleted. */
  readonly prune: string[];
}

/** The app.yaml-derived attachment-less identity of a drain: its URL's host (`host:port`). */
export function drainHost(url: string): string {
  try {
    const host = new URL(url).host;
    return host === '' ? 'drain' : host;
  } catch {
    return 'drain';
  }
}

/**
 * Addresses of an environment's drains, in declaration order: `heroku.drain[env/<host>]`, with
 * `#2`, `#3`… for further drains to the same host. The URL itself never appears in an address: it
 * may carry credentials (user info, tokens in the path or query).
 */
export function drainAddresses(environment: string, urls: readonly string[]): Address[] {
  const seen = new Map<string, number>();
  return urls.map((url) => {
    const host = drainHost(url);
    const n = (seen.get(host) ?? 0) + 1;
    seen.set(host, n);
    return makeAddress('heroku.drain', environment, n === 1 ? host : `${host}#${n}`);
  });
}

/**
 * Add-ons, buildpacks, features, domains and drains of one environment (the middle of its apply).
 * A domain in `proxied` (its CNAME proxied by Cloudflare) of an environment with ACM on wants its
 * certificate `issued` (model/certificate.ts): apply waits for it before turning the proxy on.
 */
export function environmentExtras(environment: EnvironmentConfig, proxied: ReadonlySet<string> = new Set()): EnvironmentExtras {
  const app = makeAddress('heroku.app', environment.name);
  const base = { provider: 'heroku' as const, scope: environment.name, sensitive: [], dependsOn: [app] };
  const resources: Resource[] = [];
  for (const [local, addon] of Object.entries(environment.addons)) {
    resources.push({
      ...base,
      address: makeAddress('heroku.addon', environment.name, local),
      kind: 'heroku.addon',
      attributes: addonAttributes(addon),
      sensitive: addon.optionsSensitive ? ['options'] : [],
      // The service cannot change in place, nor the attachment name an add-on was created with;
      // a plan change is an in-place update (PATCH), never a replace.
      replaceOn: ['service', 'as'],
      protect: addon.protect ?? DATA_SERVICES.includes(addon.service),
      ...located(environment, `addons.${local}`, {
        plan: `addons.${local}.plan`,
        service: `addons.${local}.plan`,
        as: `addons.${local}.as`,
        name: `addons.${local}.name`,
        options: `addons.${local}.options`,
      }),
    });
  }
  if (environment.buildpacksDeclared) {
    resources.push({
      ...base,
      address: makeAddress('heroku.buildpacks', environment.name),
      kind: 'heroku.buildpacks',
      attributes: { buildpacks: [...environment.buildpacks] },
      sensitive: environment.buildpacksSensitive ? ['buildpacks'] : [],
      ...located(environment, 'buildpacks', { buildpacks: 'buildpacks' }),
    });
  }
  for (const [index, feature] of environment.features.entries()) {
    resources.push({
      ...base,
      address: makeAddress('heroku.feature', environment.name, feature),
      kind: 'heroku.feature',
      attributes: { enabled: true },
      ...located(environment, `features[${index}]`, { enabled: `features[${index}]` }),
    });
  }
  for (const [index, hostname] of environment.domains.entries()) {
    resources.push({
      ...base,
      address: makeAddress('heroku.domain', environment.name, hostname),
      kind: 'heroku.domain',
      // `cname` is computed by Heroku: declared as "known after apply" so that the live DNS target
      // is an output that Cloudflare CNAMEs resolve against, and never a diff.
      attributes: {
        hostname,
        cname: new Unknown('known after apply', { preserveLive: true }),
        ...(environment.acm && proxied.has(hostname.toLowerCase()) ? { certificate: CERTIFICATE_ISSUED } : {}),
      },
      ...located(environment, `domains[${index}]`, { hostname: `domains[${index}]`, certificate: `domains[${index}]` }),
    });
  }
  const drains = drainAddresses(environment.name, environment.logDrains);
  for (const [index, url] of environment.logDrains.entries()) {
    resources.push({
      ...base,
      address: drains[index] as Address,
      kind: 'heroku.drain',
      attributes: { url },
      sensitive: ['url'],
      ...located(environment, `log_drains[${index}]`, { url: `log_drains[${index}]` }),
    });
  }
  const prune: string[] = [];
  if (environment.prune.addons) prune.push(`heroku.addon@${environment.name}`);
  if (environment.prune.domains) prune.push(`heroku.domain@${environment.name}`);
  if (environment.prune.logDrains) prune.push(`heroku.drain@${environment.name}`);
  return { resources, prune };
}

function addonAttributes(addon: AddonConfig): Record<string, Value> {
  const attributes: Record<string, Value> = { service: addon.service, plan: addon.plan };
  if (addon.as !== undefined) attributes['as'] = addon.as;
  if (addon.name !== undefined) attributes['name'] = addon.name;
  if (Object.keys(addon.options).length > 0) attributes['options'] = { ...addon.options };
  return attributes;
}

const STAGE_RANK: { readonly [S in Stage]: number } = { development: 0, staging: 1, production: 2 };

/**
 * The environment whose scope carries the pipeline resource: the first of the planned ones by
 * stage (development, staging, production, then environments without a stage), then by
 * declaration order. So `plan staging` can create the pipeline on its own, `plan production` too,
 * and `plan --all` puts it with staging; it never depends on an environment outside the plan.
 */
export function pipelineScope(config: Config, environments: readonly string[]): string | undefined {
  const declared = Object.keys(config.environments);
  const rank = (name: string) => {
    const stage = config.environments[name]?.stage;
    return stage === undefined ? 3 : STAGE_RANK[stage];
  };
  return environments
    .filter((name) => Object.hasOwn(config.environments, name))
    .sort((a, b) => rank(a) - rank(b) || declared.indexOf(a) - declared.indexOf(b))[0];
}

/**
 * `heroku.pipeline[<name>]` (in the scope `pipelineScope` picks) and `heroku.coupling[<env>]` for
 * each planned environment with a stage. A coupling never touches another environment's app, so
 * planning one environment cannot move another's coupling.
 */
export function pipelineResources(config: Config, environments: readonly string[]): Resource[] {
  const pipeline = config.pipeline;
  const scope = pipelineScope(config, environments);
  if (pipeline === undefined || scope === undefined) return [];
  const pipelineAddress = makeAddress('heroku.pipeline', pipeline.name);
  const resources: Resource[] = [
    {
      address: pipelineAddress,
      provider: 'heroku',
      kind: 'heroku.pipeline',
      scope,
      attributes: { name: pipeline.name, id: new Unknown('known after apply', { preserveLive: true }) },
      sensitive: [],
      ...(pipeline.source === undefined
        ? {}
        : { source: pipeline.source, attributeSources: { name: pipeline.source } }),
    },
  ];
  for (const name of environments) {
    const environment = config.environments[name];
    if (environment?.stage === undefined) continue;
    resources.push({
      address: makeAddress('heroku.coupling', name),
      provider: 'heroku',
      kind: 'heroku.coupling',
      scope: name,
      attributes: {
        pipeline: pipeline.name,
        pipeline_id: new Unknown('known after apply', { ref: { address: pipelineAddress, attribute: 'id' } }),
        stage: environment.stage,
      },
      sensitive: [],
      // A coupling cannot move to another pipeline in place; its stage can change (PATCH).
      replaceOn: ['pipeline', 'pipeline_id'],
      dependsOn: [makeAddress('heroku.app', name), pipelineAddress],
      ...located(environment, 'stage', { stage: 'stage' }),
    });
  }
  return resources;
}

/** The resource's and its attributes' source locations, from the environment's source map. */
export function located(
  environment: EnvironmentConfig,
  resourcePath: string,
  attributePaths: Readonly<Record<string, string>>,
): { source?: SourceLocation; attributeSources?: Record<string, SourceLocation> } {
  const attributeSources: Record<string, SourceLocation> = {};
  for (const [attribute, path] of Object.entries(attributePaths)) {
    const location = environment.sources[path];
    if (location !== undefined) attributeSources[attribute] = location;
  }
  const source = environment.sources[resourcePath];
  return { ...(source === undefined ? {} : { source }), attributeSources };
}
