import { json } from '../../http.js';
import type { World } from '../../world.js';
import type { AddonRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { databaseOf } from './transfers.js';

/**
 * `GET /client/v11/databases/{addon}`: a database's info as `pg:info` prints it and as
 * `pg:backups:capture` and `pg:backups:schedule` read it first (a 404 there means "not yet
 * provisioned"; a `Continuous Protection` of `On` makes them warn). The shape is heroku/cli's
 * `PgDatabaseTenant` (src/lib/pg/types.ts), limited to what the sandbox knows: no credentials,
 * no connection counts. `info` holds no `Add-on` or `Billing App` row: `pg:info` adds those itself.
 */
export function registerDatabaseInfo(router: HerokuRouter): void {
  router.add('GET', '/client/v11/databases/:addon', {
    handler: (ctx) => {
      const { addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      return json(200, databaseJson(ctx.world, addon));
    },
  });
}

function databaseJson(world: World, addon: AddonRecord): Record<string, unknown> {
  const bytes = world.heroku.databases?.sizeOf(addon.id) ?? 0;
  const plan = planTitle(addon.plan.name);
  const version = addon.config['version'];
  const info: { name: string; values: string[] }[] = [
    { name: 'Plan', values: [plan] },
    { name: 'Status', values: ['Available'] },
    { name: 'Data Size', values: [humanBytes(bytes)] },
    ...(version === undefined ? [] : [{ name: 'PG Version', values: [version] }]),
    { name: 'Continuous Protection', values: [continuousProtection(addon.plan.name) ? 'On' : 'Off'] },
    { name: 'Created', values: [addon.createdAt] },
  ];
  return {
    addon_id: addon.id,
    name: addon.name,
    plan,
    created_at: addon.createdAt,
    num_bytes: bytes,
    'waiting?': false,
    info,
  };
}

/** `heroku-postgresql:standard-0` → `Standard 0`, as `pg:info` shows plans. */
function planTitle(plan: string): string {
  const name = plan.replace(/^heroku-postgresql:/, '');
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/**
 * Standard tier and above come with Continuous Protection (Dev Center "Heroku PGBackups":
 * "Every Heroku Postgres database on the Standard tier or higher comes with an automatic,
 * behind-the-scenes Continuous Protection mechanism"); the Essential tier does not.
 */
function continuousProtection(plan: string): boolean {
  return /^(standard|premium|private|shield)-/.test(plan.replace(/^heroku-postgresql:/, ''));
}

function humanBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
