import { Router } from '../router.js';
import type { CloudflareHandler, CloudflareRouter } from './context.js';
import { registerDnsRecords } from './dns/routes.js';
import { registerPurge } from './purge.js';
import { registerRulesetRules } from './rulesets/rule-routes.js';
import { registerRulesets } from './rulesets/routes.js';
import { registerSettings } from './settings/routes.js';
import { registerZones } from './zones.js';

/**
 * Every Cloudflare endpoint the sandbox serves, relative to `/client/v4`. A resource family with
 * more than routes has a folder whose `routes.ts` registers its endpoints: `dns/` (records, their
 * fields, listing, conflicts, the store), `rulesets/` (phase entrypoints, per-rule edits, rule
 * checks, managed rulesets), `settings/` (zone settings and their catalogue); zones fit in `zones.ts`,
 * cache purges in `purge.ts`. Shared
 * protocol parts stay here: `context.ts`, `errors.ts`, `query.ts`, `credentials.ts`,
 * `rate-limit.ts`; the state's types and plans in `model.ts` and `plans.ts`.
 */
export function cloudflareRouter(): CloudflareRouter {
  const router = new Router<CloudflareHandler>();
  for (const register of [registerZones, registerDnsRecords, registerSettings, registerRulesets, registerRulesetRules, registerPurge]) {
    register(router);
  }
  return router;
}
