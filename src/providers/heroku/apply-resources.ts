import type { Change } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import { assertNever } from '../../runtime/errors.js';
import type { ApiDomain, ApiLogDrain } from './api-types.js';
import { appPath, createOrAdopt, lastPart, liveIdOf, type StepContext, text } from './apply-support.js';
import { DOMAIN, DRAIN, DRAINS } from './shapes.js';

/**
 * Buildpacks (one PUT of the whole ordered list), app features (PATCH `enabled`), custom domains
 * and log drains (POST once and adopt after an ambiguous failure; DELETE by id or hostname).
 */

/** `PUT /apps/{app}/buildpack-installations` replaces the whole list; a delete empties it. */
export async function applyBuildpacks(ctx: StepContext, change: Change): Promise<void> {
  const list = change.action === 'delete' ? [] : (change.after.attributes['buildpacks'] as readonly string[]);
  await ctx.client.put(appPath(ctx, change, '/buildpack-installations'), {
    body: { updates: list.map((buildpack) => ({ buildpack })) },
  });
}

/** Features are switched, never created: a delete (never planned: undeclared ones are left alone) turns one off. */
export async function applyFeature(ctx: StepContext, change: Change): Promise<void> {
  const enabled = change.action === 'delete' ? false : change.after.attributes['enabled'] === true;
  await ctx.client.patch(appPath(ctx, change, `/features/${encodeURIComponent(lastPart(change.address))}`), {
    body: { enabled },
  });
}

/** Domains: the response's `cname` (DNS target) is the output Cloudflare records resolve against. */
export async function applyDomain(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
      return createDomain(ctx, change.after);
    case 'update': {
      // Nothing about a domain changes in place; a missing DNS target is read again.
      const domain = await ctx.client.get<ApiDomain>(domainPath(ctx, change.after), { shape: DOMAIN });
      ctx.outputs.set(change.address, { hostname: domain.hostname, cname: domain.cname });
      return;
    }
    case 'replace':
      await ctx.client.delete(domainPath(ctx, change.before));
      return createDomain(ctx, change.after);
    case 'delete':
      await ctx.client.delete(domainPath(ctx, change.before));
      return;
    default:
      return assertNever(change, 'change');
  }
}

function domainPath(ctx: StepContext, domain: Resource): string {
  return appPath(ctx, domain, `/domains/${encodeURIComponent(text(domain, 'hostname'))}`);
}

/** `sni_endpoint: null`: the certificate comes from ACM (or Heroku's default), not an uploaded one. */
async function createDomain(ctx: StepContext, domain: Resource): Promise<void> {
  const hostname = text(domain, 'hostname');
  const created = await createOrAdopt(
    () => ctx.client.post<ApiDomain>(appPath(ctx, domain, '/domains'), { body: { hostname, sni_endpoint: null }, shape: DOMAIN }),
    () => ctx.client.find<ApiDomain>(domainPath(ctx, domain), DOMAIN),
  );
  ctx.outputs.set(domain.address, { hostname: created.hostname, cname: created.cname });
}

/** Drains are identified by their URL: anything else about one is a new drain (delete, then create). */
export async function applyDrain(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
      return createDrain(ctx, change.after);
    case 'update':
    case 'replace':
      await ctx.client.delete(appPath(ctx, change, `/log-drains/${encodeURIComponent(liveIdOf(change))}`));
      return createDrain(ctx, change.after);
    case 'delete':
      await ctx.client.delete(appPath(ctx, change, `/log-drains/${encodeURIComponent(liveIdOf(change))}`));
      return;
    default:
      return assertNever(change, 'change');
  }
}

async function createDrain(ctx: StepContext, drain: Resource): Promise<void> {
  const url = text(drain, 'url');
  const path = appPath(ctx, drain, '/log-drains');
  const created = await createOrAdopt(
    () => ctx.client.post<ApiLogDrain>(path, { body: { url }, shape: DRAIN }),
    async () => (await ctx.client.get<ApiLogDrain[]>(path, { shape: DRAINS })).find((d) => d.url === url),
  );
  // Never the URL: it may hold credentials.
  ctx.outputs.set(drain.address, { id: created.id, token: created.token });
}
