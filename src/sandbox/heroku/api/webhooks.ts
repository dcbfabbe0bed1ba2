import { json } from '../../http.js';
import { UUID_PATTERN } from '../../ids.js';
import { appRef, findApp } from '../model/lookup.js';
import type { AppRecord, WebhookRecord } from '../model/state.js';
import { type Body, objectBody, optionalString, optionalStringArray } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * App webhooks (`app-webhook` in the Platform API schema): subscriptions to an app's events, up to
 * 10 per app (Dev Center "Limits"). `include` names entities of Dev Center "App Webhooks";
 * `level` is `notify` (one attempt) or `sync` (retried). `secret` and `authorization` are
 * write-only and not kept. The sandbox records subscriptions only: it delivers nothing.
 */
const MAX_WEBHOOKS = 10;

const ENTITIES = new Set([
  'api:addon-attachment',
  'api:addon',
  'api:app',
  'api:build',
  'api:collaborator',
  'api:domain',
  'api:dyno',
  'api:formation',
  'api:release',
  'api:sni-endpoint',
]);

const RANGES: readonly RangeKey<WebhookRecord>[] = [{ name: 'id', value: (w) => w.id }];

function webhookJson(app: AppRecord, webhook: WebhookRecord): Record<string, unknown> {
  return {
    app: appRef(app),
    created_at: webhook.createdAt,
    id: webhook.id,
    include: [...webhook.include],
    level: webhook.level,
    updated_at: webhook.updatedAt,
    url: webhook.url,
  };
}

export function registerWebhooks(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/webhooks', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return paginate(app.webhooks, RANGES, ctx.range, (w) => webhookJson(app, w));
    },
  });
  router.add('GET', '/apps/:app/webhooks/:webhook', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return json(200, webhookJson(app, findWebhook(app, ctx.params['webhook'] as string)));
    },
  });
  router.add('POST', '/apps/:app/webhooks', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const body = objectBody(ctx.body);
      const fields = { include: include(body, true), level: level(body, true), url: url(body, true) };
      if (app.webhooks.length >= MAX_WEBHOOKS)
        throw invalidParams(`An app can have at most ${MAX_WEBHOOKS} webhooks.`);
      const now = ctx.world.now();
      const webhook: WebhookRecord = {
        id: ctx.world.ids.uuid(),
        url: fields.url as string,
        include: fields.include as string[],
        level: fields.level as WebhookRecord['level'],
        createdAt: now,
        updatedAt: now,
      };
      app.webhooks.push(webhook);
      return json(201, webhookJson(app, webhook));
    },
  });
  router.add('PATCH', '/apps/:app/webhooks/:webhook', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const webhook = findWebhook(app, ctx.params['webhook'] as string);
      const body = objectBody(ctx.body);
      const fields = { include: include(body, false), level: level(body, false), url: url(body, false) };
      if (fields.include !== undefined) webhook.include = fields.include;
      if (fields.level !== undefined) webhook.level = fields.level;
      if (fields.url !== undefined) webhook.url = fields.url;
      webhook.updatedAt = ctx.world.now();
      return json(200, webhookJson(app, webhook));
    },
  });
  router.add('DELETE', '/apps/:app/webhooks/:webhook', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const webhook = findWebhook(app, ctx.params['webhook'] as string);
      app.webhooks = app.webhooks.filter((w) => w !== webhook);
      return json(200, webhookJson(app, webhook));
    },
  });
}

function include(body: Body, required: boolean): string[] | undefined {
  const entities = optionalStringArray(body, 'include');
  if (entities === undefined && !required) return undefined;
  if (entities === undefined || entities.length === 0)
    throw invalidParams('Invalid params: include must list at least one entity (e.g. api:release).');
  const unknown = entities.find((e) => !ENTITIES.has(e));
  if (unknown !== undefined) throw invalidParams(`Invalid params: ${unknown} is not a webhook entity.`);
  return [...new Set(entities)];
}

function level(body: Body, required: boolean): WebhookRecord['level'] | undefined {
  const value = optionalString(body, 'level');
  if (value === undefined && !required) return undefined;
  if (value !== 'notify' && value !== 'sync') throw invalidParams('Invalid params: level must be notify or sync.');
  return value;
}

/** An http(s) URL with a host; whether Heroku also checks that the host resolves is not documented. */
function url(body: Body, required: boolean): string | undefined {
  const value = optionalString(body, 'url');
  if (value === undefined && !required) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = value === undefined ? undefined : new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '')
    throw invalidParams('Invalid params: url must be an http:// or https:// URL.');
  return value;
}

function appOf(ctx: HerokuContext): AppRecord {
  return findApp(ctx.world.state.heroku, ctx.params['app'] as string);
}

function findWebhook(app: AppRecord, identity: string): WebhookRecord {
  const webhook = UUID_PATTERN.test(identity) ? app.webhooks.find((w) => w.id === identity.toLowerCase()) : undefined;
  if (webhook === undefined) throw notFound('app webhook');
  return webhook;
}
