import type { Change, LiveState } from '../../engine/types.js';
import { formatBackupSchedule, parseBackupSchedule } from '../../model/backup-schedule.js';
import { type Address, makeAddress, type Resource } from '../../model/resource.js';
import { InternalError, ProviderError } from '../../runtime/errors.js';
import { inferAttachment } from './addons.js';
import type { ApiAddon } from './api-types.js';
import { appPath, lastPart, type StepContext, text } from './apply-support.js';
import type { HerokuClient } from './client.js';
import { NO_SCHEDULE } from './desired-backups.js';
import { deleteSchedule, listSchedules, putSchedule } from './postgres-api.js';
import type { PgTransferSchedule } from './postgres-transfers.js';
import { ADDON } from './shapes.js';

/**
 * `heroku.backup-schedule[env/<add-on>]`: a Postgres add-on's daily backup schedule, kept through
 * the Heroku Postgres API (postgres-api.ts), which holds one per database. Read only for add-ons
 * app.yaml gives `backups:` (desired-backups.ts), and only once the add-on is live.
 */

/** A live add-on as the schedule needs it: its Heroku id and its attachment name on the app. */
export interface LiveAddonRef {
  readonly id: string;
  readonly attachment: string | undefined;
}

/** Address of each live add-on tied to app.yaml → its id and attachment (from a read's resources). */
export function liveAddonRefs(live: readonly Resource[]): Map<Address, LiveAddonRef> {
  const refs = new Map<Address, LiveAddonRef>();
  for (const r of live) {
    if (r.kind !== 'heroku.addon' || r.liveId === undefined) continue;
    const as = r.attributes['as'];
    refs.set(r.address, { id: r.liveId, attachment: typeof as === 'string' ? as : undefined });
  }
  return refs;
}

/**
 * The live schedules of the desired ones whose add-on is live, in one round, added to `live`. A
 * database the Postgres API does not know yet (404: still provisioning) has no live schedule.
 */
export async function readBackupSchedules(
  pg: HerokuClient,
  desired: readonly Resource[],
  live: LiveState,
): Promise<LiveState> {
  const refs = liveAddonRefs(live.resources);
  const wanted = desired.filter((r) => r.kind === 'heroku.backup-schedule');
  const read = await Promise.all(
    wanted.map(async (schedule) => {
      const addon = refs.get(addonAddressOf(schedule));
      if (addon === undefined) return undefined;
      const list = await listSchedules(pg, addon.id).catch((error: unknown) => {
        if (error instanceof ProviderError && error.status === 404) return undefined;
        throw error;
      });
      return list === undefined ? undefined : liveSchedule(schedule, list);
    }),
  );
  const found = read.filter((r): r is Resource => r !== undefined);
  return found.length === 0 ? live : { ...live, resources: [...live.resources, ...found] };
}

function liveSchedule(desired: Resource, schedules: readonly PgTransferSchedule[]): Resource {
  const first = schedules[0];
  return {
    address: desired.address,
    provider: 'heroku',
    kind: 'heroku.backup-schedule',
    scope: desired.scope,
    attributes: { at: first === undefined ? NO_SCHEDULE : formatBackupSchedule(first) },
    sensitive: [],
    ...(first === undefined ? {} : { liveId: first.uuid }),
  };
}

/** `heroku.addon[env/<local>]` of `heroku.backup-schedule[env/<local>]`. */
function addonAddressOf(schedule: Pick<Resource, 'address' | 'scope'>): Address {
  return makeAddress('heroku.addon', schedule.scope, lastPart(schedule.address));
}

/**
 * Create and update put the schedule (the API replaces the database's one); `off` and a delete
 * remove every schedule of the database. The add-on is the one this apply created (its outputs)
 * or the one the read saw.
 */
export async function applyBackupSchedule(ctx: StepContext, change: Change): Promise<void> {
  const pg = ctx.postgres;
  if (pg === undefined) throw new InternalError(`${change.address}: no Heroku Postgres API client was given`);
  const addon = await addonFor(ctx, change);
  const at = change.action === 'delete' ? NO_SCHEDULE : text(change.after, 'at');
  if (at === NO_SCHEDULE) {
    for (const schedule of await listSchedules(pg, addon.id)) await deleteSchedule(pg, addon.id, schedule.uuid);
    return;
  }
  const schedule = parseBackupSchedule(at);
  if (schedule === undefined || schedule === 'off')
    throw new InternalError(`${change.address}: ${at} is not a schedule`);
  // The CLI names the schedule after the attachment's config var; Heroku's default is DATABASE.
  await putSchedule(pg, addon.id, { ...schedule, name: `${addon.attachment ?? 'DATABASE'}_URL` });
}

async function addonFor(ctx: StepContext, change: Change): Promise<LiveAddonRef> {
  const address = addonAddressOf(change);
  const created = ctx.outputs.get(address) ?? ctx.earlierOutputs.get(address);
  if (typeof created?.['id'] === 'string') {
    // Created by this apply: its attachment shows in the vars it set.
    const addon = await ctx.client.get<ApiAddon>(appPath(ctx, change, `/addons/${encodeURIComponent(created['id'])}`), {
      shape: ADDON,
    });
    return { id: addon.id, attachment: inferAttachment(addon) };
  }
  const seen = ctx.liveAddons.get(address);
  if (seen === undefined)
    throw new InternalError(`${change.address}: the add-on ${address} is neither live nor created by this apply`);
  return seen;
}
