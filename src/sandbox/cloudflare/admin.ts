import { AdminError, type AdminRouter } from '../admin.js';
import { json } from '../http.js';
import { seedZones, type ZoneRecord, type ZoneSeed } from './model.js';
import { isPlanName } from './plans.js';
import { advance } from '../heroku/timed/clock.js';
import { resolveName } from '../resolve.js';
import { zoneJson } from './zones.js';

/**
 * Out-of-band Cloudflare helpers under `/__sandbox/`. Zones are never created through the API,
 * so tests and demos add them here: `POST /__sandbox/zones {name, plan?}` seeds a zone (or
 * changes the plan of an existing one) and answers it as `GET /zones/{id}` would (201 when new).
 * Everything else a dashboard user could change out of band goes through the API itself.
 * `GET /__sandbox/resolve/{hostname}` says where a name leads through the sandbox's zones
 * (resolve.ts), the sandbox's stand-in for DNS that health checks ask before connecting.
 * `GET /__sandbox/purges` lists every zone's accepted cache purges, oldest first per zone (also in
 * `/__sandbox/state`), for tests to assert what was purged.
 */
export function registerCloudflareAdmin(router: AdminRouter): void {
  router.add('GET', '/__sandbox/resolve/:name', (ctx) => {
    advance(ctx.world);
    const name = (ctx.params['name'] as string).toLowerCase();
    const resolution = resolveName(ctx.world, name);
    switch (resolution.kind) {
      case 'heroku':
        return json(200, { name, resolves: true, via: 'heroku', target: resolution.target });
      case 'edge':
        return json(200, { name, resolves: true, via: 'cloudflare', zone: resolution.zone.name });
      case 'elsewhere':
        return json(200, { name, resolves: true, via: 'elsewhere', address: resolution.address });
      case 'none':
        return json(200, { name, resolves: false, reason: resolution.reason });
      default: {
        const unexpected: never = resolution;
        throw new AdminError(500, 'internal_server_error', `unexpected resolution ${JSON.stringify(unexpected)}`);
      }
    }
  });
  router.add('GET', '/__sandbox/purges', (ctx) =>
    json(200, {
      purges: ctx.world.state.cloudflare.zones.flatMap((zone) => (zone.purges ?? []).map((purge) => ({ zone: zone.name, ...purge }))),
    }),
  );
  router.add('POST', '/__sandbox/zones', (ctx) => {
    const body = (ctx.body ?? {}) as { name?: unknown; plan?: unknown };
    if (typeof body.name !== 'string')
      throw new AdminError(422, 'invalid_params', 'name is required, e.g. example.com.');
    if (body.plan !== undefined && (typeof body.plan !== 'string' || !isPlanName(body.plan))) {
      throw new AdminError(422, 'invalid_params', 'plan must be one of free, pro, business, enterprise.');
    }
    const cloudflare = ctx.world.state.cloudflare;
    const before = cloudflare.zones.length;
    const seed: ZoneSeed = body.plan === undefined ? body.name : { name: body.name, plan: body.plan };
    try {
      seedZones(cloudflare, [seed], ctx.world.ids, ctx.world.now());
    } catch (e) {
      throw new AdminError(422, 'invalid_params', (e as Error).message);
    }
    // seedZones accepted the name, so its normalised form is in the list now.
    const name = body.name.trim().toLowerCase().replace(/\.$/, '');
    const zone = cloudflare.zones.find((z) => z.name === name) as ZoneRecord;
    return json(cloudflare.zones.length > before ? 201 : 200, zoneJson(cloudflare, zone));
  });
}
