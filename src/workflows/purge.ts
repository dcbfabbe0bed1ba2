import type { Config, EnvironmentConfig } from '../model/config.js';
import type { PurgeSelection, ZonePurged } from '../providers/provider.js';
import { assertNever, DaffError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import type { HealthVerdict } from './health.js';
import type { Progress } from './progress.js';

/** One zone's part of an environment's `purge`. */
export interface ZonePurge {
  readonly zone: string;
  readonly selection: PurgeSelection;
}

/** How the purge after a release came out. */
export type PurgeOutcome =
  | { readonly kind: 'not-declared' }
  | { readonly kind: 'held-back'; readonly reason: string }
  | { readonly kind: 'purged'; readonly zones: readonly ZonePurged[] }
  | {
      readonly kind: 'failed';
      /** The zones purged before the failure. */
      readonly zones: readonly ZonePurged[];
      readonly zone: string;
      readonly message: string;
      readonly hint: string | undefined;
    };

/**
 * What `environment.purge` names, zone by zone (zones in name order): each host and prefix goes
 * to the most specific declared zone holding its host (validation made sure there is one);
 * `everything` to each zone holding one of the environment's domains.
 */
export function purgePlan(config: Config, environment: EnvironmentConfig): ZonePurge[] {
  const purge = environment.purge;
  if (purge === undefined) return [];
  const zones = Object.keys(config.cloudflare.zones);
  const zoneOfHost = (host: string) =>
    zones.filter((zone) => host === zone || host.endsWith(`.${zone}`)).sort((a, b) => b.length - a.length)[0];
  switch (purge.kind) {
    case 'everything': {
      const names = new Set(environment.domains.flatMap((domain) => zoneOfHost(domain.replace(/^\*\./, '')) ?? []));
      return [...names].sort().map((zone) => ({ zone, selection: { kind: 'everything' } }));
    }
    case 'selected': {
      const byZone = new Map<string, { hosts: string[]; prefixes: string[] }>();
      const add = (zone: string | undefined, list: 'hosts' | 'prefixes', item: string) => {
        if (zone === undefined) return;
        const entry = byZone.get(zone) ?? { hosts: [], prefixes: [] };
        entry[list].push(item);
        byZone.set(zone, entry);
      };
      for (const host of purge.hosts) add(zoneOfHost(host), 'hosts', host);
      for (const prefix of purge.prefixes) add(zoneOfHost(prefix.split('/')[0] ?? ''), 'prefixes', prefix);
      return [...byZone.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([zone, lists]) => ({ zone, selection: { kind: 'selected', ...lists } }));
    }
    default:
      return assertNever(purge, 'purge');
  }
}

/**
 * Why a release's purge must wait, or undefined when it may go: only a release known healthy — its
 * health check passed, or app.yaml declares none — makes the cache stale. A failed check (the
 * release is broken, or is being rolled back) and a skipped one (its health is unknown) purge
 * nothing: the cache keeps serving what the previous release produced.
 */
export function purgeHeldBack(verdict: HealthVerdict): string | undefined {
  switch (verdict.kind) {
    case 'not-configured':
      return undefined;
    case 'skipped':
      return `the health check was skipped (${verdict.reason}), so the release is not known healthy`;
    case 'checked':
      return verdict.outcome.ok ? undefined : 'the release failed its health check';
    default:
      return assertNever(verdict, 'health verdict');
  }
}

/**
 * Purges what `environment.purge` names once its new release is healthy (see `purgeHeldBack`),
 * zone after zone; stops at the first zone that fails and reports it, with the zones done before.
 * Never throws for a purge that fails: the release is live either way, and the caller says so.
 */
export async function purgeAfterRelease(
  connection: Connection,
  config: Config,
  environment: EnvironmentConfig,
  verdict: HealthVerdict,
  progress: Progress,
): Promise<PurgeOutcome> {
  const plan = purgePlan(config, environment);
  if (plan.length === 0) return { kind: 'not-declared' };
  const reason = purgeHeldBack(verdict);
  if (reason !== undefined) {
    progress.info(`not purging Cloudflare's cache for ${environment.name}: ${reason}`);
    return { kind: 'held-back', reason };
  }
  if (connection.cache === undefined) throw new DaffError(`No Cloudflare connection to purge the cache of ${environment.name} with`);
  const done: ZonePurged[] = [];
  for (const { zone, selection } of plan) {
    const step = progress.step(`Purging Cloudflare's cache of ${zone}: ${describeSelection(selection)}`);
    try {
      const purged = await connection.cache.purge(zone, selection);
      step.done(`Purged ${zone}: ${describeSelection(selection)} (${purged.requests} request${purged.requests === 1 ? '' : 's'})`);
      done.push(purged);
    } catch (error) {
      step.fail();
      const message = error instanceof Error ? error.message : String(error);
      const hint = error instanceof DaffError ? error.hint : undefined;
      return { kind: 'failed', zones: done, zone, message, hint };
    }
  }
  return { kind: 'purged', zones: done };
}

/** `hosts a, b; prefixes c` or `everything`. */
export function describeSelection(selection: PurgeSelection): string {
  if (selection.kind === 'everything') return 'everything';
  return [
    ...(selection.hosts.length > 0 ? [`hosts ${selection.hosts.join(', ')}`] : []),
    ...(selection.prefixes.length > 0 ? [`prefixes ${selection.prefixes.join(', ')}`] : []),
  ].join('; ');
}
