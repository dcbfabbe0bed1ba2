import { buildPlan } from '../engine/plan.js';
import { assertSafe } from '../engine/safety.js';
import { type Change, type Plan, prunesKey } from '../engine/types.js';
import type { Address, ResourceKind } from '../model/resource.js';
import { kindPolicies, type Reporter } from '../providers/provider.js';
import { DaffError, ExitCode, NotFoundError } from '../runtime/errors.js';
import { applyPlan } from './apply.js';
import type { Connection } from './connection.js';
import { DRILL_MARKER, DRILL_SUFFIX, drilledEnvironmentName } from './drill-environment.js';
import type { Prepared } from './prepare.js';

/**
 * What stands at a drill app's name. Only a `marked` app (it carries the drill marker config var)
 * or a `pristine` one (no config var, no add-on, no release of code: what a drill killed between
 * creating its app and setting its marker leaves, and nothing to lose) is ever deleted or used by
 * a drill; a `foreign` app is never touched.
 */
export type DrillAppState =
  | { readonly kind: 'absent'; readonly app: string }
  | { readonly kind: 'marked'; readonly app: string }
  | { readonly kind: 'pristine'; readonly app: string }
  | { readonly kind: 'foreign'; readonly app: string; readonly holds: string };

/** Reads what stands at the drill app's name (read-only). */
export async function examineDrillApp(connection: Connection, app: string): Promise<DrillAppState> {
  const { delivery } = connection;
  let keys: string[];
  try {
    keys = await delivery.configKeys(app);
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'absent', app };
    throw error;
  }
  if (app.endsWith(DRILL_SUFFIX) && keys.includes(DRILL_MARKER)) return { kind: 'marked', app };
  const [addons, releases] = await Promise.all([delivery.addons(app), delivery.releases(app, 10)]);
  const holds = [
    ...(keys.length > 0 ? [`${keys.length} config var(s)`] : []),
    ...(addons.length > 0 ? [`${addons.length} add-on(s)`] : []),
    ...(releases.some((r) => r.slugId !== null) ? ['released code'] : []),
  ];
  if (holds.length === 0 && app.endsWith(DRILL_SUFFIX)) return { kind: 'pristine', app };
  return { kind: 'foreign', app, holds: holds.length === 0 ? 'no drill marker' : holds.join(', ') };
}

/** Refuses (exit 3) to go near an app that is not a drill's; says what to do. `environment` is the one drilled (`dr-drill`'s argument). */
export function refuseForeign(state: Extract<DrillAppState, { kind: 'foreign' }>, environment: string): never {
  throw new DaffError(
    `The drill app name ${state.app} is taken by an app that is not marked as a drill (${state.holds}; no ${DRILL_MARKER} config var): nothing was changed`,
    {
      hint: `daffeinated never touches it. Rename or delete that app yourself if it is not needed, then run \`daffeinated dr-drill ${environment}\` again.`,
      exitCode: ExitCode.Refused,
    },
  );
}

export interface TornDown {
  /** Addresses deleted, add-ons first, then the app. */
  readonly deleted: readonly Address[];
}

/**
 * Deletes the drill environment's add-ons, then its app, through the apply engine: the deletions
 * the engine plans when the drill environment's apps and add-ons are pruned, checked by the
 * safety rules with exactly the drill's own addresses allowed to be destroyed. `state` must be a
 * fresh `examineDrillApp` of the drill app saying it is marked or pristine; anything else, and
 * any change outside the drill environment or of another app, is refused before a request.
 */
export async function tearDownDrill(
  connection: Connection,
  prepared: Prepared,
  state: DrillAppState,
  reporter: Reporter,
): Promise<TornDown> {
  const [scope] = prepared.environments;
  const drill = scope === undefined ? undefined : prepared.config.environments[scope];
  if (drill === undefined || prepared.environments.length !== 1) throw new DaffError('tearDownDrill needs exactly the drill environment');
  if (state.kind === 'absent') return { deleted: [] };
  if (state.kind === 'foreign') refuseForeign(state, drilledEnvironmentName(drill.name));
  if (state.app !== drill.app || !drill.app.endsWith(DRILL_SUFFIX)) {
    throw new DaffError(`Refusing to tear down ${state.app}: it is not the drill app of ${drill.name}`, { exitCode: ExitCode.Refused });
  }
  const heroku = connection.providers.get('heroku');
  if (heroku === undefined) throw new DaffError('tearDownDrill needs the Heroku provider');
  const kinds: readonly ResourceKind[] = ['heroku.app', 'heroku.addon'];
  const desired = prepared.desired.resources.filter((r) => r.scope === drill.name && kinds.includes(r.kind));
  const live = await heroku.read({ scopes: [drill.name], desired });
  const ours = { ...live, resources: live.resources.filter((r) => r.scope === drill.name && kinds.includes(r.kind)) };
  const plan = buildPlan({ resources: [], prune: kinds.map((k) => prunesKey(k, drill.name)) }, ours, [drill.name], {
    digestKey: connection.digestKey,
  });
  assertOnlyDrill(plan.changes, drill.name, drill.app);
  assertSafe(plan, kindPolicies(connection.providers.values()), { allowDestroy: plan.changes.map((c) => c.address), force: false });
  const addons = plan.changes.filter((c) => c.kind === 'heroku.addon');
  const app = plan.changes.filter((c) => c.kind === 'heroku.app');
  const deleted: Address[] = [];
  for (const changes of [addons, app]) {
    if (changes.length === 0) continue;
    reporter.info(`Tearing down ${changes.map((c) => c.address).join(', ')}`);
    deleted.push(...(await applyPlan(phase(plan, changes), connection.providers, reporter)).applied);
  }
  return { deleted };
}

/**
 * The guard teardown rests on: every change is a deletion in the drill environment, and the app
 * deleted (if any) is the drill app by name. A violation is a bug, refused before any request.
 */
export function assertOnlyDrill(changes: readonly Change[], scope: string, app: string): void {
  for (const change of changes) {
    const name = change.kind === 'heroku.app' && change.action === 'delete' ? change.before.attributes['name'] : app;
    if (change.action !== 'delete' || change.scope !== scope || name !== app || !app.endsWith(DRILL_SUFFIX)) {
      throw new DaffError(`Refusing to tear down: ${change.action} of ${change.address} is not a deletion of the drill environment ${scope} (${app})`, {
        exitCode: ExitCode.Refused,
      });
    }
  }
}

function phase(plan: Plan, changes: readonly Change[]): Plan {
  return { ...plan, changes };
}
