import { Router } from '../router.js';
import { registerAccount } from './account.js';
import { registerAddons } from './addons.js';
import { registerApps } from './apps.js';
import { registerConfigVars } from './config-vars.js';
import type { HerokuRoute, HerokuRouter } from './context.js';
import { registerDynoSizes } from './dyno-sizes.js';
import { registerFormation } from './formation.js';
import { registerReleases } from './releases.js';

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
    registerAddons,
  ]) {
    register(router);
  }
  return router;
}
