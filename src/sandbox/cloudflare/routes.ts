import { Router } from '../router.js';
import type { CloudflareHandler, CloudflareRouter } from './context.js';
import { registerDnsRecords } from './dns-records.js';
import { registerRulesets } from './rulesets.js';
import { registerSettings } from './settings.js';
import { registerZones } from './zones.js';

/** Every Cloudflare endpoint the sandbox serves, relative to `/client/v4`. */
export function cloudflareRouter(): CloudflareRouter {
  const router = new Router<CloudflareHandler>();
  for (const register of [registerZones, registerDnsRecords, registerSettings, registerRulesets]) register(router);
  return router;
}
