import { json } from '../../http.js';
import { isoSeconds } from '../../ids.js';
import { Router } from '../../router.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord } from '../model/state.js';
import type { HerokuRoute, HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';
import { BACKUP_URL_LIFETIME_MS, backupUrl, backupUuidIn, signedBackupUrl } from './backup-urls.js';
import { registerDatabaseInfo } from './database-info.js';
import type { PgTransferRecord } from './records.js';
import { registerSchedules } from './schedules.js';
import {
  conflict,
  databaseOf,
  deleteBackup,
  findBackup,
  findTransfer,
  startTransfer,
  transfersOf,
} from './transfers.js';

/**
 * The Heroku Postgres API (`/client/v11`, api.data.heroku.com) as the official CLI uses it:
 * database info (`pg:info`; `pg:backups:capture` and `:schedule` read it first), transfers
 * (`pg:backups`, `:capture`, `:info`, `:restore`, `:url`, `:delete`) and transfer schedules
 * (`:schedule`, `:schedules`, `:unschedule`). Same protocol as the Platform API
 * (surface.ts): Accept, the account's token (Bearer or Basic), `{id, message}` errors.
 */
export function postgresRouter(): HerokuRouter {
  const router = new Router<HerokuRoute>();
  registerDatabaseInfo(router);
  registerTransfers(router);
  registerSchedules(router);
  return router;
}

function registerTransfers(router: HerokuRouter): void {
  router.add('GET', '/client/v11/apps/:app/transfers', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(
        200,
        listed(app).map((t) => transferJson(t, ctx.baseUrl, false)),
      );
    },
  });
  router.add('GET', '/client/v11/apps/:app/transfers/:id', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, transferJson(findTransfer(app, ctx.params['id'] as string), ctx.baseUrl, true));
    },
  });
  router.add('DELETE', '/client/v11/apps/:app/transfers/:id', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const transfer = findTransfer(app, ctx.params['id'] as string);
      if (transfer.kind !== 'backup' || transfer.finishedAt === null)
        throw conflict('Only a finished backup can be deleted.');
      deleteBackup(ctx.world, transfer);
      return json(200, transferJson(transfer, ctx.baseUrl, false));
    },
  });
  router.add('POST', '/client/v11/apps/:app/transfers/:id/actions/public-url', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const transfer = findTransfer(app, ctx.params['id'] as string);
      if (transfer.kind !== 'backup' || !transfer.succeeded) throw conflict('Only a completed backup has a URL.');
      const expires = ctx.world.clock().getTime() + BACKUP_URL_LIFETIME_MS;
      return json(200, {
        url: signedBackupUrl(ctx.baseUrl, transfer, expires),
        expires_at: isoSeconds(new Date(Math.floor(expires / 1000) * 1000)),
      });
    },
  });
  router.add('POST', '/client/v11/databases/:addon/backups', {
    handler: (ctx) => {
      const { app, addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      const name = addon.attachment.name;
      const transfer = startTransfer(ctx.world, app, {
        kind: 'backup',
        addon,
        fromName: name,
        toName: 'BACKUP',
        source: null,
        scheduleUuid: null,
      });
      return json(201, transferJson(transfer, ctx.baseUrl, false));
    },
  });
  router.add('POST', '/client/v11/databases/:addon/restores', {
    handler: (ctx) => {
      const { app, addon } = databaseOf(ctx.world, ctx.params['addon'] as string);
      const url = (ctx.body as { backup_url?: unknown } | undefined)?.backup_url;
      if (typeof url !== 'string' || url === '')
        throw invalidParams('backup_url is required: the URL of the backup to restore.');
      const source = findBackup(ctx.world, backupUuidIn(url) ?? '') ?? null;
      const transfer = startTransfer(ctx.world, app, {
        kind: 'restore',
        addon,
        fromName: 'BACKUP',
        toName: addon.attachment.name,
        source,
        scheduleUuid: null,
      });
      return json(201, transferJson(transfer, ctx.baseUrl, false));
    },
  });
}

function listed(app: AppRecord): PgTransferRecord[] {
  return transfersOf(app).filter((t) => t.deletedAt === null);
}

/** A transfer as the CLI reads it (heroku/cli src/lib/pg/types.ts `BackupTransfer`). */
function transferJson(t: PgTransferRecord, baseUrl: string, verbose: boolean): Record<string, unknown> {
  const backup = t.kind === 'backup';
  return {
    uuid: t.uuid,
    num: t.num,
    from_name: t.fromName,
    from_type: backup ? 'pg_dump' : 'gof3r',
    from_url: backup || t.sourceUuid === null ? null : backupUrl(baseUrl, t.sourceUuid),
    to_name: t.toName,
    to_type: backup ? 'gof3r' : 'pg_restore',
    to_url: backup && t.succeeded ? backupUrl(baseUrl, t.uuid) : null,
    options: {},
    source_bytes: t.sourceBytes,
    processed_bytes: t.processedBytes,
    succeeded: t.succeeded,
    warnings: 0,
    created_at: t.createdAt,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    updated_at: t.finishedAt ?? t.startedAt ?? t.createdAt,
    canceled_at: null,
    deleted_at: t.deletedAt,
    purged_at: null,
    schedule: t.scheduleUuid === null ? null : { uuid: t.scheduleUuid },
    ...(verbose ? { logs: t.logs.map((l) => ({ created_at: l.createdAt, level: 'info', message: l.message })) } : {}),
  };
}
