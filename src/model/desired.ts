import type { Diagnostic } from '../runtime/diagnostics.js';
import type { Config, EnvironmentConfig } from './config.js';
import { makeAddress, type Resource, type SourceLocation } from './resource.js';
import { isSecretName } from './sensitive.js';
import { Unknown, type Value } from './value.js';

/** The desired resources of some environments, plus what could not be turned into resources. */
export interface DesiredBuild {
  readonly resources: Resource[];
  /** `kind@scope` keys whose undeclared live resources are deleted (see engine `prunesKey`). */
  readonly prune: string[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Turns the validated config into the desired Heroku resources of `environments` (pure).
 * `env` supplies `from_env` values: an unset required variable is an error diagnostic (the caller
 * must stop before any API write); an unset optional one leaves that var unmanaged with a warning.
 */
export function desiredState(
  config: Config,
  environments: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DesiredBuild {
  const build: DesiredBuild = { resources: [], prune: [], diagnostics: [] };
  for (const name of environments) {
    const environment = config.environments[name];
    if (environment === undefined) continue;
    addApp(build, environment);
    addConfigVars(build, environment, env, config.file);
    addFormation(build, environment);
    noteNotYetManaged(build, environment);
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
    ...located(environment, 'app', { name: 'app', region: 'region', stack: 'stack', maintenance: 'maintenance', team: 'team' }),
  });
}

function addConfigVars(
  build: DesiredBuild,
  environment: EnvironmentConfig,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
): void {
  const attributes: Record<string, Value> = {};
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
        const value = env[spec.variable];
        sensitive.push(key);
        if (value !== undefined) {
          attributes[key] = value;
          break;
        }
        const where = environment.sources[`config.${key}`];
        build.diagnostics.push({
          severity: spec.optional ? 'warning' : 'error',
          message: spec.optional
            ? `${key} is not managed in this run: the environment variable ${spec.variable} is not set`
            : `${key} needs the environment variable ${spec.variable}, which is not set`,
          path: `environments.${environment.name}.config.${key}`,
          ...(where ?? { file }),
          hint: `export ${spec.variable}=… before running daffeinated${spec.optional ? ' to manage it' : ''}`,
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
    dependsOn: [makeAddress('heroku.app', environment.name)],
    ...located(environment, 'config', paths),
  });
}

function addFormation(build: DesiredBuild, environment: EnvironmentConfig): void {
  for (const [type, formation] of Object.entries(environment.formation)) {
    build.resources.push({
      address: makeAddress('heroku.formation', environment.name, type),
      provider: 'heroku',
      kind: 'heroku.formation',
      scope: environment.name,
      attributes: { quantity: formation.quantity, size: formation.size },
      sensitive: [],
      dependsOn: [makeAddress('heroku.app', environment.name)],
      ...located(environment, `formation.${type}`, {
        quantity: `formation.${type}.quantity`,
        size: `formation.${type}.size`,
      }),
    });
  }
  if (environment.prune.formation) build.prune.push(`heroku.formation@${environment.name}`);
}

/** Parts of the language whose providers are not wired yet are said so, never silently ignored. */
function noteNotYetManaged(build: DesiredBuild, environment: EnvironmentConfig): void {
  const declared: [string, boolean][] = [
    ['addons', Object.keys(environment.addons).length > 0],
    ['domains', environment.domains.length > 0],
    ['buildpacks', environment.buildpacksDeclared],
    ['features', environment.features.length > 0],
    ['log_drains', environment.logDrains.length > 0],
    ['acm', environment.acm],
  ];
  const pending = declared.filter(([, present]) => present).map(([key]) => key);
  if (pending.length === 0) return;
  build.diagnostics.push({
    severity: 'warning',
    message: `environment ${environment.name}: ${pending.join(', ')} ${pending.length === 1 ? 'is' : 'are'} declared but not yet managed by this version of daffeinated; ${pending.length === 1 ? 'it is' : 'they are'} neither planned nor applied`,
    path: `environments.${environment.name}`,
    ...(environment.sources['app'] ?? {}),
  });
}

/** The resource's and its attributes' source locations, from the environment's source map. */
function located(
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
