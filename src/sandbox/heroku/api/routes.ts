import { Router } from '../../router.js';
import type { HerokuRoute, HerokuRouter } from '../protocol/context.js';
import { registerAccount } from './account.js';
import { registerAcm } from './acm.js';
import { registerAddonServices } from './addon-services.js';
import { registerAddons } from './addons.js';
import { registerApps } from './apps.js';
import { registerAttachments } from './attachments.js';
import { registerBuildpacks } from './buildpacks.js';
import { registerBuilds } from './builds.js';
import { registerConfigVars } from './config-vars.js';
import { registerCouplings } from './couplings.js';
import { registerDomains } from './domains.js';
import { registerDynoSizes } from './dyno-sizes.js';
import { registerDynos } from './dynos.js';
import { registerFeatures } from './features.js';
import { registerFormation } from './formation.js';
import { registerLogDrains } from './log-drains.js';
import { registerWebhooks } from './webhooks.js';
import { registerLogSessions } from './log-sessions.js';
import { registerPipelines } from './pipelines.js';
import { registerPromotions } from './promotions.js';
import { registerReleases } from './releases.js';
import { registerSlugs } from './slugs.js';
import { registerSniEndpoints } from './sni-endpoints.js';
import { registerSources } from './sources.js';

/** Every Heroku endpoint the sandbox serves; a new resource adds its `register…` here. */
export function herokuRouter(): HerokuRouter {
  const router = new Router<HerokuRoute>();
  for (const register of [
    registerAccount,
    registerApps,
    registerConfigVars,
    registerReleases,
    registerFormation,
    registerDynoSizes,
    registerDynos,
    registerAddons,
    registerAttachments,
    registerAddonServices,
    registerBuildpacks,
    registerFeatures,
    registerDomains,
    registerSniEndpoints,
    registerAcm,
    registerLogDrains,
    registerWebhooks,
    registerLogSessions,
    registerPipelines,
    registerCouplings,
    registerPromotions,
    registerSources,
    registerBuilds,
    registerSlugs,
  ]) {
    register(router);
  }
  return router;
}
