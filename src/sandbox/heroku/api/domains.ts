import { json } from '../../http.js';
import { stableUuid, UUID_PATTERN } from '../../ids.js';
import type { World } from '../../world.js';
import { appRef, findApp } from '../model/lookup.js';
import { dnsTarget } from '../model/names.js';
import type { AppRecord, DomainRecord } from '../model/state.js';
import { objectBody, optionalString } from '../model/validate.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { HerokuError, invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * Domains. Every app lists its built-in `kind: heroku` domain `<name>-<suffix>.herokuapp.com`
 * (derived from the app, status `none`, no DNS target) plus its custom domains. A custom domain
 * gets a DNS target `<adjective>-<noun>-<hash>.herokudns.com` to CNAME/ALIAS to, and is `pending`
 * until Heroku has provisioned that target (`domainMs`), then `succeeded`. Hostnames are unique
 * across all apps. SNI endpoints are not emulated (ACM only), so `sni_endpoint` must be null.
 */
type DomainView = { readonly kind: 'heroku' } | { readonly kind: 'custom'; readonly record: DomainRecord };

export function herokuHostname(app: AppRecord): string {
  return `${app.name}-${app.webSuffix}.herokuapp.com`;
}

export function domainJson(app: AppRecord, view: DomainView): Record<string, unknown> {
  if (view.kind === 'heroku') {
    return {
      acm_status: null,
      acm_status_reason: null,
      app: appRef(app),
      cname: null,
      created_at: app.createdAt,
      hostname: herokuHostname(app),
      id: domainId(app, view),
      kind: 'heroku',
      sni_endpoint: null,
      status: 'none',
      updated_at: app.createdAt,
    };
  }
  const d = view.record;
  return {
    acm_status: d.acmStatus,
    acm_status_reason: d.acmStatusReason,
    app: appRef(app),
    cname: d.cname,
    created_at: d.createdAt,
    hostname: d.hostname,
    id: d.id,
    kind: 'custom',
    sni_endpoint: null,
    status: d.status,
    updated_at: d.updatedAt,
  };
}

function views(app: AppRecord): DomainView[] {
  return [{ kind: 'heroku' }, ...app.domains.map((record) => ({ kind: 'custom' as const, record }))];
}

/** A domain by id or hostname (the built-in one included). */
export function findDomain(app: AppRecord, identity: string): DomainView {
  const wanted = identity.toLowerCase().replace(/\.$/, '');
  const found = views(app).find((v) => (UUID_PATTERN.test(wanted) ? domainId(app, v) : hostnameOf(app, v)) === wanted);
  if (found === undefined) throw notFound('domain');
  return found;
}

function domainId(app: AppRecord, view: DomainView): string {
  return view.kind === 'heroku' ? stableUuid('heroku-domain', app.id) : view.record.id;
}

function hostnameOf(app: AppRecord, view: DomainView): string {
  return view.kind === 'heroku' ? herokuHostname(app) : view.record.hostname;
}

function domainRanges(app: AppRecord): readonly RangeKey<DomainView>[] {
  return [
    { name: 'id', value: (v) => domainId(app, v) },
    { name: 'hostname', value: (v) => hostnameOf(app, v) },
  ];
}

export function registerDomains(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/domains', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return paginate(views(app), domainRanges(app), ctx.range, (v) => domainJson(app, v));
    },
  });
  router.add('GET', '/apps/:app/domains/:domain', {
    handler: (ctx) => {
      const app = appOf(ctx);
      return json(200, domainJson(app, findDomain(app, ctx.params['domain'] as string)));
    },
  });
  router.add('POST', '/apps/:app/domains', { handler: create });
  router.add('PATCH', '/apps/:app/domains/:domain', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const view = findDomain(app, ctx.params['domain'] as string);
      checkSniEndpoint(objectBody(ctx.body), true);
      if (view.kind === 'custom') view.record.updatedAt = ctx.world.now();
      return json(200, domainJson(app, view));
    },
  });
  router.add('DELETE', '/apps/:app/domains/:domain', {
    handler: (ctx) => {
      const app = appOf(ctx);
      const view = findDomain(app, ctx.params['domain'] as string);
      if (view.kind === 'heroku')
        throw invalidParams(`${herokuHostname(app)} is the app's default domain and cannot be removed.`);
      app.domains = app.domains.filter((d) => d !== view.record);
      return json(200, domainJson(app, view));
    },
  });
}

function appOf(ctx: HerokuContext): AppRecord {
  return findApp(ctx.world.state.heroku, ctx.params['app'] as string);
}

const HOSTNAME = /^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

function create(ctx: HerokuContext) {
  const app = appOf(ctx);
  const body = objectBody(ctx.body);
  const raw = optionalString(body, 'hostname');
  if (raw === undefined) throw invalidParams('Invalid params: hostname is required.');
  checkSniEndpoint(body, false);
  const hostname = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!HOSTNAME.test(hostname)) throw invalidParams(`${raw} is not a valid hostname.`);
  if (/\.(herokuapp|herokudns)\.com$/.test(hostname))
    throw invalidParams(`${hostname} is a Heroku-owned hostname and cannot be added as a custom domain.`);
  for (const other of ctx.world.state.heroku.apps) {
    if (!other.domains.some((d) => d.hostname === hostname)) continue;
    throw invalidParams(
      other.id === app.id
        ? `${hostname} is already added to this app.`
        : `${hostname} is currently in use by another app.`,
    );
  }
  const record = newDomain(ctx.world, app, hostname);
  app.domains.push(record);
  return json(201, domainJson(app, { kind: 'custom', record }));
}

function newDomain(world: World, app: AppRecord, hostname: string): DomainRecord {
  const atMs = world.clock().getTime();
  const { domainMs, acmMs } = world.heroku.timings;
  const now = world.now();
  return {
    id: world.ids.uuid(),
    hostname,
    cname: dnsTarget(world.ids),
    status: 'pending',
    statusDueMs: atMs + domainMs,
    acmStatus: app.acm ? 'pending' : null,
    acmStatusReason: null,
    acmDueMs: app.acm ? atMs + domainMs + acmMs : null,
    acmFailingSinceMs: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The schema makes `sni_endpoint` required (value may be null); the sandbox has no SNI endpoints. */
function checkSniEndpoint(body: Readonly<Record<string, unknown>>, required: boolean): void {
  const value = body['sni_endpoint'];
  if (value === undefined) {
    if (required) throw invalidParams('Invalid params: sni_endpoint is required (null for ACM or no certificate).');
    return;
  }
  if (value === null) return;
  if (typeof value !== 'string') throw invalidParams('Invalid params: sni_endpoint must be a string or null.');
  throw new HerokuError(404, 'not_found', "Couldn't find that SNI endpoint.", { resource: 'sni_endpoint' });
}
