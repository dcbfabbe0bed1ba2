import { loadConfig } from '../config/index.js';
import { buildPlan } from '../engine/plan.js';
import type { Change, CostEstimate, DesiredState, LiveState, Plan } from '../engine/types.js';
import type { Config } from '../model/config.js';
import { desiredState } from '../model/desired.js';
import { desiredCloudflare } from '../model/desired-cloudflare.js';
import type { Resource } from '../model/resource.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { ConfigError, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { type Connection, connect } from './connect.js';

/** Options every command shares. */
export interface GlobalOptions {
  readonly config?: string;
  readonly sandbox?: string | true;
  readonly debug: boolean;
}

/** The config plus the desired state of the environments a command targets. */
export interface Prepared {
  readonly config: Config;
  readonly environments: readonly string[];
  readonly desired: DesiredState;
  /** Warnings found while building the desired state (errors have already been thrown). */
  readonly warnings: readonly Diagnostic[];
}

/**
 * Loads and validates the config, picks the environments and builds the desired state, all
 * offline: any problem throws ConfigError/UsageError before a single API call.
 */
export function prepare(io: Io, global: GlobalOptions, selection: { names: readonly string[]; all: boolean; defaultAll: boolean }): Prepared {
  const config = loadConfig({ ...(global.config === undefined ? {} : { path: global.config }), cwd: io.cwd, env: io.env });
  const environments = selectEnvironments(config, selection);
  const heroku = desiredState(config, environments, io.env);
  const cloudflare = desiredCloudflare(config, environments);
  const diagnostics = [...heroku.diagnostics, ...cloudflare.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) throw new ConfigError(diagnostics);
  return {
    config,
    environments,
    desired: { resources: [...heroku.resources, ...cloudflare.resources], prune: [...heroku.prune, ...cloudflare.prune] },
    warnings: diagnostics,
  };
}

/** Connects to the APIs the prepared desired state needs (Cloudflare's token only when it has records, settings or rules). */
export function connectFor(io: Io, global: GlobalOptions, prepared: Prepared): Promise<Connection> {
  return connect(prepared.config, io, {
    sandbox: global.sandbox,
    debug: global.debug,
    cloudflare: prepared.desired.resources.some((r) => r.provider === 'cloudflare'),
  });
}

export function selectEnvironments(
  config: Config,
  selection: { names: readonly string[]; all: boolean; defaultAll: boolean },
): string[] {
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

/** Reads live state from every provider the desired resources use, concurrently. */
export async function readLive(connection: Connection, prepared: Prepared): Promise<LiveState> {
  const states = await Promise.all(
    [...connection.providers.values()].map((provider) =>
      provider.read({
        scopes: prepared.environments,
        desired: prepared.desired.resources.filter((r: Resource) => r.provider === provider.id),
      }),
    ),
  );
  return {
    resources: states.flatMap((s) => s.resources),
    deferred: states.flatMap((s) => s.deferred),
    diagnostics: states.flatMap((s) => s.diagnostics),
    notes: states.flatMap((s) => s.notes ?? []),
    // Each zone's count of every DNS record (the base of the DNS change threshold) lives here only.
    counts: Object.assign({}, ...states.map((s) => s.counts ?? {})),
  };
}

/** Reads live state and builds the plan; live errors (e.g. add-on-owned vars declared) stop here. */
export async function planNow(connection: Connection, prepared: Prepared): Promise<Plan> {
  const live = await readLive(connection, prepared);
  const liveErrors = live.diagnostics.filter((d) => d.severity === 'error');
  if (liveErrors.length > 0) throw new ConfigError(live.diagnostics);
  const plan = buildPlan(prepared.desired, live, [...prepared.environments], { digestKey: connection.digestKey });
  const cost = await estimateCost(connection, plan.changes);
  return { ...plan, diagnostics: [...prepared.warnings, ...plan.diagnostics], ...(cost === undefined ? {} : { cost }) };
}

/** The monthly cost change, from each provider that prices its own changes; undefined when none does. */
async function estimateCost(connection: Connection, changes: readonly Change[]): Promise<CostEstimate | undefined> {
  const estimates = await Promise.all(
    [...connection.providers.values()].map((provider) =>
      provider.estimateCost?.(changes.filter((c) => c.provider === provider.id)),
    ),
  );
  const present = estimates.filter((e): e is CostEstimate => e !== undefined);
  if (present.length === 0) return undefined;
  const byAddress = <T extends { address: string }>(a: T, b: T) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  return {
    lines: present.flatMap((e) => e.lines).sort(byAddress),
    deltaCents: present.reduce((sum, e) => sum + e.deltaCents, 0),
    unpriced: present.flatMap((e) => e.unpriced).sort(byAddress),
  };
}
