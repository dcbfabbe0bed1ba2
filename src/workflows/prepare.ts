import type { DesiredState } from '../engine/types.js';
import type { Config } from '../model/config.js';
import { desiredCloudflare } from '../providers/cloudflare/desired.js';
import { desiredHeroku } from '../providers/heroku/desired.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { ConfigError, UsageError } from '../runtime/errors.js';

/** The config plus the desired state of the environments a command targets. */
export interface Prepared {
  readonly config: Config;
  readonly environments: readonly string[];
  readonly desired: DesiredState;
  /** Warnings found while building the desired state (errors have already been thrown). */
  readonly warnings: readonly Diagnostic[];
}

/** Which environments a command targets: the names given, `--all`, or (when allowed) all by default. */
export interface Selection {
  readonly names: readonly string[];
  readonly all: boolean;
  /** Whether naming none means all (plan, drift) rather than a usage error (apply). */
  readonly defaultAll: boolean;
}

/** The variables `from_env` and `${VAR}` in app.yaml are read from. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Picks the environments and builds their desired state, offline: any problem throws
 * ConfigError/UsageError before a single API call. `env` undefined reads no `from_env` variable
 * (`validate` needs no secrets; plan and apply report unset ones).
 */
export function prepareEnvironments(config: Config, selection: Selection, env: Env | undefined): Prepared {
  const environments = selectEnvironments(config, selection);
  const { desired, diagnostics } = desiredOf(config, environments, env);
  if (diagnostics.some((d) => d.severity === 'error')) throw new ConfigError(diagnostics);
  return { config, environments, desired, warnings: diagnostics };
}

/**
 * `prepared` as `apply ENVIRONMENTS…` would have prepared it: the desired state of just those
 * environments. Planning any subset of environments is by design (`apply staging`): each
 * environment's resources, and so its changes, do not depend on which others are planned. The
 * pipeline alone moves: it goes with the first planned environment (providers/heroku `pipelineScope`).
 */
export function narrowed(prepared: Prepared, environments: readonly string[], env: Env): Prepared {
  return { ...prepared, environments, desired: desiredOf(prepared.config, environments, env).desired };
}

function desiredOf(
  config: Config,
  environments: readonly string[],
  env: Env | undefined,
): { desired: DesiredState; diagnostics: Diagnostic[] } {
  const heroku = desiredHeroku(config, environments, env);
  const cloudflare = desiredCloudflare(config, environments);
  return {
    desired: {
      resources: [...heroku.resources, ...cloudflare.resources],
      prune: [...heroku.prune, ...cloudflare.prune],
    },
    diagnostics: [...heroku.diagnostics, ...cloudflare.diagnostics],
  };
}

function selectEnvironments(config: Config, selection: Selection): string[] {
  const declared = Object.keys(config.environments);
  if (selection.all || (selection.names.length === 0 && (selection.defaultAll || declared.length === 1))) {
    return [...declared].sort();
  }
  if (selection.names.length === 0) {
    throw new UsageError(`Name an environment (${declared.join(', ')}) or pass --all`, {
      hint: `e.g. daffeinated apply ${declared[0] ?? 'staging'}`,
    });
  }
  for (const name of selection.names) {
    if (!Object.hasOwn(config.environments, name)) {
      throw new UsageError(`There is no environment "${name}" in ${config.file}`, {
        hint: `declared environments: ${declared.join(', ')}`,
      });
    }
  }
  return [...new Set(selection.names)].sort();
}
