import type { Config, EnvironmentConfig } from '../../model/config.js';
import { type Address, makeAddress, type Resource } from '../../model/resource.js';
import { isSecretName } from '../../model/sensitive.js';
import { Unknown, type Value } from '../../model/value.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import { desiredBackups } from './desired-backups.js';
import { environmentExtras, located, pipelineResources } from './desired-extras.js';

/** The desired resources of some environments, plus what could not be turned into resources. */
export interface DesiredBuild {
  readonly resources: Resource[];
  /** `kind@scope` keys whose undeclared live resources are deleted (see engine `prunesKey`). */
  readonly prune: string[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Turns the validated config into the desired Heroku resources of `environments` (pure): per
 * environment the app (with ACM), config vars, add-ons, buildpacks, features, domains, drains and
 * formation, plus the pipeline and each environment's coupling (desired-extras.ts).
 * `env` supplies `from_env` values; a variable set to "" counts as unset (GitHub Actions passes ""
 * for a missing secret). An unset required variable is an error diagnostic (the caller must stop
 * before any API write); an unset optional one leaves that var not managed in this run (the plan
 * lists it as expected). `env` undefined is the offline check (`validate`): no variable is read,
 * each `from_env` value plans as unknown and nothing is reported about it.
 *
 * Dependencies give the apply order app → (features, buildpacks, config, add-ons, domains,
 * drains) → formation → coupling: dynos are scaled once everything they read is in place, and an
 * app joins the pipeline last. A backup schedule comes after its add-on (desired-backups.ts).
 */
export function desiredHeroku(
  config: Config,
  environments: readonly string[],
  env: Readonly<Record<string, string | undefined>> | undefined,
): DesiredBuild {
  const build: DesiredBuild = { resources: [], prune: [], diagnostics: [] };
  const before = new Map<string, Address[]>();
  for (const name of environments) {
    const environment = config.environments[name];
    if (environment === undefined) continue;
    addApp(build, environment);
    const extras = environmentExtras(environment, proxiedHostnames(config));
    const middle = [addConfigVars(build, environment, env, config.file), ...extras.resources.map((r) => r.address)];
    // A backup schedule follows its add-on only: dynos do not wait for it.
    const backups = desiredBackups(environment);
    build.resources.push(...extras.resources, ...backups.resources);
    build.prune.push(...extras.prune);
    build.diagnostics.push(...backups.diagnostics);
    const formation = addFormation(build, environment, middle);
    before.set(name, [...middle, ...formation]);
  }
  for (const resource of pipelineResources(config, environments)) {
    const waitFor = resource.kind === 'heroku.coupling' ? (before.get(resource.scope) ?? []) : [];
    build.resources.push(
      waitFor.length === 0 ? resource : { ...resource, dependsOn: [...(resource.dependsOn ?? []), ...waitFor] },
    );
  }
  return build;
}

function addApp(build: DesiredBuild, environment: EnvironmentConfig): void {
  const attributes: Record<string, Value> = {
    name: environment.app,
    region: environment.region,
    stack: environment.stack,
    maintenance: environment.maintenance,
  };
  if (environment.team !== undefined) attributes['team'] = environment.team;
  // ACM is managed only where app.yaml says `acm:` (in defaults or the environment).
  if (environment.sources['acm'] !== undefined) attributes['acm'] = environment.acm;
  build.resources.push({
    address: makeAddress('heroku.app', environment.name),
    provider: 'heroku',
    kind: 'heroku.app',
    scope: environment.name,
    attributes,
    sensitive: [],
    // Heroku cannot move an app to another region or team in place.
    replaceOn: ['region', 'team'],
    protect: true,
    ...located(environment, 'app', {
      name: 'app',
      region: 'region',
      stack: 'stack',
      maintenance: 'maintenance',
      team: 'team',
      acm: 'acm',
    }),
  });
}

/** Adds `heroku.config[env]` and returns its address. */
function addConfigVars(
  build: DesiredBuild,
  environment: EnvironmentConfig,
  env: Readonly<Record<string, string | undefined>> | undefined,
  file: string,
): Address {
  const attributes: Record<string, Value> = {};
  const notManaged: Record<string, string> = {};
  const sensitive: string[] = [];
  const paths: Record<string, string> = {};
  for (const [key, spec] of Object.entries(environment.config)) {
    paths[key] = `config.${key}`;
    switch (spec.kind) {
      case 'literal':
        attributes[key] = spec.value;
        if (spec.sensitive || isSecretName(key)) sensitive.push(key);
        break;
      case 'generate':
        attributes[key] = new Unknown('generated on first apply', {
          preserveLive: true,
          generate: { kind: 'secret', bytes: spec.bytes },
        });
        sensitive.push(key);
        break;
      case 'from_env': {
        sensitive.push(key);
        if (env === undefined) {
          attributes[key] = new Unknown(`read from ${spec.variable} at plan time`);
          break;
        }
        const value = env[spec.variable];
        if (value !== undefined && value !== '') {
          attributes[key] = value;
          break;
        }
        if (spec.optional) {
          notManaged[key] = `not managed in this run: its from_env variable ${spec.variable} is unset or empty`;
          break;
        }
        const where = environment.sources[`config.${key}`];
        build.diagnostics.push({
          severity: 'error',
          message: `${key} needs the environment variable ${spec.variable}, which is ${value === '' ? 'empty' : 'not set'}`,
          path: `environments.${environment.name}.config.${key}`,
          ...(where ?? { file }),
          hint: `export ${spec.variable}=… before running daffeinated, or declare it {from_env: ${spec.variable}, optional: true} to leave it alone when unset`,
        });
        break;
      }
      default: {
        const never: never = spec;
        throw new Error(`unknown config var spec ${JSON.stringify(never)}`);
      }
    }
  }
  build.resources.push({
    address: makeAddress('heroku.config', environment.name),
    provider: 'heroku',
    kind: 'heroku.config',
    scope: environment.name,
    attributes,
    sensitive: sensitive.sort(),
    exclusive: environment.prune.config,
    ...(Object.keys(notManaged).length === 0 ? {} : { notManaged }),
    dependsOn: [makeAddress('heroku.app', environment.name)],
    ...located(environment, 'config', paths),
  });
  return makeAddress('heroku.config', environment.name);
}

/** Adds the formation, after the app and `after`; returns the addresses added. */
function addFormation(build: DesiredBuild, environment: EnvironmentConfig, after: readonly Address[]): Address[] {
  const added: Address[] = [];
  for (const [type, formation] of Object.entries(environment.formation)) {
    const address = makeAddress('heroku.formation', environment.name, type);
    added.push(address);
    build.resources.push({
      address,
      provider: 'heroku',
      kind: 'heroku.formation',
      scope: environment.name,
      attributes: { quantity: formation.quantity, size: formation.size },
      sensitive: [],
      dependsOn: [makeAddress('heroku.app', environment.name), ...after],
      ...located(environment, `formation.${type}`, {
        quantity: `formation.${type}.quantity`,
        size: `formation.${type}.size`,
      }),
    });
  }
  if (environment.prune.formation) build.prune.push(`heroku.formation@${environment.name}`);
  return added;
}

/**
 * The hostnames whose CNAME Cloudflare serves proxied: environment domains inside a declared zone
 * (the most specific one) that proxies its environment CNAMEs (the Cloudflare provider's
 * desired.ts writes those records). With ACM on, such a domain waits for its certificate before
 * the proxy is turned on (model/certificate.ts).
 */
function proxiedHostnames(config: Config): ReadonlySet<string> {
  const zones = Object.values(config.cloudflare.zones).sort((a, b) => b.name.length - a.name.length);
  const hostnames = new Set<string>();
  for (const environment of Object.values(config.environments)) {
    for (const domain of environment.domains.map((d) => d.toLowerCase())) {
      const zone = zones.find((z) => domain === z.name || domain.endsWith(`.${z.name}`));
      if (zone?.proxied === true) hostnames.add(domain);
    }
  }
  return hostnames;
}
