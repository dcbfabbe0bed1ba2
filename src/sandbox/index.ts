/**
 * The sandbox: a local emulator of the Heroku Platform API and Cloudflare API v4 (DESIGN.md §6).
 * Independent of the rest of daffeinated: nothing here imports from outside src/sandbox.
 */
import { cloudflareRouter } from './cloudflare/routes.js';
import { herokuRouter } from './heroku/api/routes.js';

export { startSandbox } from './server.js';
export { SandboxOptionsError } from './auth.js';
export type { SandboxHandle, SandboxOptions } from './options.js';
export type { FaultKind, FaultOptions } from './faults.js';
export { FAULT_KINDS } from './faults.js';
export type { RateLimitOptions } from './heroku/protocol/rate-limit.js';
export type { HerokuTimingOptions } from './heroku/timed/timing.js';
export type { LaunchedProcess, LaunchSpec, ProcessOptions } from './heroku/runner/processes.js';
export type { CloudflareRateLimitOptions } from './cloudflare/rate-limit.js';
export type { ZoneSeed } from './cloudflare/model.js';
export type { PlanName } from './cloudflare/plans.js';
export type { RequestLogEntry } from './request-log.js';
export type { SandboxState } from './state.js';

/** Method and path pattern (`/apps/:app/formation`) of every Heroku endpoint the sandbox serves. */
export function herokuRoutes(): { method: string; pattern: string }[] {
  return herokuRouter().list();
}

/** Method and path pattern (`/zones/:zone_id/dns_records`, below `/client/v4`) of every Cloudflare endpoint served. */
export function cloudflareRoutes(): { method: string; pattern: string }[] {
  return cloudflareRouter().list();
}
