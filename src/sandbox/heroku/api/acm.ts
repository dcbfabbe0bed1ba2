import { json } from '../../http.js';
import type { World } from '../../world.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord, DomainRecord } from '../model/state.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { invalidParams } from '../protocol/errors.js';
import { appJson } from './apps.js';

/**
 * Automated Certificate Management. `POST /apps/{app}/acm` turns it on (`app.acm`) and starts a
 * certificate for every custom domain: `acm_status` `pending`, then checked `acmMs` after the domain
 * itself succeeded: `cert issued` when its name resolves DNS-only to the domain's target through
 * the sandbox's zones, else `failing` and at last `failed` (timed/acm.ts). `DELETE` turns
 * ACM off (statuses back to null); `PATCH` (the CLI's `acm:refresh`) retries failed certificates.
 * Enabling twice is harmless. ACM is available on Eco dynos too (Dev Center "Automated Certificate
 * Management": "All applications include ACM for free"; the Eco exclusion was dropped in 2024).
 */
export function registerAcm(router: HerokuRouter): void {
  router.add('POST', '/apps/:app/acm', {
    handler: (ctx) => {
      const app = appOf(ctx);
      if (!app.acm) {
        app.acm = true;
        app.updatedAt = ctx.world.now();
        for (const domain of app.domains) startCertificate(ctx.world, domain);
      }
      return json(200, appJson(ctx.world.state.heroku, app));
    },
  });
  router.add('DELETE', '/apps/:app/acm', {
    handler: (ctx) => {
      const app = appOf(ctx);
      if (app.acm) {
        app.acm = false;
        app.updatedAt = ctx.world.now();
        for (const domain of app.domains) {
          domain.acmStatus = null;
          domain.acmStatusReason = null;
          domain.acmDueMs = null;
          domain.acmFailingSinceMs = null;
        }
      }
      return json(200, appJson(ctx.world.state.heroku, app));
    },
  });
  router.add('PATCH', '/apps/:app/acm', {
    handler: (ctx) => {
      const app = appOf(ctx);
      if (!app.acm) throw invalidParams(`Automated Certificate Management is not enabled on ${app.name}.`);
      for (const domain of app.domains) {
        if (domain.acmStatus === 'failed' || domain.acmStatus === 'failing') startCertificate(ctx.world, domain);
      }
      return json(200, appJson(ctx.world.state.heroku, app));
    },
  });
}

/** Starts (or restarts) a domain's certificate: due `acmMs` from now, or from when its DNS target is ready. */
export function startCertificate(world: World, domain: DomainRecord): void {
  const now = world.clock().getTime();
  domain.acmStatus = 'pending';
  domain.acmStatusReason = null;
  domain.acmFailingSinceMs = null;
  domain.acmDueMs = Math.max(now, domain.statusDueMs ?? now) + world.heroku.timings.acmMs;
  domain.updatedAt = world.now();
}

function appOf(ctx: HerokuContext): AppRecord {
  return findApp(ctx.world.state.heroku, ctx.params['app'] as string);
}
