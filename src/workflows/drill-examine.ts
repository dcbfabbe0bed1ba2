import type { Config } from '../model/config.js';
import { type DrillCost, HOURS_PER_MONTH } from '../model/drill.js';
import type { ReleaseStatus } from '../providers/provider.js';
import { DaffError, InternalError, NotFoundError, UsageError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import type { BackupEntry, DatabaseRef } from '../model/backups.js';
import { type DrillDerivation, deriveDrill } from './drill-environment.js';
import { type DrillAppState, examineDrillApp, refuseForeign } from './drill-teardown.js';
import { type Env, type Prepared, prepareEnvironments } from './prepare.js';

/** Everything a drill decides before it changes anything. */
export interface DrillExamined {
  readonly derivation: DrillDerivation;
  /** The drill environment alone, prepared as `apply` would. */
  readonly prepared: Prepared;
  /** The newest completed backup; with `capture`, the one sizing the database until a new one is captured. */
  readonly backup: BackupEntry | undefined;
  readonly capture: boolean;
  /** ENV's database add-on. */
  readonly database: DatabaseRef;
  /** ENV's current release, whose slug the drill runs. */
  readonly release: ReleaseStatus & { readonly slugId: string };
  /** What stands at the drill app's name now: absent, or an earlier drill's leftover to remove first. */
  readonly leftover: Exclude<DrillAppState, { kind: 'foreign' }>;
  readonly cost: DrillCost;
}

/**
 * How many bytes of database a byte of backup stands for, to size the drill's database when the
 * Postgres API does not give the database's size at capture (`source_bytes`): a backup's size as
 * stored (`pg_dump`'s compressed custom format, indexes as definitions only) is several times
 * smaller than the restored database. The report gives what the restore actually processed.
 */
export const DATABASE_BYTES_PER_BACKUP_BYTE = 4;

/** The database size a backup stands for: its database's size at capture, else estimated (DATABASE_BYTES_PER_BACKUP_BYTE); null without a backup. */
export function sizeFrom(backup: BackupEntry | undefined): number | null {
  if (backup === undefined) return null;
  return backup.sourceBytes ?? backup.bytes * DATABASE_BYTES_PER_BACKUP_BYTE;
}

/** The newest completed backup of `database` among the app's backups (newest first); one that names no database counts as the app's. */
export function newestBackupOf(backups: readonly BackupEntry[], database: DatabaseRef): BackupEntry | undefined {
  const names = [database.attachment, database.name, `${database.attachment}_URL`];
  return backups.find((b) => b.status === 'completed' && (b.database === null || names.includes(b.database)));
}

/**
 * The drill's derivation before a single API call: exit 1 with what to do when ENV is unknown or
 * has no Postgres add-on. `bytes` sizes the drill's database plan (null: ENV's own plan).
 */
export function deriveOrRefuse(config: Config, environment: string, bytes: number | null, env: Env): { derivation: DrillDerivation; prepared: Prepared } {
  if (!Object.hasOwn(config.environments, environment)) {
    throw new UsageError(`There is no environment "${environment}" in ${config.file}`, {
      hint: `declared environments: ${Object.keys(config.environments).join(', ')}`,
    });
  }
  const derivation = deriveDrill(config, environment, bytes);
  if (derivation === undefined) {
    throw new DaffError(`${environment} has no Postgres add-on: a recovery drill restores a database backup, so there is nothing to drill`, {
      hint: `Declare its database in app.yaml (e.g. addons: { database: { plan: "heroku-postgresql:essential-0", as: DATABASE } }) and apply it, or drill another environment.`,
    });
  }
  const prepared = prepareEnvironments(derivation.config, { names: [derivation.drill.name], all: false, defaultAll: false }, env);
  return { derivation, prepared };
}

/**
 * Reads, without changing anything: ENV's newest completed backup (none and no `--capture`: exit
 * 1 with what to do), ENV's current release (none: exit 1), what stands at the drill app's name
 * (an app not marked as a drill: refused, exit 3), and the drill environment's price.
 */
export async function examineDrill(
  connection: Connection,
  config: Config,
  environment: string,
  capture: boolean,
  env: Env,
): Promise<DrillExamined> {
  const first = deriveOrRefuse(config, environment, null, env);
  const { source } = first.derivation;
  const attachment = source.addons[first.derivation.database]?.as ?? 'DATABASE';
  const [database, backups, release, state] = await Promise.all([
    connection.backups.database(source.app, attachment),
    connection.backups.list(source.app),
    currentRelease(connection, source.app, environment),
    examineDrillApp(connection, first.derivation.drill.app),
  ]);
  if (database === undefined) {
    throw new DaffError(`${source.app} has no live Postgres add-on attached as ${attachment} to drill a recovery of`, {
      hint: `Apply ${environment} first (\`daffeinated apply ${environment}\`), then run the drill again.`,
    });
  }
  const backup = newestBackupOf(backups, database);
  if (backup === undefined && !capture) {
    throw new DaffError(`${environment} (${source.app}) has no completed backup of its database (${attachment}) to drill a recovery from`, {
      hint: `Capture one now with \`daffeinated dr-drill ${environment} --capture\` (or \`heroku pg:backups:capture -a ${source.app}\`), and schedule daily backups: \`heroku pg:backups:schedule ${attachment}_URL --at '02:00 UTC' -a ${source.app}\`.`,
    });
  }
  if (state.kind === 'foreign') refuseForeign(state, environment);
  const { derivation, prepared } = deriveOrRefuse(config, environment, sizeFrom(backup), env);
  return { derivation, prepared, backup, capture, database, release, leftover: state, cost: await drillCost(connection, prepared) };
}

async function currentRelease(connection: Connection, app: string, environment: string): Promise<ReleaseStatus & { readonly slugId: string }> {
  let releases: ReleaseStatus[];
  try {
    releases = await connection.delivery.releases(app, 25);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new DaffError(`The app ${app} of ${environment} does not exist: there is nothing to drill`, {
      hint: `Create and deploy it first: daffeinated deploy ${environment}.`,
    });
  }
  const current = releases.find((r) => r.current);
  if (current === undefined || current.slugId === null) {
    throw new DaffError(`${app} runs no code (its current release has no slug): the drill deploys ${environment}'s current slug`, {
      hint: `Deploy ${environment} first: daffeinated deploy ${environment}.`,
    });
  }
  return { ...current, slugId: current.slugId };
}

/** The drill environment's dynos and add-ons at their list prices (Heroku's price lists), per month and per hour. */
export async function drillCost(connection: Connection, prepared: Prepared): Promise<DrillCost> {
  const heroku = connection.providers.get('heroku');
  if (heroku === undefined) throw new InternalError('the drill needs the Heroku provider');
  const priced = prepared.desired.resources.filter((r) => r.kind === 'heroku.formation' || r.kind === 'heroku.addon');
  const estimate = heroku.costNow === undefined ? undefined : await heroku.costNow(priced);
  const lines = (estimate?.lines ?? [])
    .map((l) => ({ address: l.address, what: l.after ?? '', cents: l.afterCents }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const monthlyCents = lines.reduce((sum, l) => sum + l.cents, 0);
  return {
    lines,
    monthlyCents,
    hourlyCents: Math.ceil(monthlyCents / HOURS_PER_MONTH),
    unpriced: (estimate?.unpriced ?? []).map((u) => ({ address: u.address, reason: u.reason })),
  };
}
